"""A township user records a village in the browser: a mistake is shown beside its field, then saved."""

import pytest

from villages.models import Village


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_township_user_adds_a_village_after_fixing_a_duplicate_code(reg, browser_login, live_server):
    page = browser_login("tom")
    page.goto(f"{live_server.url}/registry/villages/")
    page.click("text=新增行政村")
    page.fill("input[name=code]", "001")  # 东村 has it
    page.fill("input[name=name]", "新建村")
    page.fill("input[name=households]", "120")
    page.fill("input[name=population]", "400")
    page.click("main button[type=submit]")
    error = page.locator("#div_id_code .invalid-feedback")
    assert "本乡镇已有代码为 001 的行政村" in error.inner_text()
    assert page.input_value("input[name=name]") == "新建村"
    page.fill("input[name=code]", "031")
    page.click("main button[type=submit]")
    page.wait_for_url("**/registry/villages/*/")
    assert page.locator("h1").inner_text() == "新建村"
    assert Village.objects.get(name="新建村").township == reg.w.a1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_party_org_form_shows_the_fields_of_the_chosen_kind(reg, browser_login, live_server):
    page = browser_login("alice")
    page.goto(f"{live_server.url}/registry/party-organizations/new/")
    page.select_option("#id_kind", "township_committee")
    assert page.is_visible("#div_id_township") and not page.is_visible("#div_id_village")
    page.select_option("#id_kind", "department")
    assert page.is_visible("#div_id_department") and not page.is_visible("#div_id_township")
    page.select_option("#id_kind", "village_branch")
    assert page.is_visible("#div_id_village") and not page.is_visible("#div_id_department")

"""In a real browser: the township fills in and confirms a village's sheet; the county's roll-up moves."""

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorSheet
from tests.indicators.conftest import FULL, YEAR, Kind, position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def county_figures(page, live_server):
    page.goto(f"{live_server.url}/indicators/county/")
    completeness = page.get_by_test_id("completeness").first.inner_text()
    activists = page.locator('[data-testid="figures"] tr[data-code="activists"]').inner_text()
    return completeness, activists


def test_the_township_confirms_a_sheet_and_the_county_roll_up_moves(
    world, open_year, browser_login, live_server
):
    position(world.a1v1, Kind.RESERVE_CADRE)
    position(world.a1v1, Kind.RESERVE_CADRE)
    page = browser_login("alice")
    completeness, activists = county_figures(page, live_server)
    assert "0 / 3" in completeness
    assert "0 / 3" in activists  # no village has the figure yet

    page.context.clear_cookies()
    page = browser_login("tom")
    page.goto(f"{live_server.url}/indicators/")
    assert f"/indicators/township/{world.a1.pk}/" in page.url
    page.get_by_test_id("villages").get_by_role("link", name=world.a1v1.name).click()
    page.wait_for_load_state()
    # The registry figures are there already, with their source; the entered ones are empty.
    expect(page.get_by_test_id("value-reserve_cadres")).to_have_text("2 人")
    # A bad figure first: refused beside its field, nothing lost.
    page.get_by_label("党员", exact=True).fill("10")
    page.get_by_label("其中35岁以下", exact=False).first.fill("12")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".invalid-feedback").first).to_contain_text("不能大于")
    expect(page.locator("#id_members_under_35")).to_have_value("12")
    for code, value in FULL.items():
        field = page.locator(f"#id_{code}")
        if code == "venue_condition":
            field.select_option(value)
        else:
            field.fill(str(value))
    page.get_by_test_id("save-and-confirm").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("sheet-status")).to_have_text("乡镇已确认")
    expect(page.get_by_test_id("derived-note")).to_contain_text("名册数据已固定")
    assert page.locator("[data-testid=sheet-form]").count() == 0
    sheet = IndicatorSheet.objects.get(village=world.a1v1, year=YEAR)
    assert sheet.status == IndicatorSheet.Status.CONFIRMED and sheet.reserve_cadres == 2

    page.context.clear_cookies()
    page = browser_login("alice")
    completeness, activists = county_figures(page, live_server)
    assert "1 / 3" in completeness
    assert "1 / 3" in activists and f"{FULL['activists']} 人" in activists
    row = page.locator(f'[data-testid="townships"] tr[data-township="{world.a1.pk}"]')
    expect(row).to_contain_text("1")

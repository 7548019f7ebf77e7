"""The import journey in a real browser: download a template, upload, read the preview, apply, export."""

import pytest

from tests import factories as f
from tests.importer.conftest import kind_sheet, xlsx_bytes
from villages.importer.schema import Kind
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_admin_uploads_previews_and_applies(browser_login, live_server, tmp_path):
    county = f.CountyFactory(code="150424", name="林西县")
    f.TownshipFactory(county=county, code="01", name="林西镇")
    f.UserFactory(username="zzb", role="county_admin", county=county)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx_bytes(
            kind_sheet(
                Kind.VILLAGES,
                ["01", "001", "东门村", "否", "否", 10, 30],
                ["99", "002", "无主村", "否", "否", 0, 0],
            )
        )
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(kind_sheet(Kind.VILLAGES, ["01", "001", "东门村", "否", "否", 10, 30])))

    page = browser_login("zzb")
    page.goto(f"{live_server.url}/registry/import/")
    with page.expect_download() as download:
        page.get_by_test_id("template-villages").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # A file with a bad row: the preview names it and offers no way to apply.
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("errors").inner_text()
    assert "3" in errors and "本县没有代码为“99”的乡镇。" in errors
    assert page.get_by_test_id("confirm-form").count() == 0

    # The corrected file previews cleanly and is applied on confirmation.
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    assert "1" in page.get_by_test_id("counts").inner_text()
    assert not Village.objects.filter(code="001").exists()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("applied").is_visible()
    assert Village.objects.filter(township__county=county, code="001", name="东门村").exists()

    # The village list offers the export with its filters.
    page.goto(f"{live_server.url}/registry/villages/?q=东门")
    link = page.get_by_test_id("export-villages")
    assert "q=" in link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")

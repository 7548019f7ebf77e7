"""The main journey in a real browser: village submits, township checks and reports, county re-checks and
publicizes, the notice ends, the leader approves, and the title appears with its end date."""

import datetime

import pytest
from playwright.sync_api import expect

from appraisal.models import Appraisal, PublicNotice
from appraisal.services import add_years
from campaign.roles import Role
from tests import factories as f
from tests.appraisal import factories as af

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    county = f.CountyFactory(code="150424", name="林西县")
    township = f.TownshipFactory(county=county, code="01", name="林西镇")
    village = f.VillageFactory(township=township, code="01", name="东门村")
    campaign = af.campaign_with_rubrics(county)
    return dict(
        campaign=campaign,
        village=village,
        cun=f.UserFactory(
            username="cun0101", role=Role.VILLAGE, county=county, township=township, village=village
        ),
        xiang=f.UserFactory(username="xiang01", role=Role.TOWNSHIP, county=county, township=township),
        zzb=f.UserFactory(username="zzb", role=Role.COUNTY_ADMIN, county=county),
        xianwei=f.UserFactory(username="xianwei", role=Role.COUNTY_LEADER, county=county),
    )


def _logout(page, live_server):
    page.context.clear_cookies()


def test_main_journey(people, browser_login, live_server):
    page = browser_login("cun0101")
    page.on("dialog", lambda dialog: dialog.accept())
    # The village secretary lands on the self-report.
    assert "/self-report/" in page.url
    inputs = page.locator("input[name^=score_]")
    assert inputs.count() == 19
    for i in range(inputs.count()):
        field = inputs.nth(i)
        field.fill(field.get_attribute("max"))
    page.fill("#self_report", "班子团结，各项工作扎实推进。")
    # The preview follows the typed scores (htmx) before anything is saved.
    expect(page.get_by_test_id("preview")).to_contain_text("可得 5 星")
    page.get_by_role("button", name="保存并上报").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已上报"

    _logout(page, live_server)
    page = browser_login("xiang01")
    page.goto(f"{live_server.url}/appraisal/township/")
    page.get_by_test_id("queue").get_by_role("link", name="检查验收", exact=True).first.click()
    page.wait_for_load_state()
    # The form starts from the self-scores.
    first = page.locator("input[name^=score_]").first
    assert first.input_value() == first.get_attribute("max")
    first.fill("4")
    page.get_by_role("button", name="验收通过").click()
    page.wait_for_load_state()
    page.locator("input[name=appraisal]").first.check()
    page.get_by_role("button", name="所选村申请复检").click()
    page.wait_for_load_state()
    appraisal = Appraisal.objects.get(village=people["village"])
    assert appraisal.status == Appraisal.Status.RECHECK_REQUESTED

    _logout(page, live_server)
    page = browser_login("zzb")
    page.goto(f"{live_server.url}/appraisal/recheck/")
    page.get_by_test_id("queue").get_by_role("link", name="复检", exact=True).first.click()
    page.wait_for_load_state()
    # Both lower tiers are shown; the township's changed score is where the form starts.
    assert page.locator("input[name^=score_]").first.input_value() == "4"
    # Recommending or not has no preset: the reviewer chooses.
    page.get_by_label("予以推荐", exact=True).check()
    page.get_by_role("button", name="提交复检结果").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/appraisal/notices/")
    # Nothing is ticked at first; the next step names what will be put on the notice.
    page.get_by_test_id("ready").get_by_role("checkbox", name="东门村").check()
    page.get_by_role("button", name="下一步：确认公示").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("notice-count")).to_contain_text("1 个对象")
    page.get_by_role("button", name="确认公示这 1 个对象").click()
    page.wait_for_load_state()
    assert "公示期为" in page.content()

    # The notice period passes.
    notice = PublicNotice.objects.get()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=datetime.date.today() - datetime.timedelta(days=14),
        ends_on=datetime.date.today() - datetime.timedelta(days=7),
    )

    _logout(page, live_server)
    page = browser_login("xianwei")
    page.goto(f"{live_server.url}/appraisal/approval/")
    page.get_by_role("button", name="审定所选").click()
    page.wait_for_load_state()
    assert "/appraisal/titles/" in page.url
    row = page.get_by_test_id("title-table").locator("tbody tr").first
    assert "东门村" in row.inner_text()
    expected = add_years(datetime.date.today(), 3)
    assert row.get_by_test_id("valid-until").inner_text() == expected.strftime("%Y-%m-%d")
    assert Appraisal.objects.get(pk=appraisal.pk).status == Appraisal.Status.APPROVED

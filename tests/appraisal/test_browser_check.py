"""The township's check page in a real browser: the village's narrative, its photo shown in place, the
self-score as text, and the marks for a value that differs from the tier below and for the reviewer's
own changes, kept true while typing (static JS, no inline script)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from appraisal import services
from campaign.roles import Role
from tests import factories as f
from tests.appraisal import factories as af

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    county = f.CountyFactory(code="150424", name="林西县")
    township = f.TownshipFactory(county=county, code="01", name="林西镇")
    village = f.VillageFactory(township=township, code="01", name="东门村")
    campaign = af.campaign_with_rubrics(county)
    secretary = f.UserFactory(
        username="cun0101", role=Role.VILLAGE, county=county, township=township, village=village
    )
    f.UserFactory(username="xiang01", role=Role.TOWNSHIP, county=county, township=township)
    appraisal = af.start(campaign, village)
    first = af.indicators(appraisal)[0]
    scores = af.full_scores(appraisal)
    scores[first.id] = (Decimal("4.5"), "班子每月集中学习，全年12次。")
    services.appraisal_save_self(
        appraisal=appraisal, user=secretary, scores=scores, self_report="东门村党支部自检：班子团结。"
    )
    picture = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(picture, "JPEG")
    services.evidence_add(
        appraisal=appraisal,
        indicator=first,
        upload=SimpleUploadedFile("学习照片.jpg", picture.getvalue()),
        user=secretary,
    )
    services.appraisal_submit(appraisal=appraisal, user=secretary)
    return appraisal, first


def test_township_check_shows_what_is_judged_and_marks_differences(report, browser_login, live_server):
    appraisal, first = report
    page = browser_login("xiang01")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/check/")
    expect(page.get_by_test_id("self-report-summary")).to_contain_text("东门村党支部自检：班子团结。")
    row = page.locator(f'[data-indicator="{first.pk}"]')
    expect(row.get_by_test_id("narrative")).to_have_text("班子每月集中学习，全年12次。")
    # The photo is in place (its thumbnail loaded) and opens full size in a new tab.
    photo = row.get_by_role("img", name="学习照片.jpg")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 160
    assert photo.locator("xpath=..").get_attribute("target") == "_blank"
    expect(row.get_by_test_id("lower-self")).to_have_text("自评 4.5")

    box = row.get_by_label("乡镇检查验收: 班子成员学习和实践党的理论，贯彻执行党的路线方针政策")
    expect(box).to_have_value("4.5")
    diff = row.locator("[data-diff-badge]")
    changed = row.locator("[data-change-badge]")
    expect(diff).to_be_hidden()
    expect(changed).to_be_hidden()
    # The reviewer types another value: both marks appear, beside the box and on its border.
    box.fill("3")
    expect(diff).to_be_visible()
    expect(diff).to_contain_text("≠")
    expect(diff).to_contain_text("自评 4.5")
    expect(changed).to_be_visible()
    expect(changed).to_contain_text("本次已修改")
    assert "is-different" in box.get_attribute("class") and "is-changed" in box.get_attribute("class")
    assert box.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
    expect(page.locator("[data-change-count]")).to_have_text("本次已修改的指标：1 项")
    # Back to the self-score: no difference, no change.
    box.fill("4.5")
    expect(diff).to_be_hidden()
    expect(changed).to_be_hidden()
    expect(page.locator("[data-change-count]")).to_be_hidden()
    # A remark alone counts as a change of the row.
    row.get_by_label("本级备注: 班子成员学习和实践党的理论，贯彻执行党的路线方针政策").fill("材料齐全")
    expect(changed).to_be_visible()
    assert errors == []

"""Journey 5, the monthly meeting: the staff member adds the editor's note, publishes, downloads the PDF."""

import pytest

from campaign.reports import services
from campaign.reports.models import Briefing


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_administrator_adds_the_note_publishes_and_downloads(campaign, world, browser_login, live_server):
    briefing = services.bulletin_make(campaign=campaign, render=False)
    page = browser_login("alice")
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/reports/briefings/")
    page.click(f'[data-briefing="{briefing.pk}"] a')
    page.click("text=编辑文字")
    page.fill("textarea[name=editor_note]", "请各乡镇对照检查。<script>alert(1)</script>")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    preview = page.locator('[data-testid="briefing-preview"]')
    assert "请各乡镇对照检查。<script>alert(1)</script>" in preview.inner_text()
    # The township table must lay out as a table: it once carried Bootstrap's ``progress`` class,
    # which made it a 16-pixel flex strip with the rows hidden under the heading.
    table = preview.locator("table").first
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    rows = table.evaluate("t => t.rows.length")
    assert rows >= 2 and table.bounding_box()["height"] >= rows * 15

    page.click("button:has-text('发布')")
    page.wait_for_load_state()
    status = page.locator("#briefing-status")
    status.locator("a").wait_for()
    assert status.get_attribute("data-status") == "done"
    response = page.request.get(live_server.url + status.locator("a").get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    briefing.refresh_from_db()
    assert briefing.published and briefing.status == Briefing.Status.DONE

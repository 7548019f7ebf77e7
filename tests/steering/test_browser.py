import pytest

from appraisal.models import Appraisal
from tests.steering import factories as sf


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_dashboard_draws_its_charts(world, browser_login, live_server):
    campaign = sf.campaign(world.county_a)
    sf.appraisal(campaign, world.a1v1, status=Appraisal.Status.DRAFT)
    sf.appraisal(campaign, world.a2v1, final=95, stars=5)
    page = browser_login("alice")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/steering/dashboard/")
    for name in ("progress", "stars", "trend"):
        container = page.locator(f'[data-testid="chart-{name}"]')
        container.locator("canvas").first.wait_for(state="attached")
        assert container.get_attribute("data-rendered") == "1"
    assert errors == []
    # A figure leads to the list behind it.
    page.click('[data-testid="figure-late"]')
    page.wait_for_load_state()
    assert "/steering/appraisals/" in page.url

    # The printable view draws SVG (crisp on paper) without the navigation bar.
    page.goto(f"{live_server.url}/steering/dashboard/?print=1")
    page.locator('[data-testid="chart-progress"] svg').first.wait_for(state="attached")
    assert page.locator("nav.navbar").count() == 0

    # In English the menu labels are longer; on a 1000-pixel screen the menu wraps instead of
    # pushing the page sideways and the language switcher off the right edge.
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{live_server.url}/steering/dashboard/")
    page.select_option('[data-testid="language-switcher"] select', "en")
    page.wait_for_url("**/steering/dashboard/")
    page.locator("text=County dashboard").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    switcher = page.locator('[data-testid="language-switcher"]').bounding_box()
    assert switcher["x"] + switcher["width"] <= 1000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_township_marks_an_item_done_and_a_notification_read_in_place(world, browser_login, live_server):
    import datetime

    from django.utils import timezone

    from campaign.models import Notification
    from campaign.steering import services

    notice = services.notice_issue(
        user=world.alice,
        township=world.a1,
        title="督办事项",
        items=["第一项", "第二项"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        report_to="王科长",
    )
    item = notice.items.get(position=1)
    page = browser_login("tom")
    page.goto(f"{live_server.url}/steering/notices/{notice.pk}/")
    page.locator(f"#item-{item.pk} button").click()
    page.locator(f"#item-{item.pk} .bi-check-square").wait_for()
    item.refresh_from_db()
    assert item.done_by_id == world.tom.pk

    unread = Notification.objects.get(user=world.tom, key=f"notice-issued:{notice.pk}")
    page.goto(f"{live_server.url}/notifications/")
    assert page.locator('[data-testid="unread-count"]').inner_text() == "1"
    page.locator(f"#notification-{unread.pk} button", has_text="标为已读").click()
    page.locator('[data-testid="unread-count"]').wait_for(state="detached")
    page.locator(f"#notification-{unread.pk}:not(.list-group-item-warning)").wait_for()
    unread.refresh_from_db()
    assert unread.read_at is not None

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

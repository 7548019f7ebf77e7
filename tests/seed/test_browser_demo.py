"""Issue 2's browser journey on the demo county: a township user opens its own village, not another's."""

import re

import pytest
from django.core.management import call_command

from campaign.demo.registry import PASSWORD
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_user_opens_own_village_and_gets_404_for_another_township(browser_login, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    own = Village.objects.filter(township__code="01").order_by("code").first()
    other = Village.objects.filter(township__code="02").order_by("code").first()

    page = browser_login("xiang01", PASSWORD)
    assert "/accounts/login/" not in page.url
    page.goto(f"{live_server.url}/registry/villages/")
    # Only township 01's villages are listed; open the first one from the list.
    assert page.get_by_role("link", name=other.name, exact=True).count() == 0
    page.get_by_role("link", name=own.name, exact=True).first.click()
    page.wait_for_url(re.compile(rf"/registry/villages/{own.pk}/$"))
    assert page.locator("h1").first.inner_text().strip().startswith(own.name)

    response = page.goto(f"{live_server.url}/registry/villages/{other.pk}/")
    assert response.status == 404
    assert other.name not in page.content()


def test_county_administrator_lands_on_the_dashboard_and_sees_the_charts(browser_login, live_server):
    """Issue 5's browser test on the demo county: ``zzb`` logs in and the dashboard's charts render."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = browser_login("zzb", PASSWORD)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.reload()
    assert "/steering/dashboard/" in page.url
    assert "2026" in page.locator("h1").first.inner_text()
    for name in ("progress", "stars", "trend"):
        container = page.locator(f'[data-testid="chart-{name}"]')
        container.locator("canvas").first.wait_for(state="attached")
        assert container.get_attribute("data-rendered") == "1"
    assert errors == []

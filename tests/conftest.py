"""Shared fixtures: a small two-county world with named personas for every role.

World:  city "市" ── county A (townships A1, A2; villages A1v1, A1v2, A2v1; departments Ad1, Ad2)
                 └─ county B (township B1; village B1v1; department Bd1)
Personas (all with password tests.factories.PASSWORD):
  alice   county administrator of A     olga   organizer of A (area = A1 only)
  leo     county leader of A            tom    township user of A1
  vera    village secretary of A1v1     dora   department user of Ad1
  carl    city viewer of the city       bob    county administrator of B (the outsider)
"""

import os
from types import SimpleNamespace

import pytest

from campaign.roles import Role
from tests import factories as f


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Under CI a test that needs a service must fail, never skip: a missing
    # PostgreSQL, Redis or Chromium has to be loud.
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is a failure: {report.longrepr}"


@pytest.fixture
def world(db):
    city = f.CityFactory(code="150100", name="测试市")
    county_a = f.CountyFactory(city=city, code="A", name="甲县")
    county_b = f.CountyFactory(city=city, code="B", name="乙县")
    a1 = f.TownshipFactory(county=county_a, code="01", name="甲一镇")
    a2 = f.TownshipFactory(county=county_a, code="02", name="甲二镇")
    b1 = f.TownshipFactory(county=county_b, code="01", name="乙一镇")
    a1v1 = f.VillageFactory(township=a1, code="001", name="东村")
    a1v2 = f.VillageFactory(township=a1, code="002", name="西村")
    a2v1 = f.VillageFactory(township=a2, code="001", name="南村")
    b1v1 = f.VillageFactory(township=b1, code="001", name="北村")
    ad1 = f.DepartmentFactory(county=county_a, code="D01", name="农业局")
    ad2 = f.DepartmentFactory(county=county_a, code="D02", name="水利局")
    bd1 = f.DepartmentFactory(county=county_b, code="D01", name="财政局")
    area = f.OrganizerAreaFactory(county=county_a, name="第一片区")
    area.townships.set([a1])

    def user(username, role, **scope):
        return f.UserFactory(username=username, role=role, **scope)

    people = dict(
        alice=user("alice", Role.COUNTY_ADMIN, county=county_a, is_staff=True),
        olga=user("olga", Role.COUNTY_REVIEWER, county=county_a, organizer_area=area),
        leo=user("leo", Role.COUNTY_LEADER, county=county_a),
        tom=user("tom", Role.TOWNSHIP, county=county_a, township=a1),
        vera=user("vera", Role.VILLAGE, county=county_a, township=a1, village=a1v1),
        dora=user("dora", Role.DEPARTMENT, county=county_a, department=ad1),
        carl=user("carl", Role.CITY, city=city),
        bob=user("bob", Role.COUNTY_ADMIN, county=county_b, is_staff=True),
    )
    return SimpleNamespace(
        city=city,
        county_a=county_a,
        county_b=county_b,
        a1=a1,
        a2=a2,
        b1=b1,
        a1v1=a1v1,
        a1v2=a1v2,
        a2v1=a2v1,
        b1v1=b1v1,
        ad1=ad1,
        ad2=ad2,
        bd1=bd1,
        area=area,
        **people,
    )


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as that persona and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole test session (Debian's, never a downloaded browser).

    Starting a browser costs about a second; each test gets its own context, which
    is as isolated as a new browser (cookies, storage, cache) at a fraction of the cost.
    """
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.skip(f"Chromium not found at {executable}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context_options():
    """Override in a test module to change the viewport (e.g. a phone at 390 × 844)."""
    return {"locale": "zh-CN", "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def browser_page(chromium, browser_context_options):
    """A Playwright page in a fresh browser context of the session's Chromium."""
    context = chromium.new_context(**browser_context_options)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def browser_login(browser_page, live_server):
    """``browser_login(username, password)`` logs in through the real login form; returns the page."""

    def _login(username, password=f.PASSWORD):
        page = browser_page
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _login


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Close sessions that threads (live server, worker processes) left open on the test database.

    Otherwise PostgreSQL refuses to drop the test database at the end of the run.
    """
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connections.close_all()

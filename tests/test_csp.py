"""Content-Security-Policy: a strict header on every page, and no page that needs it relaxed.

The policy forbids inline script, inline style and on*= handlers, so the templates must carry
none (scanned here), and the pages that lean hardest on JavaScript (dashboard charts, the
import's htmx progress, a form with its confirm and auto-submit helpers, the briefing preview,
the admin) must load in Chromium without a single violation.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from campaign.roles import Role

ROOT = Path(settings.BASE_DIR)
# Rendered by WeasyPrint only, never sent to a browser: <style> elements are how a PDF is styled.
PDF_ONLY = re.compile(r"/templates/reports/pdf/")

HANDLER = re.compile(r"(?<![\w-])on[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"(?<![\w-])style\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def project_templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        yield path


def test_the_template_scan_finds_templates():
    names = {p.relative_to(ROOT).as_posix() for p in project_templates()}
    assert "templates/base.html" in names
    assert "appraisal/templates/appraisal/self_report.html" in names


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ('<form onsubmit="return confirm(1)">', HANDLER),
        ("<select ONCHANGE='this.form.submit()'>", HANDLER),
        ('<th style="width:8rem">', STYLE_ATTRIBUTE),
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<script type="module">x()</script>', INLINE_SCRIPT),
        ("<style>p{}</style>", STYLE_ELEMENT),
        ('<a href="javascript:void(0)">', JS_URL),
    ],
)
def test_the_scan_would_catch_each_kind_of_inline_code(snippet, pattern):
    assert pattern.search(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<form data-confirm="确定？">',
        '<select data-autosubmit name="language">',
        '<script src="/static/js/app.js"></script>',
        '<div data-style="x" class="col-score">',
        "{{ data|json_script:'dashboard-data' }}",
    ],
)
def test_the_scan_lets_csp_clean_markup_through(snippet):
    for pattern in (HANDLER, STYLE_ATTRIBUTE, INLINE_SCRIPT, STYLE_ELEMENT, JS_URL):
        assert not pattern.search(snippet)


def test_no_template_carries_inline_script_style_or_event_handlers():
    found = []
    for path in project_templates():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        checks = [("on*= handler", HANDLER), ("style attribute", STYLE_ATTRIBUTE)]
        checks.append(("javascript: URL", JS_URL))
        if not PDF_ONLY.search("/" + name):
            checks += [("inline <script>", INLINE_SCRIPT), ("<style> element", STYLE_ELEMENT)]
        for label, pattern in checks:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {label}: {match.group(0)}")
    assert found == []


def test_every_page_sends_the_policy_and_a_permissions_policy(client, world):
    response = client.get("/accounts/login/")
    policy = dict((part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]

    client.force_login(world.alice)
    for url in ("/steering/dashboard/", "/registry/villages/new/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"].startswith("default-src 'self'"), url


def test_the_confirm_and_autosubmit_helpers_are_loaded_on_every_page(client, world):
    client.force_login(world.alice)
    body = client.get("/notifications/").content.decode()
    assert '<script src="/static/js/app.js"></script>' in body
    assert '"includeIndicatorStyles": false' in body


# --- In the browser ----------------------------------------------------------------------------

# Collected in the page before any of its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                              (e.sourceFile || "") + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


@pytest.fixture
def csp_page(browser_page):
    """The browser page, recording every CSP violation (DOM events and console reports)."""
    browser_page.add_init_script(LISTEN)
    reported = []
    browser_page.on(
        "console",
        lambda message: (
            reported.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    browser_page.on("pageerror", lambda error: reported.append(f"page error: {error}"))

    seen = []

    def collect():
        """Violations of the page now open (the list starts afresh on each navigation)."""
        found = browser_page.evaluate("window.__cspViolations || []")
        seen.extend(f"{browser_page.url}: {v}" for v in found)
        browser_page.evaluate("window.__cspViolations = []")

    def violations():
        collect()
        return seen + reported

    browser_page.csp_collect = collect
    browser_page.csp_violations = violations
    return browser_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_that_use_javascript_run_without_a_policy_violation(world, csp_page, live_server):
    from appraisal.models import Appraisal
    from campaign.reports import services as report_services
    from tests import factories as f
    from tests.steering import factories as sf
    from villages.importer.models import ImportJob

    campaign = sf.campaign(world.county_a)
    sf.appraisal(campaign, world.a1v1, status=Appraisal.Status.DRAFT)
    sf.appraisal(campaign, world.a2v1, final=95, stars=5)
    job = ImportJob.objects.create(
        county=world.county_a,
        original_name="村.xlsx",
        file="imports/x.xlsx",
        status=ImportJob.Status.PREVIEWING,
        rows_total=4000,
        rows_done=1000,
        created_by=world.alice,
    )
    briefing = report_services.bulletin_make(campaign=campaign, render=False)
    page = csp_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    # Dashboard: ECharts draws on canvas; hovering opens its tooltip.
    page.csp_collect()
    page.goto(f"{live_server.url}/steering/dashboard/")
    chart = page.locator('[data-testid="chart-progress"]')
    chart.locator("canvas").first.wait_for(state="attached")
    box = chart.bounding_box()
    for step in range(1, 6):
        page.mouse.move(box["x"] + box["width"] * step / 6, box["y"] + box["height"] * 0.7)
        page.wait_for_timeout(150)
    page.csp_collect()
    page.goto(f"{live_server.url}/steering/dashboard/?print=1")
    page.locator('[data-testid="chart-progress"] svg').first.wait_for(state="attached")

    # The import's progress is polled by htmx every two seconds.
    page.csp_collect()
    page.goto(f"{live_server.url}/registry/import/{job.pk}/")
    page.locator("progress.import-progress").wait_for()
    with page.expect_response(lambda r: f"/registry/import/{job.pk}/progress/" in r.url):
        pass
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READY, rows_done=4000)
    page.locator("progress.import-progress").wait_for(state="detached", timeout=10000)

    # A form with dependent fields (json_script + static script), Bootstrap's dropdown and the
    # language switcher, which submits itself on change.
    page.csp_collect()
    page.goto(f"{live_server.url}/registry/villages/new/")
    page.locator("select[name=township]").wait_for()
    page.locator(".navbar .dropdown-toggle").last.click()
    page.locator(".dropdown-menu.show").first.wait_for()
    page.select_option('[data-testid="language-switcher"] select', "en")
    page.wait_for_url("**/registry/villages/new/")
    page.locator("html[lang=en]").wait_for()

    # A confirm question: dismissing it keeps the form from being sent.
    page.csp_collect()
    page.goto(f"{live_server.url}/reports/briefings/{briefing.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("main form[data-confirm] button[type=submit]")
    page.wait_for_timeout(300)
    assert asked == ["Publish this briefing?"]
    briefing.refresh_from_db()
    assert not briefing.published
    assert (
        page.locator('[data-testid="briefing-preview"] .masthead .name').evaluate(
            "e => getComputedStyle(e).color"
        )
        == "rgb(230, 0, 18)"
    )

    # The admin (Django's own templates).
    page.csp_collect()
    page.goto(f"{live_server.url}/admin/")
    page.csp_collect()
    page.goto(f"{live_server.url}/admin/villages/village/")
    page.csp_collect()
    page.goto(f"{live_server.url}/admin/villages/village/{world.a1v1.pk}/change/")
    # A read-only list (no actions): Django would add an inline style element there.
    page.csp_collect()
    page.goto(f"{live_server.url}/admin/appraisal/vetoevent/")
    page.locator("#changelist").wait_for()

    assert page.csp_violations() == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_village_secretary_self_report_preview_runs_under_the_policy(world, csp_page, live_server):
    from tests import factories as f
    from tests.appraisal import factories as af

    campaign = af.campaign_with_rubrics(world.county_a)
    appraisal = af.start(campaign, world.a1v1)
    assert world.vera.role == Role.VILLAGE
    page = csp_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "vera")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.csp_collect()
    page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/self-report/")
    score = page.locator("input[name^=score_]").first
    with page.expect_response(lambda r: "/self-report/preview/" in r.url):
        score.fill("1")
        score.dispatch_event("change")
    page.wait_for_timeout(200)
    assert page.csp_violations() == []

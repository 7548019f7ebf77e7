import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_form_lands_on_home_and_wrong_password_is_refused(world, browser_login, live_server):
    page = browser_login("tom", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert, .errorlist, .invalid-feedback").count() > 0

    page = browser_login("tom")
    # A township user starts the day at its work queue.
    assert page.url.startswith(f"{live_server.url}/appraisal/")
    assert page.locator("a.dropdown-item", has_text="行政村").count() >= 1
    assert (
        page.locator("a.dropdown-item", has_text="乡镇")
        .filter(has_text="乡镇")
        .evaluate_all("els => els.filter(e => e.textContent.trim() === '乡镇').length")
        == 0
    )

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_form_lands_on_home_and_wrong_password_is_refused(world, browser_login, live_server):
    page = browser_login("tom", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert, .errorlist, .invalid-feedback").count() > 0

    page = browser_login("tom")
    assert page.url.rstrip("/") == live_server.url
    assert page.get_by_role("link", name="行政村").count() >= 1
    assert page.get_by_role("link", name="乡镇").count() == 0

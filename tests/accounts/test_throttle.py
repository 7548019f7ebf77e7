"""Login throttling: per username and per address, counters in the database, every failure logged."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.utils import timezone

from tests import factories as f

WRONG = "not-the-password"


def attempt(username, password=WRONG, address="198.51.100.7", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response, client


def logged_in(response):
    return response.status_code == 302 and response.url == "/"


def test_five_wrong_passwords_lock_the_username_even_for_the_right_password(world, caplog):
    for _ in range(4):
        response, _client = attempt("tom")
        assert response.status_code == 200  # the form again, with its error
    response, _client = attempt("tom")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()

    response, _client = attempt("tom", f.PASSWORD)
    assert response.status_code == 429
    # The counter is per username: another user at the same address still logs in.
    assert logged_in(attempt("vera", f.PASSWORD)[0])
    # ... and from another address tom is locked all the same.
    assert attempt("tom", f.PASSWORD, address="203.0.113.9")[0].status_code == 429

    # Every failure and the lock are logged with username, address and time; the database keeps them.
    assert "Login failed: username='tom' address=198.51.100.7 at=" in caplog.text
    assert "Login locked: username='tom' address=198.51.100.7 at=" in caplog.text
    assert AccessFailureLog.objects.filter(username="tom", ip_address="198.51.100.7").count() >= 5
    assert AccessAttempt.objects.filter(username="tom").exists()


def test_many_failures_from_one_address_lock_the_address(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for name in ["nobody1", "nobody2", "olga", "leo"] * 2:
        attempt(name)
    # A different username from that address is refused before its password is checked …
    assert attempt("vera", f.PASSWORD)[0].status_code == 429
    # … and the same person from another address gets in.
    assert logged_in(attempt("vera", f.PASSWORD, address="203.0.113.9")[0])


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(world, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(f"guess{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    # No trusted proxy is configured: the header is ignored, the peer address is locked.
    assert attempt("vera", f.PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")[0].status_code == 429


def test_behind_the_trusted_proxy_each_client_address_counts_for_itself(world, settings):
    settings.TRUSTED_PROXY_NETWORKS = [__import__("ipaddress").ip_network("10.0.0.0/8")]
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(f"guess{n}", address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66")
    assert (
        attempt("vera", f.PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66")[0].status_code
        == 429
    )
    # Another client behind the same proxy is not locked out with the guesser.
    assert logged_in(attempt("vera", f.PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.77")[0])


def test_a_lock_ends_by_itself_after_the_cool_off(world):
    for _ in range(5):
        attempt("tom")
    assert attempt("tom", f.PASSWORD)[0].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert logged_in(attempt("tom", f.PASSWORD)[0])


def test_a_successful_login_clears_the_usernames_count(world):
    for _ in range(4):
        attempt("tom")
    assert logged_in(attempt("tom", f.PASSWORD)[0])
    for _ in range(4):
        attempt("tom")
    assert logged_in(attempt("tom", f.PASSWORD)[0])


def test_the_county_administrator_sees_and_lifts_the_lock_of_a_county_user(world, login, caplog):
    for _ in range(5):
        attempt("tom")
    client = login(world.alice)
    page = client.get("/accounts/locks/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="username-locks"' in body and ">tom<" in body
    assert "198.51.100.7" in body  # the failures, with their address

    # The other county's administrator sees neither the lock nor the failures, and cannot lift it.
    other = Client()
    other.force_login(world.bob)
    assert ">tom<" not in other.get("/accounts/locks/").content.decode()
    other.post("/accounts/locks/lift/", {"username": "tom"})
    assert attempt("tom", f.PASSWORD)[0].status_code == 429

    response = client.post("/accounts/locks/lift/", {"username": "tom"})
    assert response.status_code == 302
    assert "Login lock lifted: tom by=alice" in caplog.text
    assert logged_in(attempt("tom", f.PASSWORD)[0])


def test_the_county_administrator_lifts_an_address_that_tried_the_county(world, login, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for name in ("tom", "leo", "olga", "nobody"):
        attempt(name)
    client = login(world.alice)
    assert "198.51.100.7" in client.get("/accounts/locks/").content.decode()
    client.post("/accounts/locks/lift/", {"address": "198.51.100.7"})
    assert logged_in(attempt("vera", f.PASSWORD)[0])


@pytest.mark.parametrize("persona", ["tom", "leo", "carl", "olga"])
def test_other_roles_cannot_open_the_locks_page(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get("/accounts/locks/").status_code == 403
    assert client.post("/accounts/locks/lift/", {"username": "tom"}).status_code == 403

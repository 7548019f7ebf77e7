"""Error pages: translated, in the app's layout, with a way back; a database outage answers 503.

The outage is real: the test points the connection at a closed port of 127.0.0.1, so psycopg2
fails to connect exactly as it does when PostgreSQL is down.
"""

import re
import socket

import pytest
from django.db import connection
from django.test import Client

from campaign import errors


def text(response):
    return response.content.decode()


def visible(response):
    """The words a reader sees in the page's main part (tags and attributes dropped)."""
    main = text(response).split("<main", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_unknown_address_is_a_translated_404_with_the_navigation_and_a_way_home(world, login):
    client = login(world.alice)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = text(response)
    assert "这个页面不存在" in body
    assert 'href="/"' in body and "返回首页" in body
    assert "data-history-back" in body
    assert "navbar" in body and world.alice.username in body
    assert "Not Found" not in visible(response) and "404" not in visible(response)


def test_an_object_outside_the_scope_gets_the_same_404_page(world, login):
    response = login(world.bob).get(f"/registry/villages/{world.a1v1.pk}/")
    assert response.status_code == 404
    assert "这个页面不存在" in text(response)


def test_the_wrong_role_gets_a_translated_403(world, login):
    response = login(world.vera).get("/reports/briefings/")
    assert response.status_code == 403
    body = text(response)
    assert "您无权进行此操作" in body and "返回首页" in body


def test_the_404_page_speaks_english_to_an_english_user(world, login):
    client = login(world.alice)
    client.cookies["django_language"] = "en"
    body = text(client.get("/no/such/page/"))
    assert "This page does not exist" in body and "Back to the home page" in body


def test_a_form_sent_after_its_page_expired_explains_itself(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = text(response)
    assert "表单已过期" in body
    assert "CSRF" not in visible(response)


@pytest.mark.urls("tests.error_urls")
def test_a_bug_answers_the_translated_500_page_without_the_users_menu(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = text(response)
    assert "系统出了点问题" in body
    assert "Server Error" not in body
    assert 'href="/boom/"' in body  # try again
    assert world.alice.username not in body  # rendered bare: no session, no database


@pytest.mark.urls("tests.error_urls")
def test_a_database_error_in_a_view_answers_503_with_retry_after(world, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统暂时无法连接数据库，请稍后再试" in text(response)
    assert "Database unavailable during GET /database-gone/" in caplog.text


def test_a_database_error_outside_a_view_answers_503_too(rf):
    # Raised by a middleware (the session saved at the end of the request, say): Django hands
    # it to handler500 while the exception is being handled.
    from django.db import InterfaceError

    try:
        raise InterfaceError("connection already closed")
    except InterfaceError:
        response = errors.server_error(rf.get("/appraisal/mine/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def database_down():
    """Point the connection at a closed port for the duration of the test, then back."""
    if connection.vendor != "postgresql":
        pytest.skip("the outage test needs PostgreSQL (DATABASE_URL)")
    settings_dict = connection.settings_dict
    saved = (settings_dict["HOST"], settings_dict["PORT"])

    class Outage:
        @staticmethod
        def start():
            connection.close()
            settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(closed_port())

        @staticmethod
        def end():
            connection.close()
            settings_dict["HOST"], settings_dict["PORT"] = saved

    yield Outage
    Outage.end()


@pytest.mark.django_db(transaction=True)
def test_postgresql_down_every_page_answers_503_with_retry_after(world, database_down):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(world.alice)
    anonymous = Client(raise_request_exception=False)
    database_down.start()

    for client, url in [
        (signed_in, "/steering/dashboard/"),
        (signed_in, f"/registry/villages/{world.a1v1.pk}/"),
        (signed_in, "/no/such/page/"),
        (anonymous, "/accounts/login/"),
        (anonymous, "/"),
    ]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30", url
        body = text(response)
        assert "系统暂时无法连接数据库，请稍后再试" in body, url
        assert "Server Error" not in body
        assert f'href="{url}"' in body  # try again

    response = signed_in.post("/appraisal/township/report/", {"ids": [1]})
    assert response.status_code == 503
    assert 'href="/appraisal' not in text(response)  # a POST is not repeated by a link

    # The health check still answers in its own words.
    health = anonymous.get("/healthz")
    assert health.status_code == 503 and health.json()["checks"]["database"] == "down"


@pytest.mark.django_db(transaction=True)
def test_pages_come_back_once_postgresql_is_back(world, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    database_down.start()
    assert client.get("/steering/dashboard/").status_code == 503
    database_down.end()
    assert client.get("/steering/dashboard/").status_code == 200

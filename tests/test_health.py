import pytest
from django.db import connections


@pytest.mark.django_db
def test_healthz_is_up_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "down"


@pytest.mark.django_db
def test_healthz_reports_503_when_database_fails(client, monkeypatch):
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "villages" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_the_cjk_fonts(client):
    response = client.get("/healthz")
    assert response.json()["checks"]["fonts"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_503_when_the_cjk_fonts_are_missing(client, settings):
    from campaign.reports.checks import cjk_fonts_installed

    settings.REPORTS_CJK_FONTS = ("Noto Serif CJK SC", "No Such Font CJK 不存在")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["fonts"] == "down"
    # The same detection as the system check, which names the missing font.
    assert [e.id for e in cjk_fonts_installed()] == ["reports.E001"]
    assert "No Such Font CJK" in cjk_fonts_installed()[0].msg

    settings.REPORTS_CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert client.get("/healthz").status_code == 200

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
def test_healthz_reports_the_cjk_fonts_and_names_the_face_of_each_stack(client):
    response = client.get("/healthz")
    assert response.json()["checks"]["fonts"] == "ok"
    # The shipped faces, unless the machine has the commercial ones.
    fonts = response.json()["fonts"]
    assert set(fonts) == {"仿宋", "小标宋", "黑体", "楷体", "宋体"}
    assert fonts["仿宋"] in ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "华文仿宋", "FandolFang")
    assert fonts["楷体"] in (
        "楷体_GB2312",
        "KaiTi_GB2312",
        "楷体",
        "KaiTi",
        "华文楷体",
        "AR PL UKai CN",
        "FandolKai",
    )


@pytest.mark.django_db
def test_healthz_reports_503_when_the_cjk_fonts_are_missing(client, settings):
    from campaign.reports.checks import cjk_fonts_installed
    from campaign.reports.fonts import Face

    # A machine where no face of the 黑体 stack is installed.
    settings.REPORTS_FONT_STACKS = {"heiti": (Face("No Such Font CJK 不存在"),)}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["fonts"] == "down"
    # The same detection as the system check, which names the missing font.
    assert [e.id for e in cjk_fonts_installed()] == ["reports.E001"]
    message = cjk_fonts_installed()[0].msg
    assert "黑体" in message and "No Such Font CJK" in message
    assert "仿宋 → " in message  # what the other stacks will use
    assert "黑体" not in response.json()["fonts"]

    settings.REPORTS_FONT_STACKS = {}
    assert client.get("/healthz").status_code == 200

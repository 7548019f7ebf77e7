"""Demo mode: seed_demo, the public demo password and plain HTTP on 127.0.0.1, only with DEMO_MODE=1."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from campaign.demo.registry import PASSWORD as DEMO_PASSWORD
from tests import factories as f
from tests.test_settings import GOOD_KEY, manage


def test_seed_demo_refuses_to_run_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE=1"):
        call_command("seed_demo")
    from villages.models import County

    assert not County.objects.exists()


def test_seed_demo_refuses_in_production_settings():
    code, output = manage(
        "seed_demo", DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="lianchuang.example.gov.cn"
    )
    assert code != 0
    assert "seed_demo runs only in demo mode" in output


def test_the_public_demo_password_logs_in_only_in_demo_mode(db, settings):
    user = f.UserFactory(username="xiang99", role="county_leader", county=f.CountyFactory())
    user.set_password(DEMO_PASSWORD)
    user.save()

    settings.DEMO_MODE = False
    response = Client().post("/accounts/login/", {"username": "xiang99", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "公开的演示密码" in response.content.decode()

    settings.DEMO_MODE = True
    response = Client().post("/accounts/login/", {"username": "xiang99", "password": DEMO_PASSWORD})
    assert response.status_code == 302


SHOW = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True True True 31536000"),
        ({"DEMO_MODE": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost"}, "False False False 0"),
        ({"DEMO_MODE": "1"}, "False False False 0"),
        # A demo that others can reach keeps HTTPS.
        ({"DEMO_MODE": "1", "ALLOWED_HOSTS": "demo.example.gov.cn"}, "True True True 31536000"),
    ],
)
def test_plain_http_only_for_a_demo_on_this_machine(env, expected):
    base = {"DEBUG": "0", "SECRET_KEY": GOOD_KEY}
    code, output = manage("shell", "-c", SHOW, **{**base, **env})
    assert code == 0, output
    assert output.strip().splitlines()[-1] == expected


def test_demo_users_need_not_change_their_password(db, settings):
    settings.DEMO_MODE = True
    from campaign.demo.registry import seed_registry
    from campaign.models import User

    seed_registry()
    assert User.objects.count() > 200
    assert not User.objects.filter(must_change_password=True).exists()

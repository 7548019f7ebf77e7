"""Settings come from the environment and fail loudly on malformed values; production passes check --deploy.

Each case starts a fresh process, because settings are read once at start-up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)


def manage(*args, **env):
    """Run manage.py in a clean environment holding only ``env``; return (exit code, output)."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    process = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return process.returncode, process.stdout + process.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean (1/0, true/false), got 'maybe'"),
        ({"DEBUG": "1", "DATABASE_URL": "notaurl"}, "DATABASE_URL is not a valid database URL: 'notaurl'"),
        ({"DEBUG": "1", "DATABASE_URL": "mongodb://db/x"}, "DATABASE_URL is not a valid database URL"),
        (
            {"DEBUG": "1", "DATABASE_URL": "postgres://u@db:port/x"},
            "DATABASE_URL is not a valid database URL",
        ),
        ({"DEBUG": "1", "DATABASE_URL": "postgres://u@db:5432/"}, "DATABASE_URL must name a database"),
        ({"DEBUG": "1", "REDIS_URL": "http://redis:6379/0"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "1", "LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE must be one of zh-hans, en"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "1", "EVIDENCE_MAX_BYTES": "20MB"}, "EVIDENCE_MAX_BYTES must be an integer, got '20MB'"),
    ],
    ids=lambda value: "-".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else "",
)
def test_malformed_environment_stops_start_up_with_a_clear_message(env, message):
    code, output = manage("check", **env)
    assert code != 0
    assert "ImproperlyConfigured" in output
    assert message in output


def test_makemigrations_check_runs_without_any_environment():
    """Code-only commands need no SECRET_KEY; the migrations match the models."""
    code, output = manage("makemigrations", "--check", "--dry-run")
    assert code == 0, output
    assert "No changes detected" in output


def test_the_keyless_exception_does_not_reach_other_commands():
    code, output = manage("migrate", "--plan")
    assert code != 0
    assert "SECRET_KEY must be set when DEBUG is off" in output


def test_production_settings_pass_check_deploy_without_a_warning():
    code, output = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="lianchuang.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://lianchuang.example.gov.cn",
        DATABASE_URL="postgres://lianchuang:secret@db:5432/lianchuang",
        REDIS_URL="redis://redis:6379/0",
    )
    assert code == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_check_deploy_flags_a_weak_secret_key():
    # The same check that passes above does catch a real problem: proof it is not vacuous.
    code, output = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="short",
        ALLOWED_HOSTS="lianchuang.example.gov.cn",
    )
    assert code != 0
    assert "security.W009" in output


def test_health_check_is_exempt_from_the_https_redirect():
    # Compose and load balancers probe /healthz over plain HTTP inside the network.
    code, output = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; import re; "
        "print(any(re.search(p, 'healthz') for p in s.SECURE_REDIRECT_EXEMPT), s.SECURE_SSL_REDIRECT)",
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="lianchuang.example.gov.cn",
    )
    assert code == 0, output
    assert output.strip().splitlines()[-1] == "True True"

"""docker-compose.yml and the Dockerfile, checked by reading them (no Docker engine runs here)."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def test_compose_has_the_five_services_and_a_one_shot_migration(services):
    assert set(services) == {"web", "worker", "beat", "db", "redis", "migrate"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"


def test_web_worker_and_beat_share_one_image_built_from_the_dockerfile(services):
    images = {services[name]["image"] for name in (*APP_SERVICES, "migrate")}
    assert images == {"lianchuang:latest"}
    for name in (*APP_SERVICES, "migrate"):
        assert services[name]["build"] == "."
    assert services["web"]["command"][0] == "gunicorn"
    assert "campaign.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "campaign", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "campaign", "beat"]
    assert "--scheduler=django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_health_checks(services):
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The probe's own address must be an allowed host, or /healthz answers 400.
    for name in APP_SERVICES:
        assert services[name]["environment"]["ALLOWED_HOSTS"].endswith(",127.0.0.1")


def test_app_services_start_after_healthy_db_and_redis_and_the_migration(services):
    expected = {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == expected, name
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_environment_volumes_and_production_mode(compose, services):
    assert set(compose["volumes"]) == {"pgdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        # No default secret: compose refuses to start without one.
        assert re.fullmatch(r"\$\{SECRET_KEY:\?.+\}", env["SECRET_KEY"])
        assert env["MEDIA_ROOT"] == "/data/media"
        assert "media:/data/media" in services[name]["volumes"]


def test_dockerfile_builds_a_non_root_gunicorn_image_with_cjk_fonts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim-bookworm" in dockerfile
    for package in ("fonts-noto-cjk", "libpango-1.0-0", "libharfbuzz-subset0", "gettext"):
        assert package in dockerfile
    assert "compilemessages" in dockerfile and "collectstatic" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, flags=re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert re.search(r'^CMD \["gunicorn", "campaign.wsgi:application"', dockerfile, flags=re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "db.sqlite3", "media"} <= set(ignored)


def test_web_workers_are_recycled_with_jitter(services):
    """A worker that once held a large page's memory is replaced after a few hundred requests."""
    command = services["web"]["command"]
    assert "--max-requests=500" in command and "--max-requests-jitter=50" in command
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = dockerfile[dockerfile.index("CMD [") :]
    assert '"--max-requests", "500"' in cmd and '"--max-requests-jitter", "50"' in cmd

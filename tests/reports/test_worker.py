"""A real Celery worker process against Redis and the test database.

The worker is started as `celery -A campaign worker` with DATABASE_URL pointing
at pytest's test database (hence transactional tests: the worker must see
committed rows) and a queue of its own, so nothing else can take the tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from campaign.celery import app as celery_app
from campaign.reports import pdf
from campaign.reports.models import Briefing, ProgressReport
from campaign.reports.services import briefing_create, briefing_pdf_relpath, report_take
from campaign.reports.tasks import make_bulletin, render_briefing

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")


def _redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {url}")
    return url


def _database_url():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the real-worker tests need PostgreSQL (a second process cannot see SQLite's test database)"
        )
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker_env():
    redis_url = _redis_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "REPORTS_RENDER_DELAY": "0",
    }
    env.pop("TEST_DATABASE_NAME", None)
    return env


@pytest.fixture
def queue():
    """A queue of the test's own; the test process sends to Redis instead of running tasks inline."""
    name = f"test-reports-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield name
    finally:
        celery_app.conf.task_always_eager = previous
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(name)


@pytest.fixture
def start_worker(worker_env, queue, tmp_path):
    started = []

    def _start(node=None, **extra_env):
        """``node``: the worker's name (a restarted worker keeps its name); one of its own by default."""
        log = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "campaign",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "-n",
                node or f"{queue}-{len(started)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env={**worker_env, **extra_env},
            stdout=open(log, "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        started.append(process)
        return process

    yield _start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for(condition, timeout, what, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(
                f"worker exited ({process.returncode}) while waiting for {what}:\n{process.log.read_text()}"
            )
        time.sleep(0.3)
    logs = process.log.read_text() if process is not None else ""
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_real_worker_renders_a_briefing(campaign, queue, start_worker, poppler):
    report, _ = report_take(campaign=campaign)
    briefing = briefing_create(campaign=campaign, report=report)
    worker = start_worker()
    result = render_briefing.apply_async(args=[briefing.pk], queue=queue)

    relative = result.get(timeout=90)

    assert relative == briefing_pdf_relpath(briefing)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE
    assert briefing.pdf == relative
    assert "三级联创工作简报" in poppler.text(pdf.media_path(relative))
    assert worker.poll() is None


def test_worker_killed_mid_briefing_redelivers_and_finishes_once(campaign, queue, start_worker, poppler):
    slow = start_worker(REPORTS_RENDER_DELAY="120")
    make_bulletin.apply_async(args=[campaign.pk], queue=queue)

    def briefing_half_written():
        briefing = Briefing.objects.filter(campaign=campaign).first()
        if briefing is None or briefing.status != Briefing.Status.RUNNING:
            return None
        return pdf.stale_temp_files(briefing_pdf_relpath(briefing)) and briefing

    briefing = _wait_for(briefing_half_written, 90, "the PDF's temporary file", slow)
    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    final = pdf.media_path(briefing_pdf_relpath(briefing))
    assert not final.exists(), "the killed worker must not leave a PDF in place"

    fresh = start_worker()
    _wait_for(
        lambda: Briefing.objects.filter(pk=briefing.pk, status=Briefing.Status.DONE).exists(),
        120,
        "the redelivered task to finish",
        fresh,
    )

    assert ProgressReport.objects.filter(campaign=campaign).count() == 1
    assert Briefing.objects.filter(campaign=campaign).count() == 1
    assert final.read_bytes().startswith(b"%PDF")
    assert poppler.pages(final) >= 1
    assert pdf.stale_temp_files(briefing_pdf_relpath(briefing)) == []

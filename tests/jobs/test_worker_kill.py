"""A worker killed in the middle of a PDF: the restarted worker takes the job back at once.

Real `celery -A campaign worker` processes against Redis and the test database, as in
tests/reports/test_worker.py. The visibility timeout is an hour here, so the job can only come
back through the start-up check, not through Redis handing the message out again.
"""

import os
import signal

import pytest
from django.test import Client

from campaign.celery import app as celery_app
from campaign.reports import pdf
from campaign.reports import services as report_services
from campaign.reports.models import Briefing
from tests import factories as f
from tests.reports.test_worker import _wait_for, start_worker, worker_env  # noqa: F401 - fixtures

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queue(worker_env):  # noqa: F811 - worker_env is the fixture imported above
    """A queue of the test's own, also the default one, so that the services' jobs land there."""
    import uuid

    name = f"test-kill-{uuid.uuid4().hex[:8]}"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = name
    worker_env["CELERY_TASK_DEFAULT_QUEUE"] = name
    try:
        yield name
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(name)


def test_a_worker_killed_mid_pdf_is_taken_back_at_start_up_and_the_last_pdf_stays(
    world,
    queue,
    start_worker,  # noqa: F811
):
    campaign = f.CampaignFactory(county=world.county_a, year=2026, name="2026年度三级联创")
    briefing = report_services.bulletin_make(campaign=campaign, render=False)
    # The last good PDF, made before.
    report_services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    last_good = pdf.media_path(briefing.pdf).read_bytes()
    made_before = briefing.pdf_rendered_at
    client = Client()
    client.force_login(world.alice)

    node = f"{queue}-node@%h"
    slow = start_worker(node=node, REPORTS_RENDER_DELAY="120", CELERY_VISIBILITY_TIMEOUT="3600")
    report_services.briefing_request_pdf(briefing=briefing)

    def running_and_half_written():
        row = Briefing.objects.get(pk=briefing.pk)
        return row.status == Briefing.Status.RUNNING and pdf.stale_temp_files(row.pdf) and row

    row = _wait_for(running_and_half_written, 90, "the new PDF's temporary file", slow)
    assert row.started_by.startswith(f"{queue}-node@")
    # While the new one is made, the last one is what a download gets.
    response = client.get(f"/reports/briefings/{briefing.pk}/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == last_good

    os.killpg(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert Briefing.objects.get(pk=briefing.pk).status == Briefing.Status.RUNNING
    response = client.get(f"/reports/briefings/{briefing.pk}/pdf/")
    assert b"".join(response.streaming_content) == last_good

    # The same worker comes back (compose restarts it under the same name): it takes the job back.
    fresh = start_worker(node=node, CELERY_VISIBILITY_TIMEOUT="3600")
    _wait_for(
        lambda: Briefing.objects.filter(pk=briefing.pk, status=Briefing.Status.DONE).exists(),
        90,
        "the restarted worker to make the PDF",
        fresh,
    )
    briefing.refresh_from_db()
    assert briefing.pdf_rendered_at > made_before
    assert pdf.media_path(briefing.pdf).read_bytes().startswith(b"%PDF")
    assert pdf.stale_temp_files(briefing.pdf) == []
    assert "1 job(s) re-queued" in fresh.log.read_text()

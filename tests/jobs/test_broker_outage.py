"""The broker is unreachable: a briefing, a document or a large import is refused at once with a
message the user reads, nothing stays queued forever, and the last good PDF stays downloadable.

The outage is real: Redis sits behind a forwarder whose port the test closes (connection refused)
and reopens.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from campaign.reports import services as report_services
from campaign.reports.models import Briefing, Document
from tests.importer.conftest import kind_sheet, upload_file, xlsx_bytes
from villages.importer.models import ImportJob
from villages.importer.schema import Kind

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = "后台服务暂不可用，请稍后重试。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(world):
    from tests import factories as f

    return f.CampaignFactory(county=world.county_a, year=2026, name="2026年度三级联创")


@pytest.fixture
def alice(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.alice)
    return client


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_briefing_pdf_with_the_broker_down_fails_at_once_with_a_message(campaign, alice, broker):
    briefing = report_services.bulletin_make(campaign=campaign, render=False)
    broker.down()
    response = alice.post(f"/reports/briefings/{briefing.pk}/render/")
    assert response.status_code == 302
    assert said(response) == [UNAVAILABLE]
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.FAILED
    assert briefing.failure_reason == UNAVAILABLE
    page = alice.get(f"/reports/briefings/{briefing.pk}/").content.decode()
    assert UNAVAILABLE in page

    # Redis is back: the same button sends the job (it waits in the queue for a worker).
    broker.up()
    response = alice.post(f"/reports/briefings/{briefing.pk}/render/")
    assert said(response) == ["正在生成PDF。"]
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.QUEUED and briefing.queued_at is not None
    assert broker.waiting() == 1


def test_publishing_with_the_broker_down_publishes_and_says_the_pdf_could_not_be_started(
    campaign, alice, broker
):
    briefing = report_services.bulletin_make(campaign=campaign, render=False)
    broker.down()
    response = alice.post(f"/reports/briefings/{briefing.pk}/publish/")
    assert response.status_code == 302 and said(response) == [UNAVAILABLE]
    briefing.refresh_from_db()
    assert briefing.published and briefing.status == Briefing.Status.FAILED


def test_a_document_with_the_broker_down_fails_at_once(campaign, alice, broker):
    broker.down()
    response = alice.post("/reports/documents/make/", {"campaign": campaign.pk, "kind": "naming_list"})
    assert response.status_code == 302 and said(response) == [UNAVAILABLE]
    document = Document.objects.get(campaign=campaign)
    assert document.status == Document.Status.FAILED and document.failure_reason == UNAVAILABLE


def village_workbook(*codes):
    return xlsx_bytes(kind_sheet(Kind.VILLAGES, *[["01", c, f"村{c}", "否", "否", 0, 0] for c in codes]))


def test_a_large_import_with_the_broker_down_fails_and_can_be_retried_or_cancelled(
    world, alice, broker, settings
):
    settings.IMPORT_ASYNC_BYTES = 1
    broker.down()
    response = alice.post(
        "/registry/import/upload/", {"file": upload_file(village_workbook("070", "071", "072"))}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.message == UNAVAILABLE
    page = alice.get(f"/registry/import/{job.pk}/").content.decode()
    assert UNAVAILABLE in page and "重新开始导入" in page and "取消导入" in page

    # Still down: retrying says so again, and nothing is lost.
    response = alice.post(f"/registry/import/{job.pk}/retry/")
    assert said(response) == [UNAVAILABLE]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED

    broker.up()
    response = alice.post(f"/registry/import/{job.pk}/retry/")
    assert said(response)[-1] == "已重新开始导入。"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and broker.waiting() == 1

    # The user gives up: cancelled, and a late worker leaves it alone.
    response = alice.post(f"/registry/import/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    from villages.importer import tasks

    tasks.preview_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert alice.post(f"/registry/import/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED


def test_applying_a_large_import_with_the_broker_down_applies_nothing(world, alice, broker, settings):
    from villages.models import Village

    settings.IMPORT_ASYNC_BYTES = 1
    response = alice.post(
        "/registry/import/upload/", {"file": upload_file(village_workbook("070", "071", "072"))}
    )
    job = ImportJob.objects.get()
    # The preview waits for a worker; here it runs as the worker would.
    from villages.importer import services

    services.import_job_preview(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    broker.down()
    response = alice.post(f"/registry/import/{job.pk}/confirm/")
    assert said(response) == [UNAVAILABLE]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Village.objects.filter(code="070").exists()


def test_a_running_job_cannot_be_cancelled_while_it_applies(world, alice):
    job = ImportJob.objects.create(
        county=world.county_a, original_name="x.xlsx", file="imports/x.xlsx", status=ImportJob.Status.APPLYING
    )
    response = alice.post(f"/registry/import/{job.pk}/cancel/")
    assert "不能再取消" in said(response)[0]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLYING


def test_the_publish_settings_keep_a_request_short():
    from django.conf import settings

    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 3
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 3
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] <= 3
    assert settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["retry_policy"]["max_retries"] <= 3

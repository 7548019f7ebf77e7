"""Jobs left behind by a lost broker or a dead worker are re-queued; pages say since when a job runs."""

import datetime

import pytest
from django.utils import timezone

from campaign import jobs
from campaign.reports import services as report_services
from campaign.reports.models import Briefing, Document
from tests import factories as f
from villages.importer.models import ImportJob

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(world):
    return f.CampaignFactory(county=world.county_a, year=2026, name="2026年度三级联创")


@pytest.fixture
def briefing(campaign):
    return report_services.bulletin_make(campaign=campaign, render=False)


def set_times(obj, **times):
    type(obj).objects.filter(pk=obj.pk).update(**times)
    obj.refresh_from_db()


def test_a_briefing_queued_past_its_limit_is_sent_again_and_made(
    briefing, django_capture_on_commit_callbacks
):
    set_times(briefing, status=Briefing.Status.QUEUED, queued_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs() == 1
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE  # tasks run inline in tests


def test_a_briefing_running_past_its_limit_is_sent_again(briefing, django_capture_on_commit_callbacks):
    set_times(briefing, status=Briefing.Status.RUNNING, started_at=timezone.now() - LONG_AGO, started_by="w1")
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs() == 1
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE


def test_recent_jobs_and_finished_ones_are_left_alone(briefing, campaign):
    now = timezone.now()
    set_times(briefing, status=Briefing.Status.RUNNING, started_at=now - datetime.timedelta(minutes=3))
    document = Document.objects.create(campaign=campaign, kind=Document.Kind.NAMING_LIST)
    set_times(document, status=Document.Status.DONE, queued_at=now - LONG_AGO)
    assert jobs.sweep_stale_jobs() == 0
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.RUNNING


def test_a_restarted_worker_takes_back_what_its_previous_life_was_running(
    briefing, django_capture_on_commit_callbacks
):
    now = timezone.now()
    set_times(briefing, status=Briefing.Status.RUNNING, started_at=now, started_by="celery@web1")
    assert jobs.sweep_stale_jobs(node="celery@web2") == 0  # another worker's job: still running
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs(node="celery@web1") == 1
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE


def test_a_lost_document_is_sent_again(campaign, django_capture_on_commit_callbacks):
    document = Document.objects.create(campaign=campaign, kind=Document.Kind.NAMING_LIST)
    set_times(document, status=Document.Status.QUEUED, queued_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs() == 1
    document.refresh_from_db()
    assert document.status == Document.Status.DONE


def test_rows_queued_before_the_timestamps_existed_are_swept_by_their_age(briefing):
    Briefing.objects.filter(pk=briefing.pk).update(
        status=Briefing.Status.QUEUED, queued_at=None, updated_at=timezone.now() - LONG_AGO
    )
    assert jobs.sweep_stale_jobs() == 1


def test_an_import_lost_while_checking_is_checked_again(world, tmp_path, django_capture_on_commit_callbacks):
    from tests.importer.conftest import kind_sheet, xlsx_bytes
    from villages.importer.schema import Kind

    path = tmp_path / "media" / "imports" / "v.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(xlsx_bytes(kind_sheet(Kind.VILLAGES, ["01", "070", "村070", "否", "否", 0, 0])))
    job = ImportJob.objects.create(
        county=world.county_a,
        original_name="v.xlsx",
        file="imports/v.xlsx",
        status=ImportJob.Status.PREVIEWING,
        started_at=timezone.now() - LONG_AGO,
        created_by=world.alice,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY


def test_an_import_lost_while_applying_is_applied_again(world, tmp_path, django_capture_on_commit_callbacks):
    from tests.importer.conftest import kind_sheet, xlsx_bytes
    from villages.importer.schema import Kind
    from villages.models import Village

    path = tmp_path / "media" / "imports" / "v.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(xlsx_bytes(kind_sheet(Kind.VILLAGES, ["01", "070", "村070", "否", "否", 0, 0])))
    job = ImportJob.objects.create(
        county=world.county_a,
        original_name="v.xlsx",
        file="imports/v.xlsx",
        status=ImportJob.Status.APPLYING,
        queued_at=timezone.now() - LONG_AGO,
        created_by=world.alice,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Village.objects.filter(code="070", township=world.a1).exists()


def test_the_sweeper_runs_on_a_schedule_registered_after_migrate():
    from django_celery_beat.models import PeriodicTask

    from campaign.celery import app

    task = PeriodicTask.objects.get(task="campaign.tasks.sweep_stale_jobs")
    assert task.enabled and task.interval.every == 300
    app.loader.import_default_modules()
    assert "campaign.tasks.sweep_stale_jobs" in app.tasks


def test_the_visibility_timeout_is_just_above_the_longest_hard_limit(settings):
    longest = max(settings.CELERY_TASK_TIME_LIMIT, settings.IMPORT_TASK_TIME_LIMIT)
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert longest < timeout <= longest + 10 * 60
    from villages.importer import tasks

    assert tasks.preview_import_job.time_limit == settings.IMPORT_TASK_TIME_LIMIT


# --- what the pages say ----------------------------------------------------------------------


def test_the_briefing_says_since_when_its_pdf_is_made_and_offers_to_restart_past_the_limit(
    briefing, login, world
):
    client = login(world.alice)
    started = timezone.now() - datetime.timedelta(minutes=4)
    set_times(briefing, status=Briefing.Status.RUNNING, started_at=started)
    fragment = client.get(f"/reports/briefings/{briefing.pk}/status/").content.decode()
    assert f"自 {timezone.localtime(started):%Y-%m-%d %H:%M} 起" in fragment
    assert "可能已中断" not in fragment

    set_times(briefing, started_at=timezone.now() - LONG_AGO)
    fragment = client.get(f"/reports/briefings/{briefing.pk}/status/").content.decode()
    assert "可能已中断 — 重新生成" in fragment
    # The leader reads it, without the button.
    fragment = login(world.leo).get(f"/reports/briefings/{briefing.pk}/status/").content.decode()
    assert "可能已中断" in fragment and "重新生成" not in fragment


def test_the_last_pdf_stays_downloadable_while_a_new_one_is_made(briefing, login, world):
    report_services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    old = (briefing.pdf, open(report_services.pdf.media_path(briefing.pdf), "rb").read())  # noqa: SIM115
    client = login(world.alice)
    for status in (Briefing.Status.QUEUED, Briefing.Status.RUNNING, Briefing.Status.FAILED):
        set_times(briefing, status=status)
        response = client.get(f"/reports/briefings/{briefing.pk}/pdf/")
        assert response.status_code == 200, status
        assert b"".join(response.streaming_content) == old[1]
        fragment = client.get(f"/reports/briefings/{briefing.pk}/status/").content.decode()
        assert "下载上一版PDF" in fragment


def test_the_import_page_says_since_when_and_offers_a_restart_past_the_limit(world, login):
    client = login(world.alice)
    job = ImportJob.objects.create(
        county=world.county_a,
        original_name="v.xlsx",
        file="imports/v.xlsx",
        status=ImportJob.Status.PREVIEWING,
        rows_total=5000,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        created_by=world.alice,
    )
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "自 " in page and "可能已中断" not in page and "取消导入" in page
    set_times(job, started_at=timezone.now() - LONG_AGO)
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "可能已中断" in page and "重新开始导入" in page

"""Every task of the project is late-acknowledged, JSON-only and retried with backoff on transient errors."""

import pytest
from django.conf import settings
from django.db import OperationalError

from campaign.celery import ReliableTask, app
from campaign.reports import pdf, services
from campaign.reports.models import Briefing


def test_celery_is_json_only_with_time_limits_and_late_acks():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == settings.CELERY_RESULT_SERIALIZER == "json"
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    # A task must finish before Redis would hand it to a second worker.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_every_project_task_is_reliable():
    app.loader.import_default_modules()
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.startswith(("campaign.", "appraisal.", "villages."))
    }
    assert "campaign.reports.tasks.render_briefing" in ours
    for name, task in ours.items():
        assert isinstance(task, ReliableTask), name
        assert task.acks_late and task.reject_on_worker_lost, name
        assert task.retry_backoff and task.max_retries, name
    # Other apps may narrow what they retry; the reports tasks keep the full list.
    for name, task in ours.items():
        if name.startswith("campaign.reports."):
            assert OperationalError in task.autoretry_for, name


@pytest.mark.django_db
def test_a_database_outage_is_raised_for_a_retry_not_recorded_as_a_failure(campaign, monkeypatch):
    briefing = services.briefing_create(campaign=campaign)

    def down(html):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pdf, "render_pdf", down)
    with pytest.raises(OperationalError):
        services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.RUNNING  # the retry will take it from here

"""Re-queue briefings and documents whose PDF job was lost (campaign/jobs.py explains when)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaign.jobs import enqueue, limit_of, stale_filter
from campaign.reports.models import Briefing, Document, RenderStatus


def _requeue(model, pk, task, stale, now):
    from campaign.reports.services import _job_failed

    with transaction.atomic():
        # Still stale once locked: another sweeper (or the user) may have re-queued it meanwhile.
        if not model.objects.select_for_update().filter(stale, pk=pk).exists():
            return 0
        model.objects.filter(pk=pk).update(
            status=RenderStatus.QUEUED, queued_at=now, started_at=None, started_by="", failure_reason=""
        )
        enqueue(task, pk, on_failure=_job_failed(model, pk))
    return 1


def sweep(*, now=None, node=None):
    """Re-queue PDFs queued or running past the task's time limit, or running on a restarted worker."""
    from campaign.reports.tasks import render_briefing, render_document

    now = now or timezone.now()
    limit = limit_of(settings.CELERY_TASK_TIME_LIMIT)
    count = 0
    for model, task, fallback in (
        (Briefing, render_briefing, "updated_at"),
        (Document, render_document, "created_at"),
    ):
        queued, running = stale_filter(now=now, limit=limit, node=node, fallback=fallback)
        stale = (Q(status=RenderStatus.QUEUED) & queued) | (Q(status=RenderStatus.RUNNING) & running)
        for pk in model.objects.filter(stale).values_list("pk", flat=True):
            count += _requeue(model, pk, task, stale, now)
    return count

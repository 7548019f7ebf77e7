"""Re-queue imports whose background check or apply was lost (campaign/jobs.py explains when)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaign.jobs import limit_of, stale_filter
from villages.importer.models import ImportJob

S = ImportJob.Status


def sweep(*, now=None, node=None):
    """Checks queued or running past the import time limit start again; a lost apply is applied again."""
    from villages.importer.services import _send

    now = now or timezone.now()
    queued, running = stale_filter(
        now=now, limit=limit_of(settings.IMPORT_TASK_TIME_LIMIT), node=node, fallback="created_at"
    )
    stale = (Q(status=S.QUEUED) & queued) | (Q(status__in=(S.PREVIEWING, S.APPLYING)) & running)
    count = 0
    for pk in ImportJob.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(stale, pk=pk).first()
            if job is None:
                continue
            step = "apply" if job.status == S.APPLYING else "preview"
            job.status = S.APPLYING if step == "apply" else S.QUEUED
            job.queued_at, job.started_at, job.started_by = now, None, ""
            job.save(update_fields=["status", "queued_at", "started_at", "started_by"])
            _send(job, step)
            count += 1
    return count

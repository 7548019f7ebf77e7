"""The project's own beat schedule, registered after every migrate (editable in the admin)."""

import json

from django.conf import settings

SWEEP_TASK_NAME = "Re-queue stale background jobs"
SWEEP_TASK = "campaign.tasks.sweep_stale_jobs"


def register_schedules(using="default", **kwargs):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=settings.JOBS_SWEEP_EVERY, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=SWEEP_TASK_NAME, defaults={"task": SWEEP_TASK, "interval": every, "kwargs": json.dumps({})}
    )

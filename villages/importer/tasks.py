"""Background work for large imports. Thin: load the job by id and call the service.

Both tasks are idempotent (they act only on a job in the matching status), so
a redelivery after a worker crash (acks_late) is harmless.
"""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from villages.importer import services
from villages.importer.models import ImportJob

TASK_OPTIONS = {
    "acks_late": True,
    "time_limit": settings.IMPORT_TASK_TIME_LIMIT,
    "soft_time_limit": settings.IMPORT_TASK_TIME_LIMIT - 60,
    # A lost database connection is worth another try; the job's status keeps the retry safe.
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
}


@shared_task(**TASK_OPTIONS)
def preview_import_job(job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_job_preview(job=job)


@shared_task(**TASK_OPTIONS)
def apply_import_job(job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_job_apply(job=job)

"""Writes of registry imports: create a job, preview it, apply it (all or nothing)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaign.files import clean_filename
from campaign.jobs import current_worker, enqueue
from campaign.roles import Role
from villages.importer.models import ImportJob
from villages.importer.planner import Plan
from villages.importer.xlsx import Workbook, WorkbookError, inspect_file, uncompressed_size

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def limits():
    """The importer's limits; each can be set in settings (tests and the benchmark change them)."""
    return {
        "max_bytes": getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 20 * MB),
        "max_uncompressed_bytes": getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 1024 * MB),
        "max_rows": getattr(settings, "IMPORT_MAX_ROWS", 400_000),
        # Above this many bytes of sheet XML once unpacked (about 2,500 rows) a worker checks and
        # applies the file; the zip's declared sizes are reliable, the <dimension> it carries is not.
        "async_bytes": getattr(settings, "IMPORT_ASYNC_BYTES", 1 * MB),
    }


def check_workbook(path, *, max_bytes=None):
    """Reject a file that is not a sane .xlsx before parsing it; return an estimate of its rows.

    Raises ``WorkbookError`` with a message for the user.
    """
    conf = limits()
    inspect_file(
        path,
        max_bytes=max_bytes or conf["max_bytes"],
        max_uncompressed_bytes=conf["max_uncompressed_bytes"],
    )
    with Workbook(path) as workbook:
        estimate = 0
        for sheet in workbook.sheets:
            rows = workbook.dimension_rows(sheet)
            if rows and rows > conf["max_rows"] + 10:
                raise WorkbookError(
                    _("The sheet “%(sheet)s” has %(rows)s rows; the limit is %(limit)s. Split the file.")
                    % {"sheet": sheet.title, "rows": rows, "limit": conf["max_rows"]}
                )
            estimate += rows or 0
    return estimate


def plan_workbook(*, path, county, township=None, progress=None):
    """Read and check the workbook at ``path``; return the ``Plan`` (nothing is written)."""
    plan = Plan(county=county, township=township, progress=progress)
    plan.read(path, max_rows=limits()["max_rows"])
    return plan


def registry_import(*, path, county, township=None, dry_run=False, progress=None):
    """Plan and, unless ``dry_run`` or the file has errors, apply in one transaction. Returns the plan."""
    plan = plan_workbook(path=path, county=county, township=township, progress=progress)
    if plan.is_valid and not dry_run:
        with transaction.atomic():
            plan.apply()
    return plan


def import_scope(user):
    """(county, township) a user imports into; township is None for the county administrator."""
    if user.role == Role.TOWNSHIP:
        return user.county, user.township
    return user.county, None


@transaction.atomic
def import_job_create(*, user, upload, rows_estimate=0):
    """Store an upload as a job and preview it now (small files) or in the background (large ones)."""
    county, township = import_scope(user)
    job = ImportJob(
        county=county,
        township=township,
        original_name=clean_filename(upload.name, max_length=255),
        created_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows_total=rows_estimate,
    )
    job.file.save(job.original_name, upload, save=False)
    job.full_clean()
    if in_background(job):
        job.queued_at = timezone.now()
        job.save()
        _send(job, "preview")
    else:
        job.save()
        import_job_preview(job=job)
    return job


def in_background(job):
    """Whether a worker checks and applies this job: by the unpacked size of its sheets."""
    return uncompressed_size(job.file.path) > limits()["async_bytes"]


def _send(job, step):
    """Hand the job's preview or apply to a worker after the commit; mark it failed if none can be reached."""
    from villages.importer import tasks

    task = tasks.preview_import_job if step == "preview" else tasks.apply_import_job
    waiting = ImportJob.Status.QUEUED if step == "preview" else ImportJob.Status.APPLYING

    def failed(message):
        ImportJob.objects.filter(pk=job.pk, status=waiting, started_at__isnull=True).update(
            status=ImportJob.Status.FAILED, message=message
        )

    enqueue(task, job.pk, on_failure=failed)


def _claim(job, status):
    """Save ``job`` only if its row is still in ``status`` (the user may have cancelled it meanwhile)."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().filter(pk=job.pk).values_list("status", flat=True)
        if list(current) != [status]:
            return False
        job.save()
        return True


def _progress(job):
    def report(done):
        # Outside a transaction (Celery), other requests see this at once: the progress bar.
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    return report


def import_job_preview(*, job):
    """Check the job's file against the registry and store the report (nothing is imported)."""
    claimed = ImportJob.objects.filter(
        pk=job.pk, status__in=(ImportJob.Status.QUEUED, ImportJob.Status.PREVIEWING)
    ).update(status=ImportJob.Status.PREVIEWING, started_at=timezone.now(), started_by=current_worker())
    if not claimed:
        return job
    job.refresh_from_db()
    with translation.override(job.language):
        try:
            plan = plan_workbook(
                path=job.file.path, county=job.county, township=job.township, progress=_progress(job)
            )
        except WorkbookError as error:
            return _job_invalid(job, str(error))
        _store_report(job, plan)
    job.status = ImportJob.Status.READY if plan.is_valid else ImportJob.Status.INVALID
    job.previewed_at = timezone.now()
    if not _claim(job, ImportJob.Status.PREVIEWING):
        job.refresh_from_db()
    return job


def import_job_confirm(*, job, user):
    """Apply a previewed job: at once for a small file, in the background for a large one.

    Only one confirmation wins (a double click or two users): the status moves
    from ready to applying in one conditional update.
    """
    if job.status != ImportJob.Status.READY:
        raise ValidationError(
            _("This import cannot be applied: its status is “%(status)s”.")
            % {"status": job.get_status_display()}
        )
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.APPLYING,
        applied_by=user,
        rows_done=0,
        queued_at=timezone.now(),
        started_at=None,
        started_by="",
    )
    if not claimed:
        raise ValidationError(_("This import is already being applied."))
    job.refresh_from_db()
    if in_background(job):
        _send(job, "apply")
        return job
    return import_job_apply(job=job)


@transaction.atomic
def import_job_retry(*, job, user):
    """Start a failed job again, or one that ran past its time limit (its worker probably died).

    A job that failed or was lost while checking is checked again from the start; one lost while
    applying is applied again (applying is one transaction: it wrote all or nothing).
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    lost = job.is_running and job.is_overdue
    if job.status != ImportJob.Status.FAILED and not lost:
        raise ValidationError(
            _("This import cannot be started again: its status is “%(status)s”.")
            % {"status": job.get_status_display()}
        )
    now = timezone.now()
    job.started_at, job.started_by, job.message, job.rows_done = None, "", "", 0
    if job.status == ImportJob.Status.APPLYING:
        job.queued_at = now
        job.save()
        _send(job, "apply")
        return job
    job.status = ImportJob.Status.QUEUED
    if in_background(job):
        job.queued_at = now
        job.save()
        _send(job, "preview")
        return job
    job.save()
    return import_job_preview(job=job)


def import_job_cancel(*, job, user):
    """Cancel a job that is not being applied; nothing of it is imported afterwards."""
    cancelled = ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.CANCELLABLE).update(
        status=ImportJob.Status.CANCELLED, message=""
    )
    job.refresh_from_db()
    if not cancelled:
        raise ValidationError(
            _("This import can no longer be cancelled: its status is “%(status)s”.")
            % {"status": job.get_status_display()}
        )
    logger.info("import job %s cancelled by %s", job.pk, user.username)
    return job


def import_job_apply(*, job):
    """Re-check the file against today's registry and apply it in one transaction, or nothing."""
    if job.status != ImportJob.Status.APPLYING:
        return job
    ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now(), started_by=current_worker())
    with translation.override(job.language):
        try:
            plan = plan_workbook(
                path=job.file.path, county=job.county, township=job.township, progress=_progress(job)
            )
        except WorkbookError as error:
            return _job_invalid(job, str(error))
        _store_report(job, plan)
        if not plan.is_valid:
            # The registry changed since the preview and some rows no longer fit.
            job.status = ImportJob.Status.INVALID
            job.message = _("The registry changed since the preview; nothing was applied.")
            job.save()
            return job
        try:
            with transaction.atomic():
                plan.apply()
        except (DatabaseError, ValidationError) as error:
            logger.exception("import job %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.message = _("Nothing was applied: the database refused a row (%(error)s).") % {
                "error": str(error)[:300]
            }
            job.save()
            return job
    job.status = ImportJob.Status.APPLIED
    job.applied_at = timezone.now()
    job.rows_done = job.rows_total
    job.save()
    return job


def _store_report(job, plan):
    job.counts = plan.summary()
    job.errors = plan.errors
    job.error_count = plan.error_count
    job.rows_total = max(job.rows_total, plan.rows_done)
    job.rows_done = plan.rows_done
    job.message = ""


def _job_invalid(job, message):
    running = job.status
    job.status = ImportJob.Status.INVALID
    job.message = message
    job.previewed_at = timezone.now()
    if not _claim(job, running):
        job.refresh_from_db()
    return job

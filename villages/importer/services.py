"""Writes of registry imports: create a job, preview it, apply it (all or nothing)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaign.roles import Role
from villages.importer.models import ImportJob
from villages.importer.plans import REGISTRY, plan_class
from villages.importer.xlsx import Workbook, WorkbookError, inspect_file

logger = logging.getLogger(__name__)

MB = 1024 * 1024


def limits():
    """The importer's limits; each can be set in settings (tests and the benchmark change them)."""
    return {
        "max_bytes": getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 20 * MB),
        "max_uncompressed_bytes": getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 1024 * MB),
        "max_rows": getattr(settings, "IMPORT_MAX_ROWS", 400_000),
        "async_rows": getattr(settings, "IMPORT_ASYNC_ROWS", 2000),
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


def plan_workbook(*, path, county, township=None, progress=None, plan=REGISTRY, user=None):
    """Read and check the workbook at ``path``; return the plan (nothing is written).

    ``plan`` names the planner (``villages.importer.plans``); ``user`` is who applies it.
    """
    plan = plan_class(plan)(county=county, township=township, progress=progress, user=user)
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
def import_job_create(*, user, upload, rows_estimate=0, plan=REGISTRY):
    """Store an upload as a job and preview it now (small files) or in the background (large ones)."""
    county, township = import_scope(user)
    job = ImportJob(
        county=county,
        township=township,
        plan=plan,
        original_name=upload.name[:255],
        created_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows_total=rows_estimate,
    )
    job.file.save(upload.name, upload, save=False)
    job.full_clean()
    job.save()
    if rows_estimate > limits()["async_rows"]:
        from villages.importer import tasks

        transaction.on_commit(lambda: tasks.preview_import_job.delay(job.pk))
    else:
        import_job_preview(job=job)
    return job


def _progress(job):
    def report(done):
        # Outside a transaction (Celery), other requests see this at once: the progress bar.
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    return report


def import_job_preview(*, job):
    """Check the job's file against the registry and store the report (nothing is imported)."""
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.PREVIEWING):
        return job
    job.status = ImportJob.Status.PREVIEWING
    job.save(update_fields=["status"])
    with translation.override(job.language):
        try:
            plan = plan_workbook(
                path=job.file.path,
                county=job.county,
                township=job.township,
                progress=_progress(job),
                plan=job.plan,
                user=job.created_by,
            )
        except WorkbookError as error:
            return _job_invalid(job, str(error))
        _store_report(job, plan)
    job.status = ImportJob.Status.READY if plan.is_valid else ImportJob.Status.INVALID
    job.previewed_at = timezone.now()
    job.save()
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
        status=ImportJob.Status.APPLYING, applied_by=user, rows_done=0
    )
    if not claimed:
        raise ValidationError(_("This import is already being applied."))
    job.refresh_from_db()
    if job.rows_total > limits()["async_rows"]:
        from villages.importer import tasks

        transaction.on_commit(lambda: tasks.apply_import_job.delay(job.pk))
        return job
    return import_job_apply(job=job)


def import_job_apply(*, job):
    """Re-check the file against today's registry and apply it in one transaction, or nothing."""
    if job.status != ImportJob.Status.APPLYING:
        return job
    with translation.override(job.language):
        try:
            plan = plan_workbook(
                path=job.file.path,
                county=job.county,
                township=job.township,
                progress=_progress(job),
                plan=job.plan,
                user=job.applied_by or job.created_by,
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
    job.status = ImportJob.Status.INVALID
    job.message = message
    job.previewed_at = timezone.now()
    job.save()
    return job

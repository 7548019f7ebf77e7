"""Upload, preview, confirm and follow registry imports; download templates and exports."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, require_role, role_required
from campaign.files import clean_filename
from campaign.roles import Role
from campaign.uploads import upload_limit
from villages.importer import exports, selectors, services
from villages.importer.forms import ImportForm
from villages.importer.models import ImportJob
from villages.importer.schema import Kind, sheet_title
from villages.importer.xlsx import XLSX_CONTENT_TYPE, write_workbook

IMPORT_ROLES = (Role.COUNTY_ADMIN, Role.TOWNSHIP)


def _home_context(request, form):
    jobs = Paginator(selectors.import_jobs_for(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {
        "form": form,
        "page_obj": jobs,
        "kinds": selectors.importable_kinds(request.user),
        "max_mb": services.limits()["max_bytes"] // services.MB,
    }


@role_required(*IMPORT_ROLES)
def import_home(request):
    return render(request, "importer/import_home.html", _home_context(request, ImportForm()))


def _too_large(request):
    # Refused without reading the body: a 200 MB upload costs the server nothing.
    form = ImportForm(data={}, files={}, too_large=True)
    return render(request, "importer/import_home.html", _home_context(request, form), status=413)


# The import views run outside the request's transaction: a job handed to a worker is sent when
# the service commits, so the page can tell at once when no worker could be reached (campaign/jobs.py).
@transaction.non_atomic_requests
@login_required
@upload_limit(
    max_request_bytes=lambda: services.limits()["max_bytes"],
    max_file_bytes=lambda: services.limits()["max_bytes"],
    too_large=_too_large,
)
def import_upload(request):
    """The file's size is checked before the body is read (campaign/uploads.py), then the form."""
    require_role(request.user, *IMPORT_ROLES)
    if request.method != "POST":
        return redirect("importer:home")
    form = ImportForm(request.POST, request.FILES)
    form.too_large = request.upload_too_large or bool(request.refused_uploads)
    if form.is_valid():
        job = services.import_job_create(
            user=request.user, upload=form.cleaned_data["file"], rows_estimate=form.rows_estimate
        )
        return redirect("importer:detail", pk=job.pk)
    return render(request, "importer/import_home.html", _home_context(request, form), status=400)


def _job(request, pk):
    return get_in_scope(selectors.import_jobs_for(request.user), pk=pk)


@role_required(*IMPORT_ROLES)
def import_detail(request, pk):
    job = _job(request, pk)
    errors = Paginator(job.errors, 100).get_page(request.GET.get("page"))
    counts = [(Kind(kind).label, job.counts[kind]) for kind in Kind if kind in job.counts]
    return render(
        request,
        "importer/import_detail.html",
        {
            "job": job,
            "errors_page": errors,
            "page_obj": errors,
            "counts": counts,
            "cancellable": ImportJob.CANCELLABLE,
        },
    )


@role_required(*IMPORT_ROLES)
def import_progress(request, pk):
    """The progress fragment, polled by htmx while the job runs; reloads the page when it is done."""
    job = _job(request, pk)
    response = render(request, "importer/_progress.html", {"job": job})
    if not job.is_running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@transaction.non_atomic_requests
@require_POST
@role_required(*IMPORT_ROLES)
def import_confirm(request, pk):
    job = _job(request, pk)
    try:
        job = services.import_job_confirm(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("importer:detail", pk=job.pk)
    job.refresh_from_db()
    if job.status == ImportJob.Status.APPLIED:
        messages.success(request, _("The file was imported."))
    elif job.status != ImportJob.Status.APPLYING:
        messages.error(request, job.message or _("Nothing was imported."))
    return redirect("importer:detail", pk=job.pk)


@transaction.non_atomic_requests
@require_POST
@role_required(*IMPORT_ROLES)
def import_retry(request, pk):
    """Start a failed or interrupted import again (see services.import_job_retry)."""
    job = _job(request, pk)
    try:
        services.import_job_retry(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        job.refresh_from_db()
        if job.status == ImportJob.Status.FAILED:
            messages.error(request, job.message)
        else:
            messages.success(request, _("The import was started again."))
    return redirect("importer:detail", pk=job.pk)


@require_POST
@role_required(*IMPORT_ROLES)
def import_cancel(request, pk):
    job = _job(request, pk)
    try:
        services.import_job_cancel(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was cancelled; nothing of it was imported."))
    return redirect("importer:detail", pk=job.pk)


@role_required(*IMPORT_ROLES)
def import_errors_download(request, pk):
    """The bad rows of a job as a workbook, to fix the file beside it."""
    job = _job(request, pk)
    headers = [_("Sheet"), _("Row"), _("Column"), _("Problem")]
    rows = ([e["sheet"], e["row"], e["column"], e["message"]] for e in job.errors)
    handle = write_workbook([(_("Problems"), headers, rows)])
    name = f"{_('problems')}-{job.pk}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=clean_filename(name), content_type=XLSX_CONTENT_TYPE
    )


def _kind(kind):
    try:
        return Kind(kind.replace("-", "_"))
    except ValueError:
        raise Http404 from None


def _xlsx_response(handle, kind, prefix):
    name = f"{prefix}-{sheet_title(kind)}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=clean_filename(name), content_type=XLSX_CONTENT_TYPE
    )


@role_required(*IMPORT_ROLES)
def template_download(request, kind):
    kind = _kind(kind)
    if kind not in selectors.importable_kinds(request.user):
        raise Http404
    import tempfile

    handle = tempfile.TemporaryFile()
    exports.template_workbook(kind).save(handle)
    handle.seek(0)
    return _xlsx_response(handle, kind, _("template"))


@login_required
def export_download(request, kind):
    """The list as a workbook, with the list's filters and the user's scope (write-only, streamed)."""
    kind = _kind(kind)
    handle = exports.export_workbook(kind, request.user, request.GET)
    return _xlsx_response(handle, kind, _("export"))

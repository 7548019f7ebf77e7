"""Briefings: list, edit, web preview, publish, PDF generation status and download."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, role_required
from campaign.files import clean_filename
from campaign.reports import pdf
from campaign.reports.documents import briefing_context
from campaign.reports.forms import BriefingForm
from campaign.reports.models import Briefing
from campaign.reports.selectors import briefings_for, reports_for
from campaign.reports.services import (
    briefing_create,
    briefing_publish,
    briefing_request_pdf,
    briefing_unpublish,
    briefing_update,
    next_briefing_number,
)
from campaign.roles import COUNTY_ROLES, Role

VIEWERS = (*COUNTY_ROLES, Role.CITY)
EDITORS = (Role.COUNTY_ADMIN,)


def _fields(form):
    return {k: v for k, v in form.cleaned_data.items() if k != "campaign"}


def _apply_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@role_required(*VIEWERS)
def briefing_list(request):
    briefings = briefings_for(request.user).order_by("-campaign__year", "-number")
    page = Paginator(briefings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "reports/briefing_list.html", {"page_obj": page, "can_edit": request.user.role in EDITORS}
    )


@role_required(*EDITORS)
def briefing_new(request):
    initial = {}
    wanted = str(request.GET.get("report", ""))
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
        # "New special issue" from a briefing: the same month's report, the next number.
        report = reports_for(request.user).filter(pk=int(wanted)).first()
        if report is not None:
            initial = {
                "campaign": report.campaign,
                "report": report,
                "special": True,
                "number": next_briefing_number(report.campaign),
                "title": "三级联创工作简报",
                "issuing_office": f"中共{report.campaign.county.name}委组织部",
                "issued_on": timezone.localdate(),
            }
    form = BriefingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            briefing = briefing_create(
                campaign=form.cleaned_data["campaign"], user=request.user, **_fields(form)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The briefing was saved as a draft."))
            return redirect("reports:briefing_detail", pk=briefing.pk)
    return render(request, "reports/briefing_form.html", {"form": form})


@role_required(*EDITORS)
def briefing_edit(request, pk):
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    form = BriefingForm(request.POST or None, instance=briefing, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            briefing_update(briefing=briefing, user=request.user, **_fields(form))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The briefing was saved."))
            return redirect("reports:briefing_detail", pk=briefing.pk)
    return render(request, "reports/briefing_form.html", {"form": form, "briefing": briefing})


@role_required(*VIEWERS)
def briefing_detail(request, pk):
    """The web preview: the same body as the PDF, on screen."""
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    return render(
        request,
        "reports/briefing_detail.html",
        {**briefing_context(briefing), "can_edit": request.user.role in EDITORS},
    )


@role_required(*VIEWERS)
def briefing_status(request, pk):
    """The PDF's status as an htmx fragment (polled while queued or running)."""
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    return render(
        request,
        "reports/_briefing_status.html",
        {"briefing": briefing, "can_edit": request.user.role in EDITORS},
    )


def _pdf_sent(request, briefing, success):
    """After the commit: the PDF job was sent, or the broker was down and the row says so."""
    briefing.refresh_from_db(fields=["status", "failure_reason"])
    if briefing.status == Briefing.Status.FAILED:
        messages.error(request, briefing.failure_reason)
    else:
        messages.success(request, success)


# Not in the request's transaction: the job is sent when the service commits, so the page can
# tell at once whether it went (campaign/jobs.py).
@transaction.non_atomic_requests
@require_POST
@role_required(*EDITORS)
def briefing_publish_view(request, pk):
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    try:
        briefing_publish(briefing=briefing, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _pdf_sent(request, briefing, _("The briefing was published; its PDF is being made."))
    return redirect("reports:briefing_detail", pk=briefing.pk)


@require_POST
@role_required(*EDITORS)
def briefing_unpublish_view(request, pk):
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    briefing_unpublish(briefing=briefing, user=request.user)
    messages.success(request, _("The briefing was withdrawn."))
    return redirect("reports:briefing_detail", pk=briefing.pk)


@transaction.non_atomic_requests
@require_POST
@role_required(*EDITORS)
def briefing_render_view(request, pk):
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    briefing_request_pdf(briefing=briefing, user=request.user)
    _pdf_sent(request, briefing, _("The PDF is being made."))
    return redirect("reports:briefing_detail", pk=briefing.pk)


@role_required(*VIEWERS)
def briefing_download(request, pk):
    """The last PDF made, also while a new one is being made (it replaces the file only once complete)."""
    briefing = get_in_scope(briefings_for(request.user), pk=pk)
    if not briefing.pdf:
        raise Http404(_("The PDF is not ready."))
    path = pdf.media_path(briefing.pdf)
    if not path.is_file():
        raise Http404(_("The PDF is not ready."))
    filename = f"{briefing.title}-{briefing.campaign.year}-{briefing.issue_label}.pdf"
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    return FileResponse(handle, content_type="application/pdf", filename=clean_filename(filename))

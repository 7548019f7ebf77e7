"""Printed documents of a campaign: the naming decision and list, certificates (one or a whole approval
batch), the county self-check; the public notice and the supervision notice; the county's print settings.

The county administrator and the county leader make them. A request answers at once: the PDF is
made by a worker (or, without one, after the response has been sent, see ``queue.py``) and its
status (queued, running, done, failed with the reason) is polled with htmx.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.selectors import campaigns_for, titles_for
from appraisal.selectors import notices_for as public_notices_for
from campaign.access import get_in_scope, role_required
from campaign.files import clean_filename
from campaign.reports import pdf
from campaign.reports.forms import CertificateForm, NamingDecisionForm, PrintSettingsForm, SelfCheckForm
from campaign.reports.models import Document, number_label
from campaign.reports.selectors import documents_for
from campaign.reports.services import document_request, next_document_number, print_settings_for
from campaign.roles import COUNTY_ROLES, Role

VIEWERS = (*COUNTY_ROLES, Role.CITY)
PRINTERS = (Role.COUNTY_ADMIN, Role.COUNTY_LEADER)
MAX_ID = 2**63 - 1


def _int(value):
    """A positive database id from user input, or None (hostile input never reaches a query)."""
    value = str(value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _campaign(request, source):
    campaigns = campaigns_for(request.user).select_related("county").order_by("-year", "county__code")
    wanted = _int(source.get("campaign"))
    campaign = campaigns.filter(pk=wanted).first() if wanted else None
    return campaigns, campaign or (None if wanted else campaigns.first()), wanted


def _batches(campaign):
    """Approval batches: the days titles were named in this campaign, with their counts."""
    return list(
        titles_for_campaign(campaign).values("named_on").annotate(n=Count("id")).order_by("-named_on")
    )


def titles_for_campaign(campaign):
    from appraisal.models import Title

    return Title.objects.filter(campaign=campaign).exclude(status=Title.Status.REVOKED)


def _initial_forms(campaign):
    marks = print_settings_for(campaign.county)
    today = timezone.localdate()
    return {
        "decision_form": NamingDecisionForm(
            prefix="decision",
            prefix_label=marks.committee_prefix,
            initial={
                "number": next_document_number(
                    county=campaign.county, prefix=marks.committee_prefix, year=today.year
                ),
                "copies": 60,
                "signed_on": today,
                "recipients": "各乡镇党委，县直各部门党组（党委）",
            },
        ),
        "self_check_form": SelfCheckForm(
            prefix="selfcheck",
            initial={"copies": 10, "signed_on": today, "recipients": "市委组织部"},
        ),
        "certificate_form": CertificateForm(prefix="cert"),
    }


def _page(request, campaign, campaigns, forms=None, status=200):
    documents = documents_for(request.user).filter(campaign=campaign) if campaign else Document.objects.none()
    by_key = {(d.kind, d.title_id, d.batch): d for d in documents}
    titles = (
        titles_for(request.user)
        .filter(campaign=campaign)
        .order_by("track", "township__code", "village__code", "id")
        if campaign
        else titles_for(request.user).none()
    )
    page = Paginator(titles, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for title in page:
        title.certificate = by_key.get((Document.Kind.CERTIFICATE, title.pk, ""))
    batches = _batches(campaign) if campaign else []
    for batch in batches:
        batch["key"] = batch["named_on"].isoformat()
        batch["document"] = by_key.get((Document.Kind.CERTIFICATES, 0, batch["key"]))
    context = {
        "campaign": campaign,
        "campaigns": campaigns,
        "page_obj": page,
        "query_string": f"campaign={campaign.pk}" if campaign else "",
        "naming_list": by_key.get((Document.Kind.NAMING_LIST, 0, "")),
        "naming_decision": by_key.get((Document.Kind.NAMING_DECISION, 0, "")),
        "self_check": by_key.get((Document.Kind.COUNTY_SELF_CHECK, 0, "")),
        "batches": batches,
        "can_make": request.user.role in PRINTERS,
        "can_configure": request.user.role == Role.COUNTY_ADMIN,
        "Kind": Document.Kind,
    }
    if campaign and context["can_make"]:
        context.update(_initial_forms(campaign))
        context.update(forms or {})
    return render(request, "reports/document_list.html", context, status=status)


@role_required(*VIEWERS)
def document_list(request):
    campaigns, campaign, _wanted = _campaign(request, request.GET)
    return _page(request, campaign, campaigns)


def _apply(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _respond(request, document, campaign):
    if request.headers.get("HX-Request"):
        return render(request, "reports/_document_cell.html", _cell(request, document))
    document.refresh_from_db(fields=["status", "failure_reason"])
    if document.status == Document.Status.FAILED:
        messages.error(request, document.failure_reason)
        return redirect(f"{reverse('reports:document_list')}?campaign={campaign.pk}#doc-{document.pk}")
    messages.success(request, _("The PDF is being made: its status shows here."))
    return redirect(f"{reverse('reports:document_list')}?campaign={campaign.pk}#doc-{document.pk}")


def _cell(request, document):
    return {"doc": document, "can_make": False, "poll": True}


# Not in the request's transaction: the page tells at once whether the job was sent (campaign/jobs.py).
@transaction.non_atomic_requests
@require_POST
@role_required(*PRINTERS)
def document_make(request):
    campaigns, campaign, wanted = _campaign(request, request.POST)
    if campaign is None or wanted is None:
        raise Http404
    kind = request.POST.get("kind")
    if kind not in Document.Kind.values or kind in (
        Document.Kind.PUBLIC_NOTICE,
        Document.Kind.SUPERVISION_NOTICE,
    ):
        raise Http404
    marks = print_settings_for(campaign.county)
    form, form_key, options = None, None, {}
    title, batch = None, ""
    if kind == Document.Kind.NAMING_DECISION:
        form, form_key = (
            NamingDecisionForm(request.POST, prefix="decision", prefix_label=marks.committee_prefix),
            "decision_form",
        )
    elif kind == Document.Kind.COUNTY_SELF_CHECK:
        form, form_key = SelfCheckForm(request.POST, prefix="selfcheck"), "self_check_form"
    elif kind in (Document.Kind.CERTIFICATE, Document.Kind.CERTIFICATES):
        form, form_key = CertificateForm(request.POST, prefix="cert"), "certificate_form"
        if kind == Document.Kind.CERTIFICATE:
            title = get_in_scope(
                titles_for(request.user).filter(campaign=campaign), pk=_int(request.POST.get("title")) or 0
            )
        else:
            try:
                day = datetime.date.fromisoformat(str(request.POST.get("batch", ""))[:10])
            except ValueError:
                day = None
            if day is None or not titles_for_campaign(campaign).filter(named_on=day).exists():
                raise Http404
            batch = day.isoformat()
    if form is not None and not form.is_valid():
        return _page(request, campaign, campaigns, {form_key: form}, status=400)
    number = None
    if form is not None:
        options = dict(form.cleaned_data)
        number = options.pop("number", None)
        if kind == Document.Kind.COUNTY_SELF_CHECK and not options.get("as_official"):
            number = None
            options["signer"] = ""
    try:
        document = document_request(
            campaign=campaign,
            kind=kind,
            title=title,
            batch=batch,
            number=number,
            user=request.user,
            **options,
        )
    except ValidationError as error:
        if form is None:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('reports:document_list')}?campaign={campaign.pk}")
        _apply(form, error)
        return _page(request, campaign, campaigns, {form_key: form}, status=400)
    return _respond(request, document, campaign)


@role_required(*VIEWERS)
def document_status(request, pk):
    """A document's status cell, polled by htmx while it is queued or running."""
    document = get_in_scope(documents_for(request.user), pk=pk)
    return render(request, "reports/_document_cell.html", _cell(request, document))


@role_required(*VIEWERS)
def document_download(request, pk):
    """The last PDF made, also while a new one is being made."""
    document = get_in_scope(documents_for(request.user), pk=pk)
    if not document.pdf:
        raise Http404(_("The PDF is not ready."))
    path = pdf.media_path(document.pdf)
    if not path.is_file():
        raise Http404(_("The PDF is not ready."))
    filename = f"{document.get_kind_display()}-{document.campaign.year}-{document.pk}.pdf"
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    return FileResponse(handle, content_type="application/pdf", filename=clean_filename(filename))


def _notice_print(request, notice, campaign, kind, back):
    document = documents_for(request.user).filter(campaign=campaign, kind=kind, object_id=notice.pk).first()
    if request.method == "POST":
        if request.user.role not in PRINTERS:
            raise Http404
        document = document_request(campaign=campaign, kind=kind, notice=notice, user=request.user)
        if request.headers.get("HX-Request"):
            return render(request, "reports/_document_cell.html", _cell(request, document))
        messages.success(request, _("The PDF is being made: its status shows here."))
        return redirect(request.path)
    return render(
        request,
        "reports/notice_print.html",
        {
            "notice": notice,
            "doc": document,
            "kind": kind,
            "back": back,
            "can_make": request.user.role in PRINTERS,
        },
    )


@role_required(*PRINTERS, Role.COUNTY_REVIEWER)
def public_notice_print(request, pk):
    """The 公示 of a public notice, for posting on a board."""
    notice = get_in_scope(
        public_notices_for(request.user).select_related("campaign__county"), pk=_int(pk) or 0
    )
    return _notice_print(
        request,
        notice,
        notice.campaign,
        Document.Kind.PUBLIC_NOTICE,
        reverse("appraisal:notice_detail", args=[notice.pk]),
    )


@role_required(*PRINTERS, Role.COUNTY_REVIEWER)
def supervision_print(request, pk):
    """The 督办通知单 of a supervision notice, with its number."""
    from campaign.models import Campaign
    from campaign.steering.selectors import notices_for

    notice = get_in_scope(notices_for(request.user), pk=_int(pk) or 0)
    campaign = (
        Campaign.objects.filter(county_id=notice.county_id, year__lte=notice.year).order_by("-year").first()
        or Campaign.objects.filter(county_id=notice.county_id).order_by("year").first()
    )
    if campaign is None:
        raise Http404
    return _notice_print(
        request,
        notice,
        campaign,
        Document.Kind.SUPERVISION_NOTICE,
        reverse("steering:notice_detail", args=[notice.pk]),
    )


@role_required(Role.COUNTY_ADMIN)
def print_settings(request):
    """The county's organ marks, number prefixes, printing offices and the 套打 positions."""
    from villages.models import County

    county = County.objects.get(pk=request.user.county_id)
    instance = print_settings_for(county)
    form = PrintSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The print settings were saved."))
        return redirect("reports:print_settings")
    example = number_label(instance.committee_prefix, timezone.localdate().year, 1)
    return render(
        request,
        "reports/print_settings.html",
        {"form": form, "example": example},
        status=400 if form.errors else 200,
    )

"""The county's appraisal list and vetoes (notices: ``views/notices.py``; approval: ``views/approval.py``)."""

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import VetoForm
from appraisal.models import Appraisal, Track
from appraisal.views.checks import _campaign
from appraisal.views.common import client_ip, evidence_too_large, page, parse_id
from campaign.access import get_in_scope, role_required
from campaign.files import clean_filename
from campaign.roles import COUNTY_ROLES, Role
from campaign.uploads import upload_limit

S = Appraisal.Status


@login_required
def appraisal_list(request):
    """Every appraisal in scope, filtered by campaign, track, township and state."""
    if request.user.role not in (*COUNTY_ROLES, Role.CITY):
        raise PermissionDenied
    campaign = _campaign(request)
    queryset = selectors.appraisals_for(request.user)
    if campaign:
        queryset = queryset.filter(campaign=campaign)
    filters = {}
    for name, values in (("track", Track.values), ("status", S.values)):
        value = request.GET.get(name, "")
        if value in values:
            queryset = queryset.filter(**{name: value})
            filters[name] = value
    township = request.GET.get("township", "")
    if parse_id(township) is not None:
        queryset = queryset.filter(township_id=township)
        filters["township"] = township
    queryset = queryset.order_by("track", "township__code", "village__code", "department__code", "id")
    return render(
        request,
        "appraisal/appraisal_list.html",
        {
            "campaign": campaign,
            "page_obj": page(request, queryset),
            "filters": filters,
            "tracks": Track.choices,
            "statuses": S.choices,
            "townships": selectors.townships_in_scope(request.user),
            "campaigns": selectors.campaigns_for(request.user)
            .select_related("county")
            .order_by("-year", "county__code"),
            "query_string": "&".join(
                f"{k}={v}" for k, v in {**filters, "campaign": campaign.pk if campaign else ""}.items() if v
            ),
        },
    )


def _veto_subjects(user):
    from appraisal.forms import PLEASE_CHOOSE
    from villages.selectors import departments_for, townships_for, villages_for

    choices = [PLEASE_CHOOSE]
    choices += [
        (f"village:{v.pk}", f"{v.township.name} · {v.name}")
        for v in villages_for(user).order_by("township__code", "code")
    ]
    choices += [
        (f"township:{t.pk}", f"{t.name}（{Track.TOWNSHIP.label}）")
        for t in townships_for(user).order_by("code")
    ]
    choices += [(f"department:{d.pk}", d.name) for d in departments_for(user).order_by("code")]
    return choices


@role_required(*COUNTY_ROLES)
def veto_list(request):
    campaign = _campaign(request)
    form = None
    if request.user.role == Role.COUNTY_ADMIN:
        form = VetoForm(subjects=_veto_subjects(request.user))
    return _veto_page(request, campaign, form)


@login_required
def veto_evidence(request, pk):
    """A veto's evidence, only through this view and only to users whose scope holds the veto."""
    veto = get_in_scope(selectors.vetoes_for(request.user).exclude(evidence=""), pk=pk)
    try:
        handle = veto.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = clean_filename(PurePath(veto.evidence.name).name)
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _veto_page(request, campaign, form, status=200):
    return render(
        request,
        "appraisal/veto_list.html",
        {"campaign": campaign, "page_obj": page(request, selectors.vetoes_for(request.user)), "form": form},
        status=status,
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
@upload_limit(
    max_request_bytes=lambda: settings.EVIDENCE_MAX_BYTES, max_file_bytes=lambda: settings.EVIDENCE_MAX_BYTES
)
def veto_create(request):
    from villages.selectors import departments_for, townships_for, villages_for

    campaign = _campaign(request)
    form = VetoForm(request.POST, request.FILES, subjects=_veto_subjects(request.user))
    if request.upload_too_large or request.refused_uploads:
        # The form keeps what was typed; the file was not stored.
        form.is_valid()
        form.add_error("evidence", evidence_too_large())
    elif form.is_valid() and campaign is not None:
        track, _sep, subject_id = form.cleaned_data["subject"].partition(":")
        source = {"village": villages_for, "township": townships_for, "department": departments_for}[track]
        subject = get_in_scope(source(request.user), pk=subject_id)
        try:
            with transaction.atomic():
                services.veto_record(
                    campaign=campaign,
                    track=track,
                    subject=subject,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    description=form.cleaned_data["description"],
                    evidence=form.cleaned_data.get("evidence"),
                    ip=client_ip(request),
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The veto was recorded."))
            return redirect("appraisal:veto_list")
    return _veto_page(request, campaign, form, status=400)

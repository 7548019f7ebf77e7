"""The county's steps after re-check: public notices and objections, approval, vetoes; the appraisal list."""

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import NoticeForm, ObjectionForm, ObjectionHandleForm, VetoForm
from appraisal.models import Appraisal, Objection, Track
from appraisal.views.checks import _campaign
from appraisal.views.common import client_ip, error_messages, evidence_too_large, page
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
    if township.isdigit():
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


@role_required(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
def notice_list(request):
    """Public notices, and the re-checked appraisals waiting for one (administrators open it)."""
    campaign = _campaign(request)
    ready = selectors.rechecked_for_notice(request.user, campaign) if campaign else Appraisal.objects.none()
    return render(
        request,
        "appraisal/notice_list.html",
        {
            "campaign": campaign,
            "notices": selectors.notices_for(request.user).filter(campaign=campaign)[:50] if campaign else [],
            "ready": ready,
            "form": NoticeForm(),
            "can_open": request.user.role == Role.COUNTY_ADMIN,
        },
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def notice_open(request):
    campaign = _campaign(request)
    form = NoticeForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("appraisal") if v.isdigit()]
    appraisals = list(selectors.appraisals_for(request.user).filter(pk__in=ids))
    if len(appraisals) != len(set(ids)):
        raise PermissionDenied
    if not form.is_valid() or campaign is None:
        messages.error(request, _("Enter the start date of the notice."))
        return redirect("appraisal:notice_list")
    try:
        with transaction.atomic():
            notice = services.public_notice_open(
                campaign=campaign,
                appraisals=appraisals,
                user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                title=form.cleaned_data["title"],
                ip=client_ip(request),
            )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("appraisal:notice_list")
    messages.success(
        request,
        _("The notice runs from %(start)s to %(end)s.") % {"start": notice.starts_on, "end": notice.ends_on},
    )
    return redirect("appraisal:notice_detail", pk=notice.pk)


@role_required(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
def notice_detail(request, pk):
    notice = get_in_scope(selectors.notices_for(request.user), pk=pk)
    appraisals = (
        selectors.appraisals_for(request.user)
        .filter(notice=notice)
        .order_by("track", "township__code", "village__code")
    )
    objections = Objection.objects.filter(notice=notice).select_related(
        "appraisal__village", "appraisal__township", "appraisal__department", "handled_by"
    )
    return render(
        request,
        "appraisal/notice_detail.html",
        {
            "notice": notice,
            "appraisals": appraisals,
            "objections": objections,
            "objection_form": ObjectionForm(),
            "handle_form": ObjectionHandleForm(),
            "can_edit": request.user.role == Role.COUNTY_ADMIN,
            "ended": notice.has_ended(timezone.localdate()),
        },
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def objection_record(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    form = ObjectionForm(request.POST)
    target = (
        ("appraisal:notice_detail", appraisal.notice_id)
        if appraisal.notice_id
        else ("appraisal:appraisal_detail", pk)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(*target)
    try:
        with transaction.atomic():
            services.objection_record(
                appraisal=appraisal, user=request.user, ip=client_ip(request), **form.cleaned_data
            )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The objection was recorded."))
    return redirect(*target)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def objection_handle(request, pk):
    objection = get_in_scope(
        Objection.objects.filter(appraisal__in=selectors.appraisals_for(request.user)).select_related(
            "appraisal"
        ),
        pk=pk,
    )
    form = ObjectionHandleForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.objection_handle(
                    objection=objection, user=request.user, ip=client_ip(request), **form.cleaned_data
                )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The handling of the objection was recorded."))
    else:
        messages.error(request, _("Choose an outcome and say how the objection was handled."))
    return redirect("appraisal:notice_detail", pk=objection.notice_id)


@role_required(Role.COUNTY_LEADER, Role.COUNTY_ADMIN)
def approval(request):
    """The leader's page: the batches under notice, which may be approved, the five-star cap warning."""
    campaign = _campaign(request)
    today = timezone.localdate()
    batch = list(selectors.approval_batch(request.user, campaign)) if campaign else []
    notices = {}
    for appraisal in batch:
        entry = notices.setdefault(appraisal.notice_id, {"notice": appraisal.notice, "appraisals": []})
        appraisal.ready = appraisal.notice.has_ended(today) and not appraisal.pending_objections
        entry["appraisals"].append(appraisal)
    warning = None
    if campaign:
        five, villages, cap = selectors.five_star_share(campaign)
        if cap is not None and villages and five * 100 > cap * villages:
            warning = _(
                "%(five)s of the county's %(villages)s villages would be five-star, "
                "above the cap of %(cap)s%%."
            ) % {"five": five, "villages": villages, "cap": cap}
    return render(
        request,
        "appraisal/approval.html",
        {
            "campaign": campaign,
            "batches": list(notices.values()),
            "today": today,
            "warning": warning,
            "can_approve": request.user.role == Role.COUNTY_LEADER,
        },
    )


@role_required(Role.COUNTY_LEADER)
@require_POST
def approve(request):
    ids = [int(v) for v in request.POST.getlist("appraisal") if v.isdigit()]
    appraisals = list(selectors.appraisals_for(request.user).filter(pk__in=ids))
    if len(appraisals) != len(set(ids)):
        raise PermissionDenied
    try:
        with transaction.atomic():
            titles = services.appraisal_approve(
                appraisals=appraisals, user=request.user, ip=client_ip(request)
            )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("appraisal:approval")
    messages.success(
        request, _("%(n)s approved; %(t)s titles issued.") % {"n": len(appraisals), "t": len(titles)}
    )
    return redirect("appraisal:title_list")


def _veto_subjects(user):
    from villages.selectors import departments_for, townships_for, villages_for

    choices = [("", "—")]
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

"""Public notices (公示): choosing the subjects, confirming, the notice, its objections and withdrawals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import NoticeForm, ObjectionForm, ObjectionHandleForm, WithdrawForm
from appraisal.models import Appraisal, Objection
from appraisal.services.notices import notice_period
from appraisal.views.checks import _campaign
from appraisal.views.common import client_ip, error_messages, parse_ids
from campaign.access import get_in_scope, role_required
from campaign.roles import Role

S = Appraisal.Status


def _list_page(request, campaign, form=None, chosen=(), status=200):
    ready = selectors.rechecked_for_notice(request.user, campaign) if campaign else Appraisal.objects.none()
    return render(
        request,
        "appraisal/notice_list.html",
        {
            "campaign": campaign,
            "notices": selectors.notices_for(request.user).filter(campaign=campaign)[:50] if campaign else [],
            "ready": ready,
            "form": form or NoticeForm(),
            # Nothing is ticked at first: each subject put on a notice is a choice.
            "chosen": {str(pk) for pk in chosen},
            "can_open": request.user.role == Role.COUNTY_ADMIN,
        },
        status=status,
    )


@role_required(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
def notice_list(request):
    """Public notices, and the re-checked appraisals waiting for one (administrators open it)."""
    return _list_page(request, _campaign(request))


def _chosen(request):
    """The ticked appraisals, all in the user's scope (403 otherwise)."""
    ids, valid = parse_ids(request.POST.getlist("appraisal"))
    if not valid:
        raise PermissionDenied
    appraisals = list(
        selectors.appraisals_for(request.user)
        .filter(pk__in=ids)
        .order_by("track", "township__code", "village__code", "department__code")
    )
    if len(appraisals) != len(ids):
        raise PermissionDenied
    return appraisals


@role_required(Role.COUNTY_ADMIN)
@require_POST
def notice_open(request):
    """Two steps: the ticked subjects and the start date are checked and shown for confirmation
    (how many, which, from when to when); only the confirmed post opens the notice."""
    campaign = _campaign(request)
    form = NoticeForm(request.POST)
    appraisals = _chosen(request)
    if campaign is None:
        raise PermissionDenied
    if request.POST.get("confirm") == "back":
        return _list_page(request, campaign, NoticeForm(request.POST), [a.pk for a in appraisals])
    if not form.is_valid():
        return _list_page(request, campaign, form, [a.pk for a in appraisals], status=400)
    if not appraisals:
        messages.error(request, _("Tick the subjects to put on the notice."))
        return _list_page(request, campaign, form, status=400)
    try:
        starts_on, ends_on = notice_period(campaign, form.cleaned_data["starts_on"])
    except ValidationError as exc:
        form.add_error("starts_on", exc.message_dict["starts_on"])
        return _list_page(request, campaign, form, [a.pk for a in appraisals], status=400)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "appraisal/notice_confirm.html",
            {
                "campaign": campaign,
                "form": form,
                "appraisals": appraisals,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "title": form.cleaned_data["title"]
                or _("Public notice of %(campaign)s") % {"campaign": campaign.name},
            },
        )
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
        return _list_page(request, campaign, form, [a.pk for a in appraisals], status=400)
    messages.success(
        request,
        _("The notice runs from %(start)s to %(end)s.")
        % {"start": f"{notice.starts_on:%Y-%m-%d}", "end": f"{notice.ends_on:%Y-%m-%d}"},
    )
    return redirect("appraisal:notice_detail", pk=notice.pk)


def _detail_page(request, notice, *, bound=None, status=200):
    """The notice; ``bound`` = (kind, pk, form) puts a refused form back beside its row, as typed."""
    kind, bound_pk, bound_form = bound or (None, None, None)

    def form(name, pk, cls):
        if kind == name and bound_pk == pk:
            return bound_form
        # Ids of their own: a page holds one form per row.
        return cls(auto_id=f"id_{name}{pk}_%s")

    appraisals = [
        {
            "a": a,
            "objection_form": form("objection", a.pk, ObjectionForm),
            "withdraw_form": form("withdraw", a.pk, WithdrawForm),
            "open": kind in ("objection", "withdraw") and bound_pk == a.pk,
        }
        for a in selectors.appraisals_for(request.user)
        .filter(notice=notice)
        .order_by("track", "township__code", "village__code", "department__code")
    ]
    objections = [
        {"o": o, "form": form("handle", o.pk, ObjectionHandleForm)}
        for o in Objection.objects.filter(notice=notice).select_related(
            "appraisal__village", "appraisal__township", "appraisal__department", "handled_by"
        )
    ]
    withdrawn = (
        selectors.withdrawn_from_notice(request.user, notice)
        if request.user.role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
        else []
    )
    return render(
        request,
        "appraisal/notice_detail.html",
        {
            "notice": notice,
            "appraisals": appraisals,
            "objections": objections,
            "withdrawn": withdrawn,
            "can_edit": request.user.role == Role.COUNTY_ADMIN,
            "ended": notice.has_ended(timezone.localdate()),
            "upcoming": timezone.localdate() < notice.starts_on,
        },
        status=status,
    )


@role_required(Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
def notice_detail(request, pk):
    notice = get_in_scope(selectors.notices_for(request.user), pk=pk)
    return _detail_page(request, notice)


def _stale(request, appraisal):
    messages.error(request, services.AppraisalChanged.default_message)
    return redirect("appraisal:appraisal_detail", pk=appraisal.pk)


def _form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def notice_withdraw(request, pk):
    """Take one subject off a running notice, with the reason (kept in its history)."""
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    notice = appraisal.notice
    if notice is None:
        return _stale(request, appraisal)
    form = WithdrawForm(request.POST, auto_id=f"id_withdraw{pk}_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.public_notice_withdraw(
                    appraisal=appraisal,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    ip=client_ip(request),
                )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(subject)s was withdrawn from the notice; it is back among the re-checked subjects.")
                % {"subject": appraisal.subject},
            )
            return redirect("appraisal:notice_detail", pk=notice.pk)
    return _detail_page(request, notice, bound=("withdraw", appraisal.pk, form), status=400)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def objection_record(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    notice = appraisal.notice
    if notice is None:
        return _stale(request, appraisal)
    form = ObjectionForm(request.POST, auto_id=f"id_objection{pk}_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.objection_record(
                    appraisal=appraisal, user=request.user, ip=client_ip(request), **form.cleaned_data
                )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The objection was recorded."))
            return redirect("appraisal:notice_detail", pk=notice.pk)
    return _detail_page(request, notice, bound=("objection", appraisal.pk, form), status=400)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def objection_handle(request, pk):
    """How an objection was handled: the outcome has no preset, an empty one is refused with a message."""
    objection = get_in_scope(
        Objection.objects.filter(appraisal__in=selectors.appraisals_for(request.user)).select_related(
            "appraisal", "notice"
        ),
        pk=pk,
    )
    form = ObjectionHandleForm(request.POST, auto_id=f"id_handle{pk}_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.objection_handle(
                    objection=objection, user=request.user, ip=client_ip(request), **form.cleaned_data
                )
        except services.AppraisalChanged as exc:
            error_messages(request, exc)
            return redirect("appraisal:notice_detail", pk=objection.notice_id)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The handling of the objection was recorded."))
            return redirect("appraisal:notice_detail", pk=objection.notice_id)
    return _detail_page(request, objection.notice, bound=("handle", objection.pk, form), status=400)

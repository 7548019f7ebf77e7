"""Public notices and objections."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import (
    NoticeWithdrawal,
    Objection,
    PublicNotice,
    Track,
)
from appraisal.services import handoffs
from appraisal.services.common import (
    Action,
    AppraisalChanged,
    Status,
    _event,
    _lock,
    _lock_many,
    _require_role,
    _require_scope,
    _set_status,
    _today,
)
from appraisal.workdays import WorkCalendar
from campaign.roles import Role

# ---------------------------------------------------------------- public notice and objections


def notice_period(campaign, starts_on, *, today=None):
    """(first day, last day) of a notice asked to start on ``starts_on``; refuses a start in the past.

    A notice is posted for people to read: one backdated would count days nobody could object in.
    """
    today = today or _today()
    if starts_on < today:
        raise ValidationError(
            {
                "starts_on": _("A public notice cannot start before today (%(today)s).")
                % {"today": f"{today:%Y-%m-%d}"}
            }
        )
    calendar = WorkCalendar()
    first = calendar.next_working_day(starts_on)
    return first, calendar.add_working_days(first, campaign.notice_working_days)


@transaction.atomic
def public_notice_open(*, campaign, appraisals, user, starts_on, title="", ip=None, today=None):
    """rechecked → publicized for a batch; the notice lasts the campaign's number of working days.

    It starts today at the earliest (on the next working day if that is a holiday or a weekend).
    The county leader, who approves once it has ended, is told.
    """
    _require_role(user, Role.COUNTY_ADMIN)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    for appraisal in appraisals:
        _require_scope(user, appraisal)
        if appraisal.campaign_id != campaign.id:
            raise ValidationError(_("All appraisals must belong to the campaign."))
    starts_on, ends_on = notice_period(campaign, starts_on, today=today)
    locked = _lock_many(appraisals, (Status.RECHECKED,))
    notice = PublicNotice(
        campaign=campaign,
        title=title or _("Public notice of %(campaign)s") % {"campaign": campaign.name},
        starts_on=starts_on,
        ends_on=ends_on,
        working_days=campaign.notice_working_days,
        opened_by=user,
    )
    notice.full_clean()
    notice.save()
    for appraisal in locked:
        _set_status(appraisal, Status.PUBLICIZED, notice=notice)
        _event(
            appraisal,
            user,
            Action.PUBLICIZED,
            from_status=Status.RECHECKED,
            to_status=Status.PUBLICIZED,
            comment=_("%(start)s to %(end)s") % {"start": starts_on, "end": ends_on},
            ip=ip,
        )
    handoffs.notice_opened(notice, locked)
    return notice


@transaction.atomic
def public_notice_withdraw(*, appraisal, user, reason, ip=None, today=None):
    """Take one subject off a notice that has not ended: publicized → rechecked, with the reason.

    The county's re-check stands, so the subject goes back to "re-checked" and may be put on a later
    notice; a subject that must not be named at all is ended by an upheld objection or a veto.
    """
    _require_role(user, Role.COUNTY_ADMIN)
    _require_scope(user, appraisal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the subject is withdrawn from the notice.")})
    appraisal = _lock(appraisal, (Status.PUBLICIZED,))
    notice = appraisal.notice
    today = today or _today()
    if notice.has_ended(today):
        raise ValidationError(
            _("The notice ended on %(end)s: a subject can only be withdrawn while it runs.")
            % {"end": f"{notice.ends_on:%Y-%m-%d}"}
        )
    _set_status(appraisal, Status.RECHECKED, notice=None)
    NoticeWithdrawal.objects.create(notice=notice, appraisal=appraisal, reason=reason, withdrawn_by=user)
    event = _event(
        appraisal,
        user,
        Action.WITHDRAWN,
        from_status=Status.PUBLICIZED,
        to_status=Status.RECHECKED,
        comment=reason,
        ip=ip,
    )
    handoffs.withdrawn(appraisal, event, notice, reason)
    return appraisal


@transaction.atomic
def objection_record(*, appraisal, user, received_on, content, raised_by="", ip=None):
    _require_role(user, Role.COUNTY_ADMIN)
    _require_scope(user, appraisal)
    appraisal = _lock(appraisal, (Status.PUBLICIZED,))
    if not (content or "").strip():
        raise ValidationError({"content": _("Describe the objection.")})
    objection = Objection(
        appraisal=appraisal,
        notice=appraisal.notice,
        received_on=received_on,
        raised_by=raised_by,
        content=content.strip(),
        recorded_by=user,
    )
    objection.full_clean()
    objection.save()
    _event(appraisal, user, Action.OBJECTION, comment=objection.content, ip=ip)
    return objection


@transaction.atomic
def objection_handle(*, objection, user, outcome, handling, ip=None):
    """Record how an objection was handled; an upheld one sends the appraisal back or ends it."""
    _require_role(user, Role.COUNTY_ADMIN)
    _require_scope(user, objection.appraisal)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome != Objection.Outcome.PENDING:
        raise AppraisalChanged(_("This objection has already been handled. Reload the page."))
    if outcome not in (
        Objection.Outcome.DISMISSED,
        Objection.Outcome.UPHELD_RETURN,
        Objection.Outcome.UPHELD_END,
    ):
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if not (handling or "").strip():
        raise ValidationError({"handling": _("Say how the objection was handled.")})
    appraisal = _lock(objection.appraisal, (Status.PUBLICIZED,))
    objection.outcome, objection.handling = outcome, handling.strip()
    objection.handled_by, objection.handled_at = user, timezone.now()
    objection.save()
    _event(
        appraisal,
        user,
        Action.OBJECTION_HANDLED,
        comment=f"{objection.get_outcome_display()}: {objection.handling}",
        ip=ip,
    )
    if outcome == Objection.Outcome.UPHELD_RETURN:
        after = Status.RECHECK_REQUESTED if appraisal.track == Track.VILLAGE else Status.SUBMITTED
        _set_status(appraisal, after, notice=None, return_reason=objection.handling)
        event = _event(
            appraisal,
            user,
            Action.RETURNED,
            from_status=Status.PUBLICIZED,
            to_status=after,
            comment=objection.handling,
            ip=ip,
        )
    elif outcome == Objection.Outcome.UPHELD_END:
        _set_status(appraisal, Status.NOT_RECOMMENDED)
        event = _event(
            appraisal,
            user,
            Action.NOT_RECOMMENDED,
            from_status=Status.PUBLICIZED,
            to_status=Status.NOT_RECOMMENDED,
            comment=objection.handling,
            ip=ip,
        )
    if outcome != Objection.Outcome.DISMISSED:
        handoffs.objection_upheld(appraisal, event, objection)
    return objection


# A notice that ended while nothing ran (downtime) is still announced, for a month.
NOTICE_ENDED_CATCH_UP_DAYS = 30


def notice_send_ended(*, today=None):
    """Tell the county leader about each notice that has ended (its subjects can now be approved).

    Run daily; each notice is announced once (the notification key), notices that ended more than
    a month ago are left alone. Returns the number of notifications created.
    """
    import datetime

    from django.db.models import Count, Q

    today = today or _today()
    ended = (
        PublicNotice.objects.filter(
            ends_on__lt=today, ends_on__gte=today - datetime.timedelta(days=NOTICE_ENDED_CATCH_UP_DAYS)
        )
        .select_related("campaign")
        .annotate(waiting=Count("appraisals", filter=Q(appraisals__status=Status.PUBLICIZED)))
    )
    return sum(handoffs.notice_ended(notice, notice.waiting) for notice in ended if notice.waiting)

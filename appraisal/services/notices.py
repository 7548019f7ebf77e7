"""Public notices and objections."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import (
    Objection,
    PublicNotice,
    Track,
)
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
)
from appraisal.workdays import add_working_days, next_working_day
from campaign.roles import Role

# ---------------------------------------------------------------- public notice and objections


@transaction.atomic
def public_notice_open(*, campaign, appraisals, user, starts_on, title="", ip=None):
    """rechecked → publicized for a batch; the notice lasts the campaign's number of working days."""
    _require_role(user, Role.COUNTY_ADMIN)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    for appraisal in appraisals:
        _require_scope(user, appraisal)
        if appraisal.campaign_id != campaign.id:
            raise ValidationError(_("All appraisals must belong to the campaign."))
    locked = _lock_many(appraisals, (Status.RECHECKED,))
    starts_on = next_working_day(starts_on)
    ends_on = add_working_days(starts_on, campaign.notice_working_days)
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
    return notice


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
        _event(
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
        _event(
            appraisal,
            user,
            Action.NOT_RECOMMENDED,
            from_status=Status.PUBLICIZED,
            to_status=Status.NOT_RECOMMENDED,
            comment=objection.handling,
            ip=ip,
        )
    return objection

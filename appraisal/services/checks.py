"""The township check, the report for re-check, the county re-check and returns."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal.models import RecheckBatch, Track
from appraisal.services import handoffs
from appraisal.services.common import (
    COUNTY_CHECKERS,
    Action,
    Status,
    Tier,
    _event,
    _lock,
    _lock_many,
    _recompute,
    _require_role,
    _require_scope,
    _set_status,
    _write_scores,
)
from campaign.roles import Role

# ---------------------------------------------------------------- checks


def _may_return(user, appraisal):
    if appraisal.status == Status.SUBMITTED:
        if appraisal.track == Track.VILLAGE:
            return user.role == Role.TOWNSHIP
        return user.role in COUNTY_CHECKERS
    if appraisal.status == Status.RECHECK_REQUESTED:
        return user.role in COUNTY_CHECKERS
    return False


@transaction.atomic
def appraisal_return(*, appraisal, user, reason, ip=None, expected=None):
    """Return for revision: submitted → draft (by its checker), recheck_requested → submitted (county)."""
    _require_role(user, Role.TOWNSHIP, *COUNTY_CHECKERS)
    _require_scope(user, appraisal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    appraisal = _lock(appraisal, (Status.SUBMITTED, Status.RECHECK_REQUESTED), expected)
    if not _may_return(user, appraisal):
        raise PermissionDenied
    before = appraisal.status
    after = Status.DRAFT if before == Status.SUBMITTED else Status.SUBMITTED
    _set_status(appraisal, after, return_reason=reason)
    event = _event(
        appraisal, user, Action.RETURNED, from_status=before, to_status=after, comment=reason, ip=ip
    )
    handoffs.returned(appraisal, event, reason, by_county=user.role in COUNTY_CHECKERS)
    return appraisal


@transaction.atomic
def appraisal_township_check(*, appraisal, user, scores, opinion="", ip=None):
    """submitted → township_checked: the township's score and remark for every indicator (villages only)."""
    _require_role(user, Role.TOWNSHIP)
    _require_scope(user, appraisal)
    if appraisal.track != Track.VILLAGE:
        raise PermissionDenied
    appraisal = _lock(appraisal, (Status.SUBMITTED,))
    changed = _write_scores(appraisal, Tier.TOWNSHIP, scores, user, require_all=True)
    appraisal.township_opinion = opinion
    _set_status(appraisal, Status.TOWNSHIP_CHECKED, township_opinion=opinion)
    _recompute(appraisal)
    if changed:
        _event(appraisal, user, Action.SCORES_CHANGED, comment=_("township tier"), ip=ip)
    _event(
        appraisal,
        user,
        Action.TOWNSHIP_CHECKED,
        from_status=Status.SUBMITTED,
        to_status=Status.TOWNSHIP_CHECKED,
        comment=opinion,
        ip=ip,
    )
    return appraisal


@transaction.atomic
def appraisal_request_recheck(*, appraisals, user, ip=None):
    """township_checked → recheck_requested, one or a batch, all or nothing.

    The villages reported together form a ``RecheckBatch`` (the county's queue groups by it), and
    the county's checkers of the area are told once for the whole batch. A reason the county gave
    when it returned a village is cleared: the township has dealt with it.
    """
    _require_role(user, Role.TOWNSHIP)
    for appraisal in appraisals:
        _require_scope(user, appraisal)
    locked = _lock_many(appraisals, (Status.TOWNSHIP_CHECKED,))
    first = locked[0]
    batch = RecheckBatch.objects.create(
        campaign_id=first.campaign_id, township_id=user.township_id, reported_by=user
    )
    for appraisal in locked:
        _set_status(appraisal, Status.RECHECK_REQUESTED, recheck_batch=batch, return_reason="")
        _event(
            appraisal,
            user,
            Action.RECHECK_REQUESTED,
            from_status=Status.TOWNSHIP_CHECKED,
            to_status=Status.RECHECK_REQUESTED,
            ip=ip,
        )
    handoffs.batch_reported(batch, locked)
    return locked


@transaction.atomic
def appraisal_county_recheck(*, appraisal, user, scores, opinion="", recommend=True, ip=None):
    """County scores for a reported village or a submitted township/department → (not) recommended."""
    _require_role(user, *COUNTY_CHECKERS)
    _require_scope(user, appraisal)
    allowed = (Status.RECHECK_REQUESTED,) if appraisal.track == Track.VILLAGE else (Status.SUBMITTED,)
    appraisal = _lock(appraisal, allowed)
    before = appraisal.status
    _write_scores(appraisal, Tier.COUNTY, scores, user, require_all=True)
    after = Status.RECHECKED if recommend else Status.NOT_RECOMMENDED
    _set_status(appraisal, after, county_opinion=opinion)
    _recompute(appraisal)
    action = Action.RECHECKED if recommend else Action.NOT_RECOMMENDED
    event = _event(appraisal, user, action, from_status=before, to_status=after, comment=opinion, ip=ip)
    if not recommend:
        handoffs.not_recommended(appraisal, event, opinion)
    return appraisal

"""Shared pieces of the appraisal services: roles, constants, locks, events, score writing."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import scoring
from appraisal.models import (
    Appraisal,
    AppraisalEvent,
    Indicator,
    Score,
    Track,
)
from appraisal.selectors import appraisals_for, rubric_structure
from campaign.roles import Role

Status = Appraisal.Status
Tier = Score.Tier
Action = AppraisalEvent.Action

COUNTY_CHECKERS = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
# Surveys and ratings feed the county's re-check; once it has scored, the result stands.
SATISFACTION_OPEN = (Status.DRAFT, Status.SUBMITTED, Status.TOWNSHIP_CHECKED, Status.RECHECK_REQUESTED)
SUBJECT_ROLE = {Track.VILLAGE: Role.VILLAGE, Track.TOWNSHIP: Role.TOWNSHIP, Track.DEPARTMENT: Role.DEPARTMENT}
EVIDENCE_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The first bytes of each allowed kind: the extension alone is not trusted.
EVIDENCE_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}
EVIDENCE_MAGIC.update({".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",)})


class AppraisalChanged(ValidationError):
    """The appraisal's state moved on since the user loaded the page."""

    default_message = gettext_lazy(
        "This appraisal has changed in the meantime. Reload the page and try again."
    )

    def __init__(self, message=None):
        super().__init__(message or self.default_message, code="changed")


# ---------------------------------------------------------------- helpers


def _today():
    return timezone.localdate()


def _event(appraisal, user, action, *, from_status="", to_status="", comment="", ip=None, on_behalf=False):
    return AppraisalEvent.objects.create(
        appraisal=appraisal,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        ip_address=ip or None,
        on_behalf=on_behalf,
    )


def _require_role(user, *roles):
    if user.role not in roles:
        raise PermissionDenied


def _require_scope(user, appraisal):
    if not appraisals_for(user).filter(pk=appraisal.pk).exists():
        raise PermissionDenied


def _lock(appraisal, allowed, expected=None):
    """Lock the row and check it is still in one of the ``allowed`` states (and the one the user saw)."""
    locked = Appraisal.objects.select_for_update().select_related("rubric", "campaign").get(pk=appraisal.pk)
    if locked.status not in allowed or (expected and locked.status != expected):
        raise AppraisalChanged()
    return locked


def _lock_many(appraisals, allowed):
    ids = sorted({a.pk for a in appraisals})
    if not ids:
        raise ValidationError(_("Choose at least one appraisal."))
    # Always lock in id order so that two batches cannot deadlock.
    locked = list(
        Appraisal.objects.select_for_update()
        .select_related("campaign", "rubric")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(ids) or any(a.status not in allowed for a in locked):
        raise AppraisalChanged()
    return locked


def _set_status(appraisal, status, **fields):
    appraisal.status = status
    for name, value in fields.items():
        setattr(appraisal, name, value)
    appraisal.save(update_fields=["status", "updated_at", *fields])


def parse_points(raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    return value


def _write_scores(appraisal, tier, values, user, *, require_all):
    """Upsert one tier's scores. ``values``: {indicator_id: (points, remark)}; returns the count changed.

    Errors are collected per indicator (``score_<id>``) so that a form can show
    each beside its field, and nothing is written unless all are valid.
    """
    indicators = {i.id: i for i in Indicator.objects.filter(star__rubric_id=appraisal.rubric_id)}
    errors = {}
    clean = {}
    for indicator_id, (raw, remark) in values.items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            raise ValidationError(_("This indicator is not part of the appraisal's rubric."))
        try:
            points = parse_points(raw)
        except ValidationError as exc:
            errors[f"score_{indicator.id}"] = exc.messages
            continue
        if points is None:
            if require_all:
                errors[f"score_{indicator.id}"] = [_("Score every indicator.")]
            continue
        if points < 0 or points > indicator.max_points:
            errors[f"score_{indicator.id}"] = [
                _("Enter between 0 and %(max)s points.") % {"max": f"{indicator.max_points.normalize():f}"}
            ]
            continue
        if points != points.quantize(Decimal("0.1")):
            errors[f"score_{indicator.id}"] = [_("Use at most one decimal place.")]
            continue
        clean[indicator.id] = (points, (remark or "").strip())
    if require_all:
        for indicator_id in indicators:
            if indicator_id not in values:
                errors[f"score_{indicator_id}"] = [_("Score every indicator.")]
    if errors:
        raise ValidationError(errors)
    existing = {s.indicator_id: s for s in Score.objects.filter(appraisal=appraisal, tier=tier)}
    changed = 0
    to_create = []
    for indicator_id, (points, remark) in clean.items():
        score = existing.get(indicator_id)
        if score is None:
            to_create.append(
                Score(
                    appraisal=appraisal,
                    indicator_id=indicator_id,
                    tier=tier,
                    points=points,
                    max_points=indicators[indicator_id].max_points,
                    remark=remark,
                    updated_by=user,
                )
            )
        elif score.points != points or score.remark != remark:
            score.points, score.remark, score.updated_by = points, remark, user
            score.save(update_fields=["points", "remark", "updated_by", "updated_at"])
            changed += 1
    Score.objects.bulk_create(to_create)
    return changed + len(to_create)


def appraisal_result(appraisal, tier=Tier.COUNTY, *, structure=None):
    """The stars a tier's scores earn (``scoring.Result``), with the satisfaction cap and any veto."""
    structure = structure if structure is not None else rubric_structure(appraisal.rubric)
    points = dict(Score.objects.filter(appraisal=appraisal, tier=tier).values_list("indicator_id", "points"))
    rubric = appraisal.rubric
    return scoring.compute(
        structure,
        points,
        threshold=rubric.star_threshold,
        satisfaction=appraisal.satisfaction_rate,
        floor=rubric.satisfaction_floor,
        cap_stars=rubric.satisfaction_cap_stars,
        vetoed=appraisal.status == Status.VETOED,
    )


def _recompute(appraisal):
    """Write the denormalized totals of every tier and the final stars (from the county tier)."""
    totals = {tier: None for tier in Tier.values}
    for tier, points in Score.objects.filter(appraisal=appraisal).values_list("tier", "points"):
        totals[tier] = (totals[tier] or Decimal(0)) + points
    appraisal.self_points = totals[Tier.SELF]
    appraisal.township_points = totals[Tier.TOWNSHIP]
    appraisal.final_points = totals[Tier.COUNTY]
    if totals[Tier.COUNTY] is not None:
        result = appraisal_result(appraisal, Tier.COUNTY)
        appraisal.stars_earned = result.earned
        appraisal.star_count = result.star_count
    else:
        appraisal.stars_earned, appraisal.star_count = [], 0
    appraisal.save(
        update_fields=[
            "self_points",
            "township_points",
            "final_points",
            "stars_earned",
            "star_count",
            "updated_at",
        ]
    )

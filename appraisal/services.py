"""Every change of an appraisal, notice, veto or title goes through one of these functions.

Each transition checks the role and the scope, locks the row(s) with
``select_for_update``, checks the current state (a state that has moved on
raises ``AppraisalChanged``: two people acting at once get exactly one
transition), writes the new state and an append-only event.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from appraisal import scoring
from appraisal.models import (
    Appraisal,
    AppraisalEvent,
    Evidence,
    Indicator,
    Objection,
    PublicNotice,
    Rating,
    Rubric,
    SatisfactionSurvey,
    Score,
    Star,
    Title,
    TitleEvent,
    Track,
    VetoEvent,
)
from appraisal.selectors import appraisals_for, rubric_current, rubric_structure, titles_for
from appraisal.workdays import add_working_days, next_working_day
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


def _subject_users(appraisal):
    from campaign.models import User

    if appraisal.track == Track.VILLAGE:
        return User.objects.filter(is_active=True, role=Role.VILLAGE, village_id=appraisal.village_id)
    if appraisal.track == Track.TOWNSHIP:
        return User.objects.filter(is_active=True, role=Role.TOWNSHIP, township_id=appraisal.township_id)
    return User.objects.filter(is_active=True, role=Role.DEPARTMENT, department_id=appraisal.department_id)


def _notify(users, event, title, body=""):
    """An in-app notification about a workflow event, in the site's language, once per event."""
    from django.urls import reverse
    from django.utils import translation

    from campaign.notifications import notify

    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=list(users),
            title=str(title),
            body=str(body),
            url=reverse("appraisal:appraisal_detail", args=[event.appraisal_id]),
            key=f"appraisal-event:{event.pk}",
        )


# ---------------------------------------------------------------- starting a round


@transaction.atomic
def appraisal_start(*, campaign, track, subject, user=None):
    """The subject's appraisal in the campaign, created as a draft on the current rubric if missing."""
    field = {Track.VILLAGE: "village", Track.TOWNSHIP: "township", Track.DEPARTMENT: "department"}[track]
    existing = Appraisal.objects.filter(campaign=campaign, track=track, **{field: subject}).first()
    if existing:
        return existing
    rubric = rubric_current(campaign, track)
    if rubric is None:
        raise ValidationError(_("The campaign has no rubric for this track yet."))
    township = subject if track == Track.TOWNSHIP else getattr(subject, "township", None)
    appraisal = Appraisal(
        campaign=campaign,
        rubric=rubric,
        track=track,
        county_id=campaign.county_id,
        township=township,
        **({field: subject} if field != "township" else {}),
    )
    appraisal.full_clean()
    appraisal.save()
    _event(appraisal, user, Action.CREATED, to_status=Status.DRAFT)
    return appraisal


@transaction.atomic
def campaign_open_appraisals(*, campaign, user):
    """Create a draft appraisal for every village, township and department of the county that lacks one."""
    _require_role(user, Role.COUNTY_ADMIN)
    if user.county_id != campaign.county_id:
        raise PermissionDenied
    from villages.models import Department, Township, Village

    created = 0
    for track, subjects in (
        (
            Track.VILLAGE,
            Village.objects.filter(township__county_id=campaign.county_id).select_related("township"),
        ),
        (Track.TOWNSHIP, Township.objects.filter(county_id=campaign.county_id)),
        (Track.DEPARTMENT, Department.objects.filter(county_id=campaign.county_id)),
    ):
        rubric = rubric_current(campaign, track)
        if rubric is None:
            continue
        field = {
            Track.VILLAGE: "village_id",
            Track.TOWNSHIP: "township_id",
            Track.DEPARTMENT: "department_id",
        }[track]
        have = set(Appraisal.objects.filter(campaign=campaign, track=track).values_list(field, flat=True))
        new = []
        for subject in subjects:
            if subject.id in have:
                continue
            new.append(
                Appraisal(
                    campaign=campaign,
                    rubric=rubric,
                    track=track,
                    county_id=campaign.county_id,
                    township_id=subject.township_id
                    if track == Track.VILLAGE
                    else (subject.id if track == Track.TOWNSHIP else None),
                    village_id=subject.id if track == Track.VILLAGE else None,
                    department_id=subject.id if track == Track.DEPARTMENT else None,
                )
            )
        Appraisal.objects.bulk_create(new)
        AppraisalEvent.objects.bulk_create(
            [
                AppraisalEvent(appraisal=a, actor=user, action=Action.CREATED, to_status=Status.DRAFT)
                for a in new
            ]
        )
        created += len(new)
    return created


# ---------------------------------------------------------------- self-report


def fills_in_for_village(user, appraisal):
    """A township user filling in a village of its own township (many secretaries are not at ease
    with computers: DESIGN.md's role table has the township fill in village self-reports)."""
    return (
        appraisal.track == Track.VILLAGE
        and user.role == Role.TOWNSHIP
        and user.township_id is not None
        and appraisal.township_id == user.township_id
    )


def _require_subject(user, appraisal):
    """The subject itself, or its township for a village; returns whether it acts on the subject's behalf."""
    on_behalf = fills_in_for_village(user, appraisal)
    if not on_behalf:
        _require_role(user, SUBJECT_ROLE[appraisal.track])
    _require_scope(user, appraisal)
    return on_behalf


@transaction.atomic
def appraisal_save_self(*, appraisal, user, scores, self_report=None, ip=None):
    """Save the self-assessment (any part of it) of a draft; nobody edits a submitted report."""
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    changed = _write_scores(appraisal, Tier.SELF, scores, user, require_all=False)
    if self_report is not None and self_report != appraisal.self_report:
        appraisal.self_report = self_report
        appraisal.save(update_fields=["self_report", "updated_at"])
        changed += 1
    if changed:
        _recompute(appraisal)
        _event(
            appraisal,
            user,
            Action.SAVED,
            comment=ngettext("%(n)s change", "%(n)s changes", changed) % {"n": changed},
            ip=ip,
            on_behalf=on_behalf,
        )
    return appraisal


def validate_evidence_file(upload):
    """Refuse files of a forbidden type or over ``settings.EVIDENCE_MAX_BYTES``."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {"file": _("Upload a PDF, JPG, PNG, DOCX or XLSX file.")},
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
            }
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in EVIDENCE_MAGIC[suffix]):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    return suffix


@transaction.atomic
def evidence_add(*, appraisal, indicator, upload, user, ip=None):
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    if indicator.star.rubric_id != appraisal.rubric_id:
        raise ValidationError(_("This indicator is not part of the appraisal's rubric."))
    suffix = validate_evidence_file(upload)
    item = Evidence(
        appraisal=appraisal,
        indicator=indicator,
        original_name=PurePath(upload.name).name[:200],
        size=upload.size,
        content_type=EVIDENCE_EXTENSIONS[suffix],
        uploaded_by=user,
    )
    item.file.save(upload.name, upload, save=False)
    item.full_clean()
    item.save()
    _event(appraisal, user, Action.EVIDENCE_ADDED, comment=item.original_name, ip=ip, on_behalf=on_behalf)
    return item


@transaction.atomic
def evidence_remove(*, evidence, user, ip=None):
    appraisal = evidence.appraisal
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    name = evidence.original_name
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))
    _event(appraisal, user, Action.EVIDENCE_REMOVED, comment=name, ip=ip, on_behalf=on_behalf)


def eligibility_preview(appraisal):
    """What the self-scores would earn, and what stops a submission: missing scores or evidence, vetoes."""
    from appraisal.selectors import vetoes_on_record

    structure = rubric_structure(appraisal.rubric)
    result = appraisal_result(appraisal, Tier.SELF, structure=structure)
    with_evidence = set(Evidence.objects.filter(appraisal=appraisal).values_list("indicator_id", flat=True))
    missing_scores = [i for star in result.stars for i in star.missing]
    missing_evidence = [
        i
        for star in structure
        for i in star.indicators.all()
        if i.evidence_required and i.id not in with_evidence
    ]
    vetoes = list(vetoes_on_record(appraisal))
    return {
        "result": result,
        "missing_scores": missing_scores,
        "missing_evidence": missing_evidence,
        "vetoes": vetoes,
        "complete": not missing_scores and not missing_evidence,
    }


@transaction.atomic
def appraisal_submit(*, appraisal, user, ip=None, comment=""):
    """draft → submitted, only when every indicator is self-scored and required evidence is present."""
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    preview = eligibility_preview(appraisal)
    problems = []
    if preview["missing_scores"]:
        problems.append(
            _("Score every indicator before submitting (%(n)s missing).")
            % {"n": len(preview["missing_scores"])}
        )
    if preview["missing_evidence"]:
        problems.append(
            _("Evidence is required for: %(list)s.")
            % {"list": "; ".join(i.text[:30] for i in preview["missing_evidence"])}
        )
    if problems:
        raise ValidationError(problems)
    rubric = appraisal.rubric
    if not rubric.frozen:
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
    _set_status(appraisal, Status.SUBMITTED, submitted_at=timezone.now(), return_reason="")
    event = _event(
        appraisal,
        user,
        Action.SUBMITTED,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        comment=comment,
        ip=ip,
        on_behalf=on_behalf,
    )
    if appraisal.track == Track.VILLAGE:
        from campaign.models import User

        _notify(
            User.objects.filter(is_active=True, role=Role.TOWNSHIP, township_id=appraisal.township_id),
            event,
            _("%(subject)s submitted its self-inspection report") % {"subject": appraisal.subject},
        )
    return appraisal


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
    if after == Status.DRAFT:
        _notify(
            _subject_users(appraisal),
            event,
            _("Your self-inspection report was returned for revision"),
            reason,
        )
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
    """township_checked → recheck_requested, one or a batch, all or nothing."""
    _require_role(user, Role.TOWNSHIP)
    for appraisal in appraisals:
        _require_scope(user, appraisal)
    locked = _lock_many(appraisals, (Status.TOWNSHIP_CHECKED,))
    for appraisal in locked:
        _set_status(appraisal, Status.RECHECK_REQUESTED)
        _event(
            appraisal,
            user,
            Action.RECHECK_REQUESTED,
            from_status=Status.TOWNSHIP_CHECKED,
            to_status=Status.RECHECK_REQUESTED,
            ip=ip,
        )
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
    _event(appraisal, user, action, from_status=before, to_status=after, comment=opinion, ip=ip)
    return appraisal


# ---------------------------------------------------------------- satisfaction


def _department_rate(campaign, department):
    from appraisal.selectors import department_rating_summary

    return department_rating_summary(campaign, department)["rate"]


@transaction.atomic
def survey_record(
    *, appraisal, user, surveyed_on, satisfied, fairly_satisfied, basically_satisfied, dissatisfied, ip=None
):
    """Record a mass-satisfaction survey: by the township for its villages, by the county for the others."""
    if appraisal.track == Track.VILLAGE:
        _require_role(user, Role.TOWNSHIP, Role.COUNTY_ADMIN)
    else:
        _require_role(user, Role.COUNTY_ADMIN)
    _require_scope(user, appraisal)
    appraisal = Appraisal.objects.select_for_update().select_related("rubric").get(pk=appraisal.pk)
    if appraisal.status not in SATISFACTION_OPEN:
        raise AppraisalChanged()
    counts = dict(
        satisfied=satisfied,
        fairly_satisfied=fairly_satisfied,
        basically_satisfied=basically_satisfied,
        dissatisfied=dissatisfied,
    )
    survey = SatisfactionSurvey.objects.filter(appraisal=appraisal).first() or SatisfactionSurvey(
        appraisal=appraisal
    )
    for name, value in counts.items():
        setattr(survey, name, value)
    survey.sample_size = sum(counts.values())
    survey.surveyed_on = surveyed_on
    survey.recorded_by = user
    survey.full_clean()
    survey.save()
    appraisal.satisfaction_rate = scoring.satisfaction_rate(satisfied, fairly_satisfied, survey.sample_size)
    appraisal.save(update_fields=["satisfaction_rate", "updated_at"])
    _recompute(appraisal)
    _event(
        appraisal,
        user,
        Action.SURVEY_RECORDED,
        comment=_("%(rate)s%% satisfied of %(n)s")
        % {"rate": appraisal.satisfaction_rate, "n": survey.sample_size},
        ip=ip,
    )
    return survey


@transaction.atomic
def rating_record(*, campaign, department, user, grade, comment="", today=None):
    """A township or village user rates a county department (下评); a department rates another (互评)."""
    _require_role(user, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT)
    if department.county_id != user.county_id or campaign.county_id != user.county_id:
        raise PermissionDenied
    if user.role == Role.DEPARTMENT and user.department_id == department.id:
        raise ValidationError(_("A department does not rate itself."))
    if not campaign.rating_open(today or _today()):
        raise ValidationError(_("Ratings are not open."))
    if grade not in Rating.Grade.values:
        raise ValidationError({"grade": _("Choose a rating.")})
    kind = Rating.Kind.PEER if user.role == Role.DEPARTMENT else Rating.Kind.FROM_BELOW
    rating, _created = Rating.objects.update_or_create(
        campaign=campaign,
        department=department,
        rater=user,
        defaults={"grade": grade, "comment": comment, "kind": kind},
    )
    # The satisfied share feeds the department's appraisal (scores and cap).
    appraisal = (
        Appraisal.objects.select_for_update()
        .select_related("rubric")
        .filter(campaign=campaign, track=Track.DEPARTMENT, department=department)
        .first()
    )
    if appraisal is not None and appraisal.status in SATISFACTION_OPEN:
        appraisal.satisfaction_rate = _department_rate(campaign, department)
        appraisal.save(update_fields=["satisfaction_rate", "updated_at"])
        _recompute(appraisal)
    return rating


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


# ---------------------------------------------------------------- approval and titles


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def appraisal_approve(*, appraisals, user, today=None, ip=None):
    """publicized → approved for a batch once its notice has ended; an approval with stars issues a Title."""
    _require_role(user, Role.COUNTY_LEADER)
    for appraisal in appraisals:
        _require_scope(user, appraisal)
    today = today or _today()
    locked = _lock_many(appraisals, (Status.PUBLICIZED,))
    notices = {n.pk: n for n in PublicNotice.objects.filter(pk__in={a.notice_id for a in locked})}
    pending = set(
        Objection.objects.filter(appraisal__in=locked, outcome=Objection.Outcome.PENDING).values_list(
            "appraisal_id", flat=True
        )
    )
    for appraisal in locked:
        notice = notices.get(appraisal.notice_id)
        if notice is None or not notice.has_ended(today):
            raise ValidationError(
                _("The public notice for %(subject)s has not ended yet (it ends on %(end)s).")
                % {"subject": appraisal.subject, "end": notice.ends_on if notice else "—"}
            )
        if appraisal.pk in pending:
            raise ValidationError(
                _("An objection against %(subject)s is still pending.") % {"subject": appraisal.subject}
            )
    titles = []
    for appraisal in locked:
        _set_status(appraisal, Status.APPROVED)
        event = _event(
            appraisal, user, Action.APPROVED, from_status=Status.PUBLICIZED, to_status=Status.APPROVED, ip=ip
        )
        _notify(
            _subject_users(appraisal),
            event,
            _("%(subject)s was approved with %(n)s stars")
            % {"subject": appraisal.subject, "n": appraisal.star_count},
        )
        if appraisal.star_count == 0:
            continue
        title = Title(
            campaign=appraisal.campaign,
            appraisal=appraisal,
            track=appraisal.track,
            county_id=appraisal.county_id,
            township_id=appraisal.township_id,
            village_id=appraisal.village_id,
            department_id=appraisal.department_id,
            star_count=appraisal.star_count,
            stars=list(appraisal.stars_earned),
            named_on=today,
            valid_until=add_years(today, appraisal.campaign.title_validity_years),
        )
        title.full_clean()
        title.save()
        TitleEvent.objects.create(
            title=title, actor=user, action=TitleEvent.Action.NAMED, effective_on=today, ip_address=ip
        )
        titles.append(title)
    return titles


def _subject_filter(track, subject):
    if track == Track.VILLAGE:
        return {"track": track, "village": subject}
    if track == Track.TOWNSHIP:
        return {"track": track, "township": subject}
    return {"track": track, "department": subject}


@transaction.atomic
def veto_record(*, campaign, track, subject, user, kind, occurred_on, description, evidence=None, ip=None):
    """Record a veto: the subject's appraisal of the year ends as vetoed; any title in validity is revoked."""
    _require_role(user, Role.COUNTY_ADMIN)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    county_id = subject.county_id if track != Track.VILLAGE else subject.township.county_id
    if county_id != user.county_id:
        raise PermissionDenied
    if evidence is not None:
        validate_evidence_file(evidence)
    veto = VetoEvent(
        campaign=campaign,
        county_id=county_id,
        track=track,
        kind=kind,
        occurred_on=occurred_on,
        description=(description or "").strip(),
        recorded_by=user,
        village=subject if track == Track.VILLAGE else None,
        township=subject if track == Track.TOWNSHIP else getattr(subject, "township", None),
        department=subject if track == Track.DEPARTMENT else None,
    )
    if evidence is not None:
        veto.evidence.save(evidence.name, evidence, save=False)
    veto.full_clean()
    veto.save()
    appraisal = (
        Appraisal.objects.select_for_update()
        .select_related("rubric")
        .filter(campaign=campaign, **_subject_filter(track, subject))
        .first()
    )
    if appraisal is not None and appraisal.status != Status.VETOED:
        before = appraisal.status
        _set_status(appraisal, Status.VETOED, notice=None)
        _recompute(appraisal)
        _event(
            appraisal,
            user,
            Action.VETOED,
            from_status=before,
            to_status=Status.VETOED,
            comment=f"{veto.get_kind_display()}: {veto.description}",
            ip=ip,
        )
    today = _today()
    for title in Title.objects.select_for_update().filter(
        status=Title.Status.VALID, **_subject_filter(track, subject)
    ):
        _revoke(title, user, _("Veto: %(kind)s") % {"kind": veto.get_kind_display()}, today, ip)
    return veto


def _revoke(title, user, reason, on, ip):
    title.status = Title.Status.REVOKED
    title.revoked_on = on
    title.revoke_reason = reason
    title.save(update_fields=["status", "revoked_on", "revoke_reason"])
    TitleEvent.objects.create(
        title=title,
        actor=user,
        action=TitleEvent.Action.REVOKED,
        reason=reason,
        effective_on=on,
        ip_address=ip,
    )


def _lock_title(user, title):
    _require_role(user, Role.COUNTY_ADMIN)
    if not titles_for(user).filter(pk=title.pk).exists():
        raise PermissionDenied
    locked = Title.objects.select_for_update().get(pk=title.pk)
    if locked.status != Title.Status.VALID:
        raise AppraisalChanged(_("This title is no longer valid. Reload the page."))
    return locked


@transaction.atomic
def title_revoke(*, title, user, reason, revoked_on=None, ip=None):
    """取消称号: a valid title is revoked for a serious problem, with reason and date kept."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    title = _lock_title(user, title)
    _revoke(title, user, reason.strip(), revoked_on or _today(), ip)
    return title


@transaction.atomic
def title_withdraw_star(*, title, user, star, reason, effective_on=None, ip=None):
    """摘星: withdraw one star from a valid title; the others stay."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the star.")})
    title = _lock_title(user, title)
    if star not in title.stars:
        raise ValidationError({"star": _("The title does not hold this star.")})
    title.stars = [code for code in title.stars if code != star]
    title.star_count = len(title.stars)
    title.save(update_fields=["stars", "star_count"])
    TitleEvent.objects.create(
        title=title,
        actor=user,
        action=TitleEvent.Action.STAR_WITHDRAWN,
        star=star,
        reason=reason.strip(),
        effective_on=effective_on or _today(),
        ip_address=ip,
    )
    return title


REMINDER_DAYS = (90, 30)
EXPIRY_CHUNK = 2000


EXPIRE_SQL = """
WITH expired AS (
    UPDATE appraisal_title SET status = %(expired)s, expired_on = valid_until + 1
    WHERE id IN (
        SELECT id FROM appraisal_title WHERE status = %(valid)s AND valid_until < %(today)s
        ORDER BY id LIMIT %(chunk)s FOR UPDATE SKIP LOCKED
    )
    RETURNING id, valid_until
)
INSERT INTO appraisal_titleevent
    (title_id, actor_id, action, star, reason, effective_on, ip_address, created_at)
SELECT id, NULL, %(action)s, '', '', valid_until + 1, NULL, now() FROM expired
"""


@transaction.atomic
def title_expire(*, today=None):
    """Expire every valid title past its end date; idempotent, and catches up after downtime.

    Returns the number of titles expired. A title valid until D expires on D + 1,
    whenever this runs; rows another worker holds are skipped and left to it.
    """
    today = today or _today()
    if connection.vendor == "postgresql":
        # One statement per chunk (update and history row together): 50,000 titles in about a second.
        params = {
            "expired": Title.Status.EXPIRED,
            "valid": Title.Status.VALID,
            "today": today,
            "chunk": 10000,
            "action": TitleEvent.Action.EXPIRED,
        }
        expired = 0
        with connection.cursor() as cursor:
            while True:
                cursor.execute(EXPIRE_SQL, params)
                if not cursor.rowcount:
                    return expired
                expired += cursor.rowcount
    expired = 0
    while True:
        batch = list(
            Title.objects.select_for_update()
            .filter(status=Title.Status.VALID, valid_until__lt=today)
            .order_by("id")
            .values_list("id", "valid_until")[:EXPIRY_CHUNK]
        )
        if not batch:
            return expired
        Title.objects.filter(pk__in=[pk for pk, _until in batch]).update(status=Title.Status.EXPIRED)
        by_day = {}
        for pk, until in batch:
            by_day.setdefault(until + datetime.timedelta(days=1), []).append(pk)
        for day, pks in by_day.items():
            Title.objects.filter(pk__in=pks).update(expired_on=day)
        TitleEvent.objects.bulk_create(
            [
                TitleEvent(title_id=pk, action=TitleEvent.Action.EXPIRED, effective_on=day)
                for day, pks in by_day.items()
                for pk in pks
            ]
        )
        expired += len(batch)


def title_send_reminders(*, today=None):
    """Notify the township (or department) of each title expiring within 90 and 30 days, once each."""
    from django.urls import reverse
    from django.utils import translation

    from campaign.models import Notification, User
    from campaign.notifications import notify

    today = today or _today()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    titles = list(
        Title.objects.filter(
            status=Title.Status.VALID, valid_until__gte=today, valid_until__lte=horizon
        ).select_related("village", "township", "department", "campaign")
    )
    if not titles:
        return 0

    def threshold(title):
        left = (title.valid_until - today).days
        return min(d for d in REMINDER_DAYS if left <= d)

    keys = {t.pk: f"title-expiry:{t.pk}:{threshold(t)}" for t in titles}
    # One query decides which reminders already went out, so a re-run is cheap.
    sent = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    todo = [t for t in titles if keys[t.pk] not in sent]
    if not todo:
        return 0
    township_ids = {t.township_id for t in todo if t.township_id}
    department_ids = {t.department_id for t in todo if t.track == Track.DEPARTMENT}
    recipients = {}
    for user in User.objects.filter(is_active=True, role=Role.TOWNSHIP, township_id__in=township_ids):
        recipients.setdefault(("t", user.township_id), []).append(user)
    for user in User.objects.filter(is_active=True, role=Role.DEPARTMENT, department_id__in=department_ids):
        recipients.setdefault(("d", user.department_id), []).append(user)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for title in todo:
            who = ("d", title.department_id) if title.track == Track.DEPARTMENT else ("t", title.township_id)
            users = recipients.get(who, [])
            days = (title.valid_until - today).days
            created += notify(
                users=users,
                title=_("Title of %(subject)s expires in %(days)s days")
                % {"subject": title.subject, "days": days},
                body=_("The %(stars)s-star title named on %(named)s is valid until %(until)s.")
                % {"stars": title.star_count, "named": title.named_on, "until": title.valid_until},
                url=reverse("appraisal:title_detail", args=[title.pk]),
                key=keys[title.pk],
            )
    return created


# ---------------------------------------------------------------- rubrics


def _require_rubric_editor(user, rubric):
    _require_role(user, Role.COUNTY_ADMIN)
    if rubric.campaign.county_id != user.county_id:
        raise PermissionDenied
    if rubric.frozen:
        raise ValidationError(
            _(
                "This rubric is frozen because an appraisal using it was submitted. "
                "Create a new version to edit it."
            )
        )


@transaction.atomic
def rubric_update(*, rubric, user, **fields):
    _require_rubric_editor(user, rubric)
    for name in ("star_threshold", "satisfaction_floor", "satisfaction_cap_stars"):
        if name in fields:
            setattr(rubric, name, fields[name])
    rubric.full_clean()
    rubric.save()
    return rubric


@transaction.atomic
def star_update(*, star, user, name, order):
    _require_rubric_editor(user, star.rubric)
    star.name, star.order = name, order
    star.full_clean()
    star.save()
    return star


@transaction.atomic
def indicator_save(*, user, star, indicator=None, **fields):
    """Create or edit an indicator of an unfrozen rubric; self-scores above a lowered maximum are clamped."""
    _require_rubric_editor(user, star.rubric)
    indicator = indicator or Indicator(star=star)
    if indicator.pk and indicator.star_id != star.pk:
        raise ValidationError(_("This indicator is not part of the star."))
    for name in ("text", "max_points", "guidance", "evidence_expected", "evidence_required", "feed", "order"):
        if name in fields:
            setattr(indicator, name, fields[name])
    indicator.full_clean()
    indicator.save()
    scores = Score.objects.filter(indicator=indicator)
    scores.filter(points__gt=indicator.max_points).update(points=indicator.max_points)
    scores.update(max_points=indicator.max_points)
    for appraisal in (
        Appraisal.objects.filter(scores__indicator=indicator).distinct().select_related("rubric")
    ):
        _recompute(appraisal)
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator):
    _require_rubric_editor(user, indicator.star.rubric)
    if (
        Score.objects.filter(indicator=indicator).exists()
        or Evidence.objects.filter(indicator=indicator).exists()
    ):
        Score.objects.filter(indicator=indicator, tier=Tier.SELF, appraisal__status=Status.DRAFT).delete()
        if (
            Score.objects.filter(indicator=indicator).exists()
            or Evidence.objects.filter(indicator=indicator).exists()
        ):
            raise ValidationError(_("Evidence has been uploaded for this indicator; it cannot be deleted."))
    indicator.delete()


def _copy_rubric(source, *, campaign, version):
    """Copy a rubric's stars and indicators; returns (rubric, {old indicator id: new indicator id})."""
    copy = Rubric.objects.create(
        campaign=campaign,
        track=source.track,
        version=version,
        star_threshold=source.star_threshold,
        satisfaction_floor=source.satisfaction_floor,
        satisfaction_cap_stars=source.satisfaction_cap_stars,
    )
    mapping = {}
    for star in rubric_structure(source):
        new_star = Star.objects.create(
            rubric=copy, code=star.code, name=star.name, order=star.order, max_points=star.max_points
        )
        for indicator in star.indicators.all():
            old_id = indicator.id
            indicator.pk = None
            indicator.star = new_star
            indicator.save()
            mapping[old_id] = indicator.id
    return copy, mapping


@transaction.atomic
def rubric_new_version(*, rubric, user):
    """A frozen rubric is edited through a new version; drafts move to it, submitted reports keep theirs."""
    _require_role(user, Role.COUNTY_ADMIN)
    if rubric.campaign.county_id != user.county_id:
        raise PermissionDenied
    latest = rubric_current(rubric.campaign, rubric.track)
    copy, mapping = _copy_rubric(latest, campaign=rubric.campaign, version=latest.version + 1)
    drafts = list(
        Appraisal.objects.select_for_update()
        .filter(rubric=latest, status=Status.DRAFT)
        .values_list("pk", flat=True)
    )
    for old_id, new_id in mapping.items():
        Score.objects.filter(appraisal_id__in=drafts, indicator_id=old_id).update(indicator_id=new_id)
        Evidence.objects.filter(appraisal_id__in=drafts, indicator_id=old_id).update(indicator_id=new_id)
    Appraisal.objects.filter(pk__in=drafts).update(rubric=copy)
    return copy


@transaction.atomic
def rubric_copy_forward(*, source, campaign, user):
    """Copy the newest version of each of a campaign's rubrics into another (usually next year's) campaign."""
    _require_role(user, Role.COUNTY_ADMIN)
    if source.county_id != user.county_id or campaign.county_id != user.county_id:
        raise PermissionDenied
    copies = []
    for track in Track.values:
        if rubric_current(campaign, track) is not None:
            continue
        latest = rubric_current(source, track)
        if latest is not None:
            copies.append(_copy_rubric(latest, campaign=campaign, version=1)[0])
    return copies


@transaction.atomic
def rubric_seed_default(*, campaign, user=None, tracks=None):
    """Create version 1 of each track's rubric from the default (rubric-default.md); keeps existing ones."""
    from appraisal.default_rubric import DEFAULT_RUBRIC

    if user is not None:
        _require_role(user, Role.COUNTY_ADMIN)
        if campaign.county_id != user.county_id:
            raise PermissionDenied
    created = []
    for track in tracks or Track.values:
        if rubric_current(campaign, track) is not None:
            continue
        rubric = Rubric.objects.create(campaign=campaign, track=track, version=1)
        for star_order, (code, name, indicators) in enumerate(DEFAULT_RUBRIC[track], start=1):
            star = Star.objects.create(rubric=rubric, code=code, name=name, order=star_order)
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        star=star,
                        text=text,
                        max_points=Decimal(points),
                        evidence_expected=evidence,
                        guidance=guidance,
                        feed=feed,
                        order=order,
                    )
                    for order, (text, points, evidence, guidance, feed) in enumerate(indicators, start=1)
                ]
            )
        created.append(rubric)
    return created


@transaction.atomic
def campaign_save(*, user, campaign=None, **fields):
    """Create or edit a campaign round of the administrator's county."""
    from campaign.models import Campaign

    _require_role(user, Role.COUNTY_ADMIN)
    campaign = campaign or Campaign(county_id=user.county_id)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    return campaign

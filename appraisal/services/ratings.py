"""Satisfaction surveys and the ratings of county departments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal import scoring
from appraisal.models import (
    Appraisal,
    Rating,
    SatisfactionSurvey,
    Track,
)
from appraisal.services.common import (
    SATISFACTION_OPEN,
    Action,
    AppraisalChanged,
    _event,
    _recompute,
    _require_role,
    _require_scope,
    _today,
)
from campaign.roles import Role

# ---------------------------------------------------------------- satisfaction


def _department_rate(campaign, department):
    """The department's satisfaction rate: the grassroots' ratings from below (下评) only; the peers'
    ratings (互评) feed the indicators the rubric gives them, not the satisfaction cap."""
    from appraisal.selectors import department_rating_summary

    return department_rating_summary(campaign, department, kind=Rating.Kind.FROM_BELOW)["rate"]


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

"""Reads of the review pages: what explains a fed indicator's points, the re-check batches, the
departments a user rates, the approval warnings, the subjects withdrawn from a notice.

Re-exported by ``appraisal.selectors`` (which imports this module at its end: the selectors used
here are imported inside the functions, so either module may be imported first).
"""

from django.db.models import Count, Q

from appraisal.models import Appraisal, Rating, SatisfactionSurvey, Star, Track
from campaign.roles import Role


def feed_results(appraisal, structure):
    """What explains the points of indicators fed by a survey or by ratings, per feed used in the rubric:
    {feed: {"rate": Decimal or None, "total": answers, "satisfied": n, "counts": {grade: n}}}."""
    from appraisal.models import Indicator

    feeds = {i.feed for star in structure for i in star.indicators.all()} - {Indicator.Feed.MANUAL}
    results = {}
    if Indicator.Feed.SURVEY in feeds:
        survey = SatisfactionSurvey.objects.filter(appraisal=appraisal).first()
        results[Indicator.Feed.SURVEY] = {
            "rate": appraisal.satisfaction_rate if survey else None,
            "total": survey.sample_size if survey else 0,
            "satisfied": (survey.satisfied + survey.fairly_satisfied) if survey else 0,
            "counts": {},
        }
    for feed, kind in (
        (Indicator.Feed.RATING, Rating.Kind.FROM_BELOW),
        (Indicator.Feed.PEER, Rating.Kind.PEER),
    ):
        if feed in feeds and appraisal.department_id:
            from appraisal.selectors import department_rating_summary

            results[feed] = department_rating_summary(appraisal.campaign, appraisal.department, kind=kind)
    return results


def batch_sizes(batch_ids):
    """{batch id: (villages reported in it, still waiting for the county)}."""
    rows = (
        Appraisal.objects.filter(recheck_batch_id__in=batch_ids)
        .order_by()
        .values("recheck_batch_id")
        .annotate(total=Count("id"), waiting=Count("id", filter=Q(status=Appraisal.Status.RECHECK_REQUESTED)))
    )
    return {row["recheck_batch_id"]: (row["total"], row["waiting"]) for row in rows}


def departments_to_rate(user, campaign):
    """The departments ``user`` rates in ``campaign``: the county's participating departments (those with
    an appraisal this year); a department rates the others (互评), never itself; townships and villages
    rate them from below (下评). Nobody else rates."""
    from villages.models import Department

    if campaign is None or user.role not in (Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT):
        return Department.objects.none()
    departments = Department.objects.filter(
        county_id=user.county_id,
        appraisals__campaign=campaign,
        appraisals__track=Track.DEPARTMENT,
    ).distinct()
    if user.role == Role.DEPARTMENT:
        departments = departments.exclude(pk=user.department_id)
    return departments.order_by("code")


def approval_warnings(batch):
    """What the leader should look at before approving, by name (lagging is added by steering's panel):
    subjects short of a star (named with fewer stars than the rubric has) and objections still open."""
    from django.utils.translation import gettext as _

    stars = {}
    for rubric_id, code, name in (
        Star.objects.filter(rubric_id__in={a.rubric_id for a in batch})
        .order_by("rubric_id", "order", "id")
        .values_list("rubric_id", "code", "name")
    ):
        stars.setdefault(rubric_id, []).append((code, name))
    short, pending = [], []
    for appraisal in batch:
        missing = [
            name for code, name in stars.get(appraisal.rubric_id, []) if code not in appraisal.stars_earned
        ]
        if missing:
            short.append(
                _("%(subject)s (%(n)s★, short of: %(stars)s)")
                % {"subject": appraisal.subject, "n": appraisal.star_count, "stars": "、".join(missing)}
            )
        if appraisal.pending_objections:
            pending.append(str(appraisal.subject))
    warnings = []
    if short:
        warnings.append(
            {
                "key": "below-threshold",
                "text": _("Below the star threshold, they would be named with fewer stars: %(list)s.")
                % {"list": "；".join(short)},
            }
        )
    if pending:
        warnings.append(
            {
                "key": "objection-open",
                "text": _("An objection is still open, so they cannot be approved yet: %(list)s.")
                % {"list": "、".join(pending)},
            }
        )
    return warnings


def withdrawn_from_notice(user, notice):
    """The subjects taken off ``notice`` (in the user's scope), with who and why."""
    from appraisal import selectors
    from appraisal.models import NoticeWithdrawal

    return (
        NoticeWithdrawal.objects.filter(notice=notice, appraisal__in=selectors.appraisals_for(user))
        .select_related("appraisal__village", "appraisal__township", "appraisal__department", "withdrawn_by")
        .order_by("withdrawn_at", "id")
    )

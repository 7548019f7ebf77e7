"""Reads of appraisals, titles and their surroundings, always through the user's scope.

``appraisals_for`` / ``titles_for`` / ``vetoes_for`` follow the same rules as
``villages.selectors``: county staff see their county (an organizer only the
townships of the area, plus the county's departments), a township its own
appraisal and its villages', a village its own, a department its own, a city
viewer its counties.
"""

from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from appraisal.models import (
    Appraisal,
    AppraisalEvent,
    Evidence,
    Indicator,
    PublicNotice,
    Rating,
    Rubric,
    Score,
    Star,
    Title,
    Track,
    VetoEvent,
)
from campaign.models import Campaign
from campaign.roles import Role


def _scope(user):
    """A Q over the denormalized county/township/village/department columns; None for nothing."""
    role = user.role
    if role in (Role.COUNTY_ADMIN, Role.COUNTY_LEADER):
        return Q(county_id=user.county_id)
    if role == Role.COUNTY_REVIEWER:
        if user.organizer_area_id:
            return Q(township__organizer_areas=user.organizer_area_id) | Q(
                track=Track.DEPARTMENT, county_id=user.county_id
            )
        return Q(county_id=user.county_id)
    if role == Role.TOWNSHIP:
        return Q(township_id=user.township_id)
    if role == Role.VILLAGE:
        return Q(village_id=user.village_id)
    if role == Role.DEPARTMENT:
        return Q(department_id=user.department_id)
    if role == Role.CITY:
        return Q(county__city_id=user.city_id)
    return None


def appraisals_for(user):
    condition = _scope(user)
    if condition is None:
        return Appraisal.objects.none()
    return Appraisal.objects.filter(condition).select_related("campaign", "township", "village", "department")


def titles_for(user):
    condition = _scope(user)
    if condition is None:
        return Title.objects.none()
    return Title.objects.filter(condition).select_related("campaign", "township", "village", "department")


def vetoes_for(user):
    condition = _scope(user)
    if condition is None:
        return VetoEvent.objects.none()
    return VetoEvent.objects.filter(condition).select_related("campaign", "township", "village", "department")


def campaigns_for(user):
    if user.role == Role.CITY:
        return Campaign.objects.filter(county__city_id=user.city_id)
    if user.county_id:
        return Campaign.objects.filter(county_id=user.county_id)
    return Campaign.objects.none()


def current_campaign(user):
    """The user's county's latest campaign (the one in progress), or None."""
    return campaigns_for(user).order_by("-year").first()


def rubric_current(campaign, track):
    """The newest version of a campaign's rubric for a track."""
    return Rubric.objects.filter(campaign=campaign, track=track).order_by("-version").first()


def rubric_structure(rubric):
    """Stars with their indicators, two queries."""
    return list(
        Star.objects.filter(rubric=rubric).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id"))
        )
    )


def scores_by_tier(appraisal):
    """{tier: {indicator_id: Score}} for one appraisal."""
    table = {tier: {} for tier in Score.Tier.values}
    for score in Score.objects.filter(appraisal=appraisal):
        table[score.tier][score.indicator_id] = score
    return table


def evidence_by_indicator(appraisal):
    table = {}
    for item in Evidence.objects.filter(appraisal=appraisal).select_related("uploaded_by"):
        table.setdefault(item.indicator_id, []).append(item)
    return table


def appraisal_history(appraisal):
    return (
        AppraisalEvent.objects.filter(appraisal=appraisal)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def vetoes_on_record(appraisal):
    """Vetoes against the appraisal's subject in its campaign."""
    subject = {
        Track.VILLAGE: Q(village_id=appraisal.village_id),
        Track.TOWNSHIP: Q(track=Track.TOWNSHIP, township_id=appraisal.township_id),
        Track.DEPARTMENT: Q(department_id=appraisal.department_id),
    }[appraisal.track]
    return VetoEvent.objects.filter(subject, campaign_id=appraisal.campaign_id)


def _list(qs):
    return qs.select_related("campaign", "township", "village", "department").order_by(
        "township__code", "village__code", "department__code", "id"
    )


def township_queue(user, campaign):
    """A township's villages' appraisals in a campaign: what waits for the township first, then by village."""
    waiting = Case(
        When(status=Appraisal.Status.SUBMITTED, then=Value(0)),
        When(status=Appraisal.Status.TOWNSHIP_CHECKED, then=Value(1)),
        When(status=Appraisal.Status.DRAFT, then=Value(2)),
        default=Value(3),
    )
    return _list(appraisals_for(user).filter(campaign=campaign, track=Track.VILLAGE)).order_by(
        waiting, "village__code", "id"
    )


def recheck_queue(user, campaign):
    """What waits for the county: villages reported for re-check, batch by batch (the longest waiting
    first), then the townships' and departments' own reports."""
    from django.db.models import F

    return (
        appraisals_for(user)
        .filter(
            Q(track=Track.VILLAGE, status=Appraisal.Status.RECHECK_REQUESTED)
            | Q(track__in=[Track.TOWNSHIP, Track.DEPARTMENT], status=Appraisal.Status.SUBMITTED),
            campaign=campaign,
        )
        .select_related("campaign", "township", "village", "department", "recheck_batch__township")
        .order_by(
            F("recheck_batch__reported_at").asc(nulls_last=True),
            "recheck_batch_id",
            "track",
            "township__code",
            "village__code",
            "department__code",
            "id",
        )
    )


def rechecked_for_notice(user, campaign):
    return _list(appraisals_for(user).filter(campaign=campaign, status=Appraisal.Status.RECHECKED))


def approval_batch(user, campaign):
    """Appraisals under public notice, with their notice and pending objections counted."""
    return _list(
        appraisals_for(user)
        .filter(campaign=campaign, status=Appraisal.Status.PUBLICIZED)
        .select_related("notice")
        .annotate(pending_objections=Count("objections", filter=Q(objections__outcome="pending")))
    )


def status_counts(queryset):
    return dict(queryset.order_by().values_list("status").annotate(n=Count("id")))


def five_star_share(campaign):
    """(five-star villages approved or under notice, villages of the county, cap in %)."""
    five = Appraisal.objects.filter(
        campaign=campaign,
        track=Track.VILLAGE,
        star_count=5,
        status__in=[Appraisal.Status.PUBLICIZED, Appraisal.Status.APPROVED],
    ).count()
    from villages.models import Village

    villages = Village.objects.filter(township__county_id=campaign.county_id).count()
    return five, villages, campaign.five_star_cap_percent


class TitleFilter:
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    CHOICES = (VALID, EXPIRING, EXPIRED, REVOKED)
    EXPIRING_DAYS = 90


def title_list(user, *, state="", track="", today=None):
    """Titles in scope filtered by state: valid, expiring within 90 days, expired or revoked."""
    today = today or timezone.localdate()
    qs = titles_for(user)
    if state == TitleFilter.VALID:
        qs = qs.filter(status=Title.Status.VALID)
    elif state == TitleFilter.EXPIRING:
        qs = qs.expiring_within(today, TitleFilter.EXPIRING_DAYS)
    elif state == TitleFilter.EXPIRED:
        qs = qs.filter(status=Title.Status.EXPIRED)
    elif state == TitleFilter.REVOKED:
        qs = qs.filter(status=Title.Status.REVOKED)
    if track in Track.values:
        qs = qs.filter(track=track)
    return qs.order_by("valid_until", "id")


def notices_for(user):
    return (
        PublicNotice.objects.filter(campaign__in=campaigns_for(user))
        .select_related("campaign")
        .annotate(size=Count("appraisals"))
    )


def department_rating_summary(campaign, department, kind=None):
    """Counts per grade and the satisfied share of a department's ratings (the aggregate only).

    ``kind``: only the ratings from below (``Rating.Kind.FROM_BELOW``) or by peers (``PEER``); both
    when None.
    """
    ratings = Rating.objects.filter(campaign=campaign, department=department)
    if kind:
        ratings = ratings.filter(kind=kind)
    counts = dict(ratings.order_by().values_list("grade").annotate(n=Count("id")))
    total = sum(counts.values())
    satisfied = sum(counts.get(g, 0) for g in Rating.SATISFIED_GRADES)
    rate = None
    if total:
        from appraisal.scoring import quantize

        rate = quantize(100 * satisfied / total)
    return {"counts": counts, "total": total, "rate": rate, "satisfied": satisfied}


def ratings_given_by(user, campaign):
    return {r.department_id: r for r in Rating.objects.filter(campaign=campaign, rater=user)}


def expiring_soon(today, days):
    return Title.objects.expiring_within(today, days)


def days_between(a, b):
    return (b - a).days if a and b else None


def star_names(title_or_appraisal):
    """{star code: name} from the rubric the title or appraisal was judged on (or the default)."""
    appraisal = (
        getattr(title_or_appraisal, "appraisal", None) if isinstance(title_or_appraisal, Title) else None
    )
    rubric_id = appraisal.rubric_id if appraisal else getattr(title_or_appraisal, "rubric_id", None)
    if rubric_id:
        return dict(Star.objects.filter(rubric_id=rubric_id).values_list("code", "name"))
    from appraisal.default_rubric import DEFAULT_RUBRIC

    return {code: name for code, name, _indicators in DEFAULT_RUBRIC[title_or_appraisal.track]}


def townships_in_scope(user):
    from villages.selectors import townships_for

    return townships_for(user).order_by("code")


# Reads of the review pages (check, re-check queue, approval, ratings), kept in their own module.
from appraisal.review_selectors import (  # noqa: E402, F401
    approval_warnings,
    batch_sizes,
    departments_to_rate,
    feed_results,
    withdrawn_from_notice,
)

"""Factories and helpers for appraisal tests: a seeded rubric and appraisals driven through the services."""

import datetime
from decimal import Decimal

import factory

from appraisal import services
from appraisal.models import Appraisal, Indicator, Title, Track
from tests import factories as f


class CampaignFactory(f.CampaignFactory):
    class Meta:
        django_get_or_create = ("county", "year")

    self_report_deadline = datetime.date(2026, 4, 30)
    township_check_deadline = datetime.date(2026, 5, 31)
    county_recheck_deadline = datetime.date(2026, 6, 30)
    approval_deadline = datetime.date(2026, 7, 31)


def campaign_with_rubrics(county, year=2026, **kwargs):
    campaign = CampaignFactory(county=county, year=year, **kwargs)
    services.rubric_seed_default(campaign=campaign)
    return campaign


def indicators(appraisal):
    return list(Indicator.objects.filter(star__rubric=appraisal.rubric).order_by("star__order", "order"))


def full_scores(appraisal, points=None, *, fraction=Decimal("1")):
    """{indicator_id: (points, remark)} for every indicator: ``fraction`` of the maximum or ``points``."""
    values = {}
    for indicator in indicators(appraisal):
        value = (points or {}).get(indicator.id, (indicator.max_points * fraction).quantize(Decimal("0.1")))
        values[indicator.id] = (value, "")
    return values


def start(campaign, subject, track=None):
    track = (
        track
        or {"Village": Track.VILLAGE, "Township": Track.TOWNSHIP, "Department": Track.DEPARTMENT}[
            type(subject).__name__
        ]
    )
    return services.appraisal_start(campaign=campaign, track=track, subject=subject)


def submitted(campaign, village, user, fraction=Decimal("1")):
    appraisal = start(campaign, village)
    services.appraisal_save_self(
        appraisal=appraisal, user=user, scores=full_scores(appraisal, fraction=fraction)
    )
    return services.appraisal_submit(appraisal=appraisal, user=user)


def reload(obj):
    obj.refresh_from_db()
    return obj


def drive(appraisal, target, *, secretary, township_user, county_admin, leader=None, fraction=Decimal("1")):
    """Push a village appraisal through the workflow up to ``target`` (a Status), as the real roles would."""
    S = Appraisal.Status
    order = [
        S.DRAFT,
        S.SUBMITTED,
        S.TOWNSHIP_CHECKED,
        S.RECHECK_REQUESTED,
        S.RECHECKED,
        S.PUBLICIZED,
        S.APPROVED,
    ]
    steps = order[: order.index(target) + 1]
    scores = full_scores(appraisal, fraction=fraction)
    if S.SUBMITTED in steps:
        services.appraisal_save_self(appraisal=appraisal, user=secretary, scores=scores)
        services.appraisal_submit(appraisal=appraisal, user=secretary)
    if S.TOWNSHIP_CHECKED in steps:
        services.appraisal_township_check(
            appraisal=appraisal, user=township_user, scores=scores, opinion="ok"
        )
    if S.RECHECK_REQUESTED in steps:
        services.appraisal_request_recheck(appraisals=[appraisal], user=township_user)
    if S.RECHECKED in steps:
        services.appraisal_county_recheck(appraisal=appraisal, user=county_admin, scores=scores, opinion="ok")
    if S.PUBLICIZED in steps:
        services.public_notice_open(
            campaign=appraisal.campaign,
            appraisals=[appraisal],
            user=county_admin,
            starts_on=datetime.date(2026, 6, 1),
            today=datetime.date(2026, 6, 1),
        )
    if S.APPROVED in steps:
        services.appraisal_approve(appraisals=[appraisal], user=leader, today=datetime.date(2026, 7, 1))
    return reload(appraisal)


class TitleFactory(factory.django.DjangoModelFactory):
    """A title made directly (for lists and expiry); real ones come from ``appraisal_approve``."""

    class Meta:
        model = Title

    campaign = factory.SubFactory(CampaignFactory)
    track = Track.VILLAGE
    village = factory.SubFactory(f.VillageFactory)
    township = factory.SelfAttribute("village.township")
    county = factory.SelfAttribute("township.county")
    star_count = 5
    stars = factory.LazyFunction(lambda: ["leadership", "members", "mechanism", "prosperity", "feedback"])
    named_on = datetime.date(2023, 7, 1)
    valid_until = datetime.date(2026, 7, 1)

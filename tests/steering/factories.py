"""Appraisal rows made directly (results only) for steering's figures; appraisal tests the workflow."""

from decimal import Decimal

from appraisal.models import Appraisal, Score, Title, Track, VetoEvent
from appraisal.selectors import rubric_current
from tests.appraisal import factories as af

STAR_CODES = ["leadership", "members", "mechanism", "prosperity", "feedback"]


def campaign(county, year=2026, **kwargs):
    return af.campaign_with_rubrics(county, year=year, **kwargs)


def appraisal(campaign, subject, *, final=None, stars=0, status=Appraisal.Status.APPROVED):
    kind = type(subject).__name__
    track = {"Village": Track.VILLAGE, "Township": Track.TOWNSHIP, "Department": Track.DEPARTMENT}[kind]
    if track == Track.VILLAGE:
        place = {"village": subject, "township": subject.township}
    elif track == Track.TOWNSHIP:
        place = {"township": subject}
    else:
        place = {"department": subject}
    return Appraisal.objects.create(
        campaign=campaign,
        rubric=rubric_current(campaign, track),
        track=track,
        county=campaign.county,
        status=status,
        final_points=None if final is None else Decimal(str(final)),
        star_count=stars,
        stars_earned=STAR_CODES[:stars],
        **place,
    )


def rubric_grid(appraisal):
    """[[indicator, …] per star] in rubric order."""
    from appraisal.models import Star

    return [
        list(star.indicators.order_by("order", "id"))
        for star in Star.objects.filter(rubric=appraisal.rubric).order_by("order", "id")
    ]


def county_gaps(appraisal, gaps, user):
    """County-tier scores: {(star index, indicator index): points below the maximum}."""
    grid = rubric_grid(appraisal)
    for (star_index, indicator_index), gap in gaps.items():
        indicator = grid[star_index][indicator_index]
        Score.objects.create(
            appraisal=appraisal,
            indicator=indicator,
            tier=Score.Tier.COUNTY,
            points=indicator.max_points - Decimal(str(gap)),
            max_points=indicator.max_points,
            updated_by=user,
        )
    return grid


def title(campaign, subject, **kwargs):
    place = {"village": subject, "township": subject.township}
    defaults = dict(track=Track.VILLAGE, county=campaign.county, star_count=5, stars=STAR_CODES)
    defaults.update(kwargs)
    return Title.objects.create(campaign=campaign, **place, **defaults)


def veto(campaign, village, user, kind=VetoEvent.Kind.MASS_PETITION):
    import datetime

    return VetoEvent.objects.create(
        campaign=campaign,
        county=campaign.county,
        track=Track.VILLAGE,
        township=village.township,
        village=village,
        kind=kind,
        occurred_on=datetime.date(2026, 3, 1),
        description="集体上访",
        recorded_by=user,
    )

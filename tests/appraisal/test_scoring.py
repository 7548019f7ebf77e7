"""Star computation: thresholds, the satisfaction cap, vetoes; notice working days; surveys and ratings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import scoring, services
from appraisal.models import Appraisal, Indicator, Rating, Score
from appraisal.selectors import rubric_structure
from appraisal.workdays import add_working_days
from tests.appraisal import factories as af

S = Appraisal.Status


@pytest.fixture
def structure(campaign):
    from appraisal.selectors import rubric_current

    return rubric_structure(rubric_current(campaign, "village"))


def _points(structure, per_star):
    """Give each star's indicators ``per_star[code]`` points in total, spread proportionally."""
    points = {}
    for star in structure:
        indicators = list(star.indicators.all())
        total = sum(i.max_points for i in indicators)
        for i in indicators:
            points[i.id] = (per_star[star.code] * i.max_points / total).quantize(Decimal("0.1"))
    return points


ALL = ["leadership", "members", "mechanism", "prosperity", "feedback"]


@pytest.mark.parametrize(
    "per_star,expected",
    [
        ({c: Decimal(20) for c in ALL}, ALL),
        ({c: Decimal(16) for c in ALL}, ALL),  # exactly the threshold earns the star
        (
            {**{c: Decimal(16) for c in ALL}, "members": Decimal("15.5")},
            ["leadership", "mechanism", "prosperity", "feedback"],
        ),
        ({c: Decimal(10) for c in ALL}, []),
    ],
)
def test_stars_from_thresholds(structure, per_star, expected):
    result = scoring.compute(structure, _points(structure, per_star), threshold=Decimal(16))
    assert result.earned == expected
    assert result.star_count == len(expected)


def test_threshold_is_a_campaign_setting(structure):
    points = _points(structure, {c: Decimal(15) for c in ALL})
    assert scoring.compute(structure, points, threshold=Decimal(16)).star_count == 0
    assert scoring.compute(structure, points, threshold=Decimal(15)).star_count == 5


def test_satisfaction_below_the_floor_caps_at_two_stars(structure):
    points = _points(structure, {c: Decimal(20) for c in ALL})
    capped = scoring.compute(structure, points, threshold=16, satisfaction=Decimal("59.9"), floor=60)
    assert capped.earned == ["leadership", "members"] and capped.capped
    at_floor = scoring.compute(structure, points, threshold=16, satisfaction=Decimal("60"), floor=60)
    assert at_floor.star_count == 5 and not at_floor.capped
    vetoed = scoring.compute(structure, points, threshold=16, vetoed=True)
    assert vetoed.earned == []


def test_missing_scores_count_as_zero_and_are_listed(structure):
    first = structure[0].indicators.all()[0]
    result = scoring.compute(structure, {first.id: Decimal(5)}, threshold=16)
    assert result.total == Decimal(5) and result.star_count == 0
    assert sum(len(s.missing) for s in result.stars) == 18


def test_survey_rate_and_points():
    assert scoring.satisfaction_rate(50, 20, 100) == Decimal("70.0")
    assert scoring.satisfaction_rate(0, 0, 0) is None
    assert scoring.points_from_rate(Decimal(95), Decimal(10)) == Decimal(10)
    assert scoring.points_from_rate(Decimal(80), Decimal(10)) == Decimal(5)
    assert scoring.points_from_rate(Decimal(50), Decimal(10)) == Decimal(0)
    assert scoring.classification(Decimal(90)) == "advanced"
    assert scoring.classification(Decimal("89.9")) == "average"
    assert scoring.classification(Decimal(74)) == "lagging"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,days,end",
    [
        (datetime.date(2026, 6, 1), 5, datetime.date(2026, 6, 5)),  # Monday → Friday
        (datetime.date(2026, 6, 4), 5, datetime.date(2026, 6, 10)),  # Thursday → next Wednesday
        (datetime.date(2026, 6, 6), 5, datetime.date(2026, 6, 12)),  # Saturday start moves to Monday
        (datetime.date(2026, 6, 5), 1, datetime.date(2026, 6, 5)),
        (datetime.date(2026, 6, 5), 7, datetime.date(2026, 6, 15)),
    ],
)
def test_notice_working_days_skip_weekends(start, days, end):
    assert add_working_days(start, days) == end


def test_notice_uses_the_campaign_length(world, campaign):
    campaign.notice_working_days = 7
    campaign.save()
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    assert appraisal.notice.ends_on == datetime.date(2026, 6, 9)
    assert appraisal.notice.working_days == 7


def test_survey_caps_the_final_result(world, campaign):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.RECHECK_REQUESTED, **kw)
    # Only the township (or the county) records a village's survey.
    with pytest.raises(PermissionDenied):
        services.survey_record(
            appraisal=appraisal,
            user=world.vera,
            surveyed_on=datetime.date(2026, 5, 1),
            satisfied=1,
            fairly_satisfied=0,
            basically_satisfied=0,
            dissatisfied=0,
        )
    services.survey_record(
        appraisal=appraisal,
        user=world.tom,
        surveyed_on=datetime.date(2026, 5, 1),
        satisfied=30,
        fairly_satisfied=20,
        basically_satisfied=20,
        dissatisfied=30,
    )
    appraisal = af.reload(appraisal)
    assert appraisal.satisfaction_rate == Decimal("50.0")
    services.appraisal_county_recheck(appraisal=appraisal, user=world.alice, scores=af.full_scores(appraisal))
    appraisal = af.reload(appraisal)
    assert appraisal.final_points == Decimal(100)
    assert appraisal.star_count == 2 and appraisal.stars_earned == ["leadership", "members"]


def test_survey_answers_must_add_up(world, campaign):
    appraisal = af.start(campaign, world.a1v1)
    with pytest.raises(ValidationError):
        services.survey_record(
            appraisal=appraisal,
            user=world.tom,
            surveyed_on=datetime.date(2026, 5, 1),
            satisfied=0,
            fairly_satisfied=0,
            basically_satisfied=0,
            dissatisfied=0,
        )


def test_ratings_from_below_feed_the_department(world, campaign):
    campaign.rating_opens_on = datetime.date(2026, 5, 1)
    campaign.rating_closes_on = datetime.date(2026, 5, 31)
    campaign.save()
    dept = af.start(campaign, world.ad1)
    day = datetime.date(2026, 5, 10)
    with pytest.raises(ValidationError):
        services.rating_record(
            campaign=campaign,
            department=world.ad1,
            user=world.tom,
            grade="satisfied",
            today=datetime.date(2026, 6, 1),
        )
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.tom, grade="satisfied", today=day
    )
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.vera, grade="dissatisfied", today=day
    )
    # Rating again replaces one's own rating.
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.vera, grade="basically_satisfied", today=day
    )
    services.rating_record(
        campaign=campaign,
        department=world.ad1,
        user=af.f.UserFactory(role="department", county=world.county_a, department=world.ad2),
        grade="fairly_satisfied",
        today=day,
    )
    with pytest.raises(ValidationError):
        services.rating_record(
            campaign=campaign, department=world.ad1, user=world.dora, grade="satisfied", today=day
        )
    with pytest.raises(PermissionDenied):
        services.rating_record(
            campaign=campaign, department=world.ad1, user=world.alice, grade="satisfied", today=day
        )
    assert Rating.objects.filter(department=world.ad1).count() == 3
    assert set(Rating.objects.values_list("kind", flat=True)) == {"below", "peer"}
    # The satisfaction rate is the grassroots' (下评): tom satisfied, vera basically satisfied; the
    # peer's rating feeds the peer indicator, not this rate.
    assert af.reload(dept).satisfaction_rate == Decimal("50.0")
    # The rating-fed indicators start the county's form from the satisfied share.
    fed = Indicator.objects.filter(star__rubric=dept.rubric, feed=Indicator.Feed.RATING)
    assert fed.count() == 2
    services.appraisal_save_self(appraisal=dept, user=world.dora, scores=af.full_scores(dept))
    services.appraisal_submit(appraisal=dept, user=world.dora)
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.alice)
    rows = [
        r for g in client.get(reverse("appraisal:check", args=[dept.pk])).context["stars"] for r in g["rows"]
    ]
    fed_values = {r["indicator"].id: r["value"] for r in rows if r["indicator"].feed == Indicator.Feed.RATING}
    # 50% satisfied: 40 points below 90% cost 20 of 10 points, so 0.
    assert fed_values == {i.id: Decimal("0.0") for i in fed}


def test_individual_ratings_only_for_county_admins(world, campaign, login):
    from django.urls import reverse

    campaign.rating_opens_on = datetime.date(2000, 1, 1)
    campaign.rating_closes_on = datetime.date(2100, 1, 1)
    campaign.save()
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.tom, grade="dissatisfied", comment="办事慢"
    )
    assert login(world.alice).get(reverse("appraisal:rating_list")).context["individual"].count() == 1
    for persona in ("tom", "vera", "dora"):
        response = login(getattr(world, persona)).get(reverse("appraisal:rating_list"))
        assert response.context["individual"] is None
        assert "办事慢" not in response.content.decode() or persona == "tom"


def test_scores_in_the_database_stay_in_range(world, campaign):
    from django.db import IntegrityError, transaction

    appraisal = af.start(campaign, world.a1v1)
    indicator = af.indicators(appraisal)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            appraisal=appraisal,
            indicator=indicator,
            tier="self",
            points=6,
            max_points=5,
            updated_by=world.vera,
        )


def test_no_survey_after_the_county_has_scored(world, campaign):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.RECHECKED, **kw)
    with pytest.raises(services.AppraisalChanged):
        services.survey_record(
            appraisal=appraisal,
            user=world.tom,
            surveyed_on=datetime.date(2026, 6, 1),
            satisfied=1,
            fairly_satisfied=0,
            basically_satisfied=0,
            dissatisfied=9,
        )
    assert af.reload(appraisal).star_count == 5

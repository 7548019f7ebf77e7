"""The report's figures against a hand-counted county.

County A on 2026-06-15 (self-report and township-check deadlines passed):
  甲一镇: 东村 approved ★5 · 西村 submitted (late: township check passed) · the township re-checked ★4
  甲二镇: 南村 not started (late) · the township still a draft (late)
  departments: 农业局 submitted · 水利局 vetoed (one veto event)
  county B: 北村 approved (never counted)
Titles of county A: 东村 valid (2026) · 西村 valid until 2026-08-01 (expiring) · 南村 expired · 甲一镇 revoked.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from appraisal import services as appraisal_services
from appraisal.models import Appraisal, Title, Track, VetoEvent
from campaign.reports import services
from tests import factories as f

S = Appraisal.Status
JUNE_15 = timezone.make_aware(datetime.datetime(2026, 6, 15, 10, 0))
JULY_5 = timezone.make_aware(datetime.datetime(2026, 7, 5, 10, 0))


def _appraisal(
    campaign, track, status, *, township=None, village=None, department=None, stars=0, points=None
):
    rubric = campaign.rubrics.get(track=track)
    return Appraisal.objects.create(
        campaign=campaign,
        rubric=rubric,
        track=track,
        county=campaign.county,
        township=township,
        village=village,
        department=department,
        status=status,
        star_count=stars,
        final_points=points,
    )


def _title(campaign, *, village=None, township=None, status=Title.Status.VALID, named, until, **extra):
    return Title.objects.create(
        campaign=campaign,
        track=Track.VILLAGE if village else Track.TOWNSHIP,
        county=campaign.county,
        township=township or village.township,
        village=village,
        star_count=5,
        stars=[],
        named_on=named,
        valid_until=until,
        status=status,
        **extra,
    )


@pytest.fixture
def county(world):
    campaign = f.CampaignFactory(
        county=world.county_a,
        year=2026,
        self_report_deadline=datetime.date(2026, 4, 30),
        township_check_deadline=datetime.date(2026, 5, 31),
        county_recheck_deadline=datetime.date(2026, 6, 30),
        approval_deadline=datetime.date(2026, 7, 31),
    )
    appraisal_services.rubric_seed_default(campaign=campaign)
    old = f.CampaignFactory(county=world.county_a, year=2023)
    campaign_b = f.CampaignFactory(county=world.county_b, year=2026)
    appraisal_services.rubric_seed_default(campaign=campaign_b)

    V, T, D = Track.VILLAGE, Track.TOWNSHIP, Track.DEPARTMENT
    _appraisal(campaign, V, S.APPROVED, township=world.a1, village=world.a1v1, stars=5, points=Decimal(95))
    west = _appraisal(campaign, V, S.SUBMITTED, township=world.a1, village=world.a1v2)
    _appraisal(campaign, T, S.RECHECKED, township=world.a1, stars=4, points=Decimal(88))
    _appraisal(campaign, T, S.DRAFT, township=world.a2)
    _appraisal(campaign, D, S.SUBMITTED, department=world.ad1)
    _appraisal(campaign, D, S.VETOED, department=world.ad2)
    VetoEvent.objects.create(
        campaign=campaign,
        county=world.county_a,
        track=D,
        department=world.ad2,
        kind=VetoEvent.Kind.SAFETY_ACCIDENT,
        occurred_on=datetime.date(2026, 5, 3),
        description="事故",
        recorded_by=world.alice,
    )
    _appraisal(campaign_b, V, S.APPROVED, township=world.b1, village=world.b1v1, stars=5, points=Decimal(99))

    _title(campaign, village=world.a1v1, named=datetime.date(2026, 6, 10), until=datetime.date(2029, 6, 10))
    _title(old, village=world.a1v2, named=datetime.date(2023, 8, 1), until=datetime.date(2026, 8, 1))
    _title(
        old,
        village=world.a2v1,
        status=Title.Status.EXPIRED,
        named=datetime.date(2023, 1, 1),
        until=datetime.date(2026, 1, 1),
        expired_on=datetime.date(2026, 1, 1),
    )
    _title(
        old,
        township=world.a1,
        status=Title.Status.REVOKED,
        named=datetime.date(2023, 8, 1),
        until=datetime.date(2026, 8, 1),
        revoked_on=datetime.date(2025, 3, 1),
        revoke_reason="严重问题",
    )
    return campaign, west


def _row(data, name):
    return next(t for t in data["townships"] if t["name"] == name)


@pytest.mark.django_db
def test_figures_per_township_match_the_hand_count(county):
    campaign, _west = county
    report, _ = services.report_take(campaign=campaign, now=JUNE_15)
    data = report.data
    assert report.period == "2026-06"

    a1, a2, departments = _row(data, "甲一镇"), _row(data, "甲二镇"), _row(data, "县直部门")
    assert (a1["subjects"], a1["by_stage"], a1["late"], a1["five_star"]) == (
        3,
        {"approved": 1, "submitted": 1, "rechecked": 1},
        1,
        1,
    )
    assert (a2["subjects"], a2["by_stage"], a2["late"], a2["five_star"]) == (
        2,
        {"not_started": 1, "draft": 1},
        2,
        0,
    )
    assert (departments["subjects"], departments["by_stage"], departments["late"], departments["vetoes"]) == (
        2,
        {"submitted": 1, "vetoed": 1},
        0,
        1,
    )
    assert [t["name"] for t in data["townships"]] == ["甲一镇", "甲二镇", "县直部门"]  # nothing of county B
    assert a1["classification"] == "一般"  # 88 points, no ranking yet


@pytest.mark.django_db
def test_county_totals_titles_and_vetoes_match_the_hand_count(county):
    campaign, _west = county
    data = services.report_take(campaign=campaign, now=JUNE_15)[0].data
    c = data["county"]
    assert (c["townships"], c["villages"], c["subjects"], c["late"], c["vetoes"], c["five_star"]) == (
        2,
        3,
        7,
        3,
        1,
        1,
    )
    assert sorted(c["late_names"]) == sorted(["西村", "南村", "甲二镇"])
    assert c["stars"] == {"0": 0, "1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert c["titles"] == {"valid": 2, "expiring": 1, "expired": 1, "revoked": 1, "named_this_round": 1}
    assert data["expiring_titles"] == [{"subject": "西村", "valid_until": "2026-08-01", "stars": 5}]
    assert [d["passed"] for d in data["deadlines"]] == [True, True, False, False]


@pytest.mark.django_db
def test_change_since_the_previous_report(county):
    campaign, west = county
    services.report_take(campaign=campaign, now=JUNE_15)
    Appraisal.objects.filter(pk=west.pk).update(status=S.APPROVED, star_count=3)
    report, created = services.report_take(campaign=campaign, now=JULY_5)

    assert created and report.period == "2026-07"
    change = report.data["change"]
    # 西村 is no longer late, but 农业局 now is: the county re-check deadline (06-30) has passed.
    assert (change["previous_period"], change["approved"], change["late"]) == ("2026-06", 1, 0)
    a1 = str(next(t["id"] for t in report.data["townships"] if t["name"] == "甲一镇"))
    assert change["townships"][a1] == {"approved": 1, "late": -1}


@pytest.mark.django_db
def test_briefing_pdf_of_the_hand_counted_county(county, poppler):
    campaign, _west = county
    report, _ = services.report_take(campaign=campaign, now=JUNE_15)
    briefing = services.briefing_create(campaign=campaign, report=report)
    relative = services.briefing_render(briefing_id=briefing.pk)
    from campaign.reports import pdf

    text = poppler.text(pdf.media_path(relative)).replace(" ", "")
    assert "甲一镇" in text and "县直部门" in text
    assert "有3个创建对象未按环节时限完成" in text
    assert "90天内到期1个" in text

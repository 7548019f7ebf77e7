"""The report's figures against the hand-counted county (fixture ``county`` in conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from appraisal.models import Appraisal
from campaign.reports import services

S = Appraisal.Status
JUNE_15 = timezone.make_aware(datetime.datetime(2026, 6, 15, 10, 0))
JULY_5 = timezone.make_aware(datetime.datetime(2026, 7, 5, 10, 0))


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


@pytest.mark.django_db
def test_a_township_or_department_that_never_opened_its_report_is_not_started_and_late(county, world):
    from tests import factories as f

    campaign, _west = county
    f.TownshipFactory(county=world.county_a, code="03", name="甲三镇")
    f.DepartmentFactory(county=world.county_a, code="D03", name="林业局")
    data = services.report_take(campaign=campaign, now=JUNE_15)[0].data

    a3, departments = _row(data, "甲三镇"), _row(data, "县直部门")
    assert (a3["by_stage"], a3["late"]) == ({"not_started": 1}, 1)
    assert departments["by_stage"] == {"submitted": 1, "vetoed": 1, "not_started": 1}
    assert departments["late"] == 1
    assert data["county"]["late"] == 5
    assert {"甲三镇", "林业局"} <= set(data["county"]["late_names"])

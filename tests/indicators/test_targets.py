"""Targets: the province's list seeded per county and year, and the three kinds judged."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators import services, targets
from indicators.figures import VillageRow, indicator_set
from indicators.models import Target
from indicators.targets import MET, NO_DATA, NOT_MET, judge, village_state
from tests.indicators.conftest import YEAR

pytestmark = pytest.mark.django_db


def row(**values):
    return VillageRow(
        village_id=len(values),
        code="x",
        name="x",
        township_id=1,
        township_name="t",
        township_code="01",
        county_id=1,
        year=YEAR,
        values=values,
    )


def target(kind, indicator, threshold, **extra):
    return Target(
        county_id=1, year=YEAR, kind=kind, indicator=indicator, threshold=Decimal(threshold), **extra
    )


def test_the_province_list_is_seeded_once_and_copied_to_the_next_year(world):
    services.targets_seed(county=world.county_a, year=2025)
    seeded = list(
        Target.objects.filter(county=world.county_a, year=2025).values_list("kind", "indicator", "threshold")
    )
    assert seeded == [
        ("per_village", "activists", Decimal(3)),
        ("per_village", "new_members_under_35", Decimal(1)),
        ("per_village", "reserve_cadres", Decimal(2)),
        ("share_of_villages", "is_secretary_and_director", Decimal(1)),
        ("ratio_of_sums", "cooperatives_with_party_org", Decimal(70)),
        ("ratio_of_sums", "members_under_35", Decimal(18)),
    ]
    assert services.targets_seed(county=world.county_a, year=2025) == []
    Target.objects.filter(county=world.county_a, year=2025, indicator="activists").update(threshold=4)
    services.targets_seed(county=world.county_a, year=2026)
    assert Target.objects.get(county=world.county_a, year=2026, indicator="activists").threshold == 4
    assert not Target.objects.filter(county=world.county_b).exists()


def test_per_village_target(world):
    t = target(Target.Kind.PER_VILLAGE, "reserve_cadres", 2)
    assert village_state(t, {"reserve_cadres": 2}) == (MET, 2)
    assert village_state(t, {"reserve_cadres": 1})[0] == NOT_MET
    assert village_state(t, {"reserve_cadres": None})[0] == NO_DATA
    result = judge(t, [row(reserve_cadres=3), row(reserve_cadres=1), row(reserve_cadres=None)])
    assert (result.state, result.passing, result.with_data, len(result.missing), len(result.no_data)) == (
        NOT_MET,
        1,
        2,
        1,
        1,
    )
    assert (
        judge(t, [row(reserve_cadres=3), row(reserve_cadres=None)]).state == NO_DATA
    )  # not every village known
    assert judge(t, [row(reserve_cadres=3), row(reserve_cadres=2)]).state == MET
    at_most = target(Target.Kind.PER_VILLAGE, "secretary_age", 60, comparison=Target.Comparison.AT_MOST)
    assert judge(at_most, [row(secretary_age=61)]).state == NOT_MET


def test_share_of_villages_target(world):
    t = target(Target.Kind.SHARE_OF_VILLAGES, "is_secretary_and_director", 1, share_required=Decimal(70))
    rows = [row(is_secretary_and_director=v) for v in (True, True, False, None)]
    result = judge(t, rows)
    assert result.figure == Decimal("66.7") and result.state == NOT_MET and len(result.missing) == 1
    rows.append(row(is_secretary_and_director=True))
    assert judge(t, rows).state == MET  # 3 of 4 with data: 75%


def test_ratio_of_sums_target(world):
    t = target(Target.Kind.RATIO_OF_SUMS, "members_under_35", 18, denominator="members")
    rows = [row(members=100, members_under_35=10), row(members=50, members_under_35=20), row(members=None)]
    result = judge(t, rows)
    # (10 + 20) / (100 + 50) = 20%, although the first village alone is at 10%.
    assert result.figure == Decimal("20.0") and result.state == MET
    assert [r.values["members"] for r in result.missing] == [100]
    assert judge(t, [row(members=None)]).state == NO_DATA
    assert judge(t, [row(members=0, members_under_35=0)]).state == NO_DATA


def test_targets_read_as_sentences(world):
    indicators = indicator_set(world.county_a.pk)
    with translation.override("en"):
        texts = [
            targets.describe(target(Target.Kind.PER_VILLAGE, "reserve_cadres", 2), indicators),
            targets.describe(
                target(
                    Target.Kind.SHARE_OF_VILLAGES, "is_secretary_and_director", 1, share_required=Decimal(70)
                ),
                indicators,
            ),
            targets.describe(
                target(Target.Kind.RATIO_OF_SUMS, "members_under_35", 18, denominator="members"), indicators
            ),
        ]
    assert texts == [
        "Reserve cadres ≥ 2 in every village",
        "Secretary also village-committee director in at least 70% of villages",
        "Members under 35 ÷ Party members ≥ 18%",
    ]


def test_a_target_on_a_switched_off_indicator_is_not_judged(world, open_year):
    from indicators.rollups import township_rollup
    from villages.models import Village

    services.setting_save(user=world.alice, county=world.county_a, code="activists", enabled=False)
    result = township_rollup(world.county_a.pk, Village.objects.filter(township=world.a1), YEAR)
    assert "activists" not in [r.target.indicator for r in result.results]
    assert result.figure("activists") is None

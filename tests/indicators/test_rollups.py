"""Roll-ups: totals, means and shares; the villages that miss; the same queries at two data sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import rollups, services
from indicators.models import IndicatorSheet
from tests import factories as f
from tests.indicators.conftest import FULL, YEAR, Kind, fill, position
from villages.models import Village

pytestmark = pytest.mark.django_db


def test_totals_means_and_shares_over_a_township(world, open_year):
    position(world.a1v1, Kind.RESERVE_CADRE)
    position(world.a1v1, Kind.RESERVE_CADRE)
    fill(world.a1v1, world.tom, {**FULL, "members": 40, "members_under_35": 4, "activists": 2})
    fill(world.a1v2, world.tom, {**FULL, "members": 60, "members_under_35": 16, "activists": 5})
    result = rollups.township_rollup(world.county_a.pk, Village.objects.filter(township=world.a1), YEAR)
    members = result.figure("members")
    assert (members.total, members.mean, members.with_data) == (Decimal(100), Decimal("50.0"), 2)
    assert result.figure("members_under_35_share").share == Decimal("20.0")  # (4 + 16) / (40 + 60)
    assert result.figure("reserve_cadres").total == Decimal(2)
    assert result.figure("reserve_cadres").mean == Decimal("1.0")
    by_target = {r.target.indicator: r for r in result.results}
    assert by_target["members_under_35"].state == "met"
    assert [r.name for r in by_target["activists"].missing] == [world.a1v1.name]
    assert by_target["reserve_cadres"].state == "not_met"
    assert [r.name for r in by_target["reserve_cadres"].missing] == [world.a1v2.name]
    assert result.completeness.draft == 2 and result.completeness.confirmed == 0


def test_the_county_roll_up_moves_when_a_township_confirms(world, open_year):
    villages = Village.objects.filter(township__county=world.county_a)
    whole, townships = rollups.county_rollup(world.county_a.pk, villages, YEAR)
    assert (whole.completeness.villages, whole.completeness.confirmed, whole.completeness.not_started) == (
        3,
        0,
        3,
    )
    assert [first.township_name for first, _r in townships] == [world.a1.name, world.a2.name]
    services.sheet_confirm(sheet=fill(world.a1v1, world.tom), user=world.tom)
    whole, townships = rollups.county_rollup(world.county_a.pk, villages, YEAR)
    assert whole.completeness.confirmed == 1
    assert whole.figure("activists").total == FULL["activists"]
    assert townships[0][1].completeness.confirmed == 1 and townships[1][1].completeness.confirmed == 0


def grow(world, n):
    """``n`` more villages in each township of county A (and B), each with a sheet and positions."""
    for township in (world.a1, world.a2, world.b1):
        for _ in range(n):
            village = f.VillageFactory(township=township)
            position(village, Kind.SECRETARY)
            position(village, Kind.RESERVE_CADRE)
            IndicatorSheet.objects.create(
                village=village, county=township.county, township=township, year=YEAR, members=30, activists=3
            )


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Pinned: session, user, the page's own queries (the county page with two years of trend), the
# navigation's unread count and the user's place for the bar.
@pytest.mark.parametrize(
    "user,url,pinned",
    [
        ("alice", lambda w: reverse("indicators:county"), 18),
        ("olga", lambda w: reverse("indicators:county"), 19),
        ("tom", lambda w: reverse("indicators:township", args=[w.a1.pk]), 16),
        ("carl", lambda w: reverse("indicators:city"), 16),
        ("carl", lambda w: reverse("indicators:county_detail", args=[w.county_a.pk]), 20),
    ],
)
def test_roll_up_pages_make_the_same_queries_at_two_data_sizes(
    world, open_year, client, user, url, pinned, django_assert_max_num_queries
):
    from tests.indicators.conftest import window

    window(world.county_b)
    window(world.county_a, year=YEAR - 1, opens=-400, closes=-340)
    client.force_login(getattr(world, user))
    url = url(world)
    grow(world, 2)
    small = count_queries(client, url)
    grow(world, 15)
    assert count_queries(client, url) == small
    with django_assert_max_num_queries(pinned):
        client.get(url)

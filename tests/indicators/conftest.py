"""Indicators tests: the world's county A with an open collection this year, and registry helpers.

Dates are relative to today (the pages use today's date): the collection of ``YEAR`` (this year)
opened ten days ago and closes in twenty days.
"""

import datetime

import pytest
from django.utils import timezone

from cadres.models import Position
from indicators import services
from indicators.models import CollectionWindow
from tests import factories as f

TODAY = timezone.localdate()
YEAR = TODAY.year
Kind = Position.Kind

# A complete set of entered figures (every built-in indicator), consistent with each other.
FULL = {
    "members": 40,
    "members_under_35": 8,
    "members_women": 10,
    "members_high_school": 20,
    "new_members": 2,
    "new_members_under_35": 1,
    "activists": 4,
    "cooperatives": 5,
    "cooperatives_with_party_org": 4,
    "collective_income": 12,
    "branch_congresses": 4,
    "committee_meetings": 12,
    "group_meetings": 8,
    "party_lessons": 4,
    "training_days": 7,
    "venue_area": 200,
    "venue_condition": "good",
}


def window(county, year=YEAR, opens=-10, closes=20):
    return CollectionWindow.objects.create(
        county=county,
        year=year,
        opens_on=TODAY + datetime.timedelta(days=opens),
        closes_on=TODAY + datetime.timedelta(days=closes),
    )


def position(village, kind, *, start=datetime.date(2021, 3, 1), end=None, cadre=None, **cadre_fields):
    cadre = cadre or f.CadreFactory(village=village, **cadre_fields)
    return f.PositionFactory(cadre=cadre, kind=kind, village=village, start_date=start, end_date=end)


@pytest.fixture
def open_year(world):
    """County A's collection of this year, open, with the province's targets."""
    w = window(world.county_a)
    services.targets_seed(county=world.county_a, year=YEAR)
    return w


def fill(village, user, values=None, year=YEAR, **extra):
    """Save figures on a village's sheet as ``user`` (FULL by default)."""
    return services.sheet_save(
        village=village, year=year, values=dict(FULL if values is None else values), user=user, **extra
    )

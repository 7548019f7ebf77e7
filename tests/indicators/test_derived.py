"""Every derived indicator follows the registry: a new position moves it, an ended one leaves it."""

import datetime
from decimal import Decimal

import pytest

from indicators import derived, services
from indicators.figures import sheet_values, village_figures
from indicators.models import IndicatorSheet, SheetEvent
from tests import factories as f
from tests.indicators.conftest import TODAY, YEAR, Kind, fill, position, window
from villages.models import Village

pytestmark = pytest.mark.django_db


def live(village, day=TODAY):
    return derived.village_figures_on(village, day)


def test_a_new_reserve_cadre_moves_the_count_and_an_ended_position_leaves_it(world):
    v = world.a1v1
    assert live(v)["reserve_cadres"] == 0
    first = position(v, Kind.RESERVE_CADRE)
    position(v, Kind.RESERVE_CADRE)
    assert live(v)["reserve_cadres"] == 2
    first.end_date = TODAY
    first.save()
    assert live(v)["reserve_cadres"] == 1
    # Another village's reserve cadres never count here.
    position(world.a1v2, Kind.RESERVE_CADRE)
    assert live(v)["reserve_cadres"] == 1


def test_a_position_ending_later_still_counts_and_one_starting_later_not_yet(world):
    v = world.a1v1
    position(v, Kind.RESERVE_CADRE, end=TODAY + datetime.timedelta(days=30))
    position(v, Kind.RESERVE_CADRE, start=TODAY + datetime.timedelta(days=1))
    assert live(v)["reserve_cadres"] == 1


def test_secretary_also_director_only_when_the_same_cadre_sits_in_both(world):
    v = world.a1v1
    assert live(v)["is_secretary_and_director"] is False  # no secretary: not 一肩挑
    secretary = position(v, Kind.SECRETARY)
    director = position(v, Kind.DIRECTOR)
    assert live(v)["is_secretary_and_director"] is False
    director.end_date = TODAY
    director.save()
    position(v, Kind.DIRECTOR, cadre=secretary.cadre, start=TODAY)
    assert live(v)["is_secretary_and_director"] is True
    secretary.end_date = TODAY
    secretary.save()
    assert live(v)["is_secretary_and_director"] is False


def test_secretary_age_education_and_years_in_post_come_from_the_sitting_secretary(world):
    v = world.a1v1
    assert live(v)["secretary_age"] is None and live(v)["secretary_years"] is None
    start = datetime.date(TODAY.year - 6, 1, 1)
    position(
        v, Kind.SECRETARY, start=start, birth_date=datetime.date(TODAY.year - 50, 1, 1), education="college"
    )
    figures = live(v)
    assert figures["secretary_age"] == 50
    assert figures["secretary_education"] == "college"
    assert figures["secretary_years"] == 6
    # The birthday not reached yet that year: one year younger.
    day = datetime.date(TODAY.year, 6, 1)
    other = position(world.a1v2, Kind.SECRETARY, birth_date=datetime.date(1980, 12, 31))
    assert live(world.a1v2, day)["secretary_age"] == TODAY.year - 1980 - 1
    assert other.cadre.name in live(world.a1v2, day)["secretary_name"]


def test_cross_appointment_counts_village_committee_members_who_are_party_members(world):
    v = world.a1v1
    position(v, Kind.DIRECTOR, party_joined_on=datetime.date(2000, 1, 1))
    position(v, Kind.VILLAGE_COMMITTEE_MEMBER, party_joined_on=datetime.date(2010, 1, 1))
    position(v, Kind.VILLAGE_COMMITTEE_MEMBER, party_joined_on=None)
    joined_later = position(
        v, Kind.VILLAGE_COMMITTEE_MEMBER, party_joined_on=TODAY + datetime.timedelta(days=1)
    )
    figures = live(v)
    assert figures["committee_members"] == 4
    assert figures["cross_appointed"] == 2
    joined_later.end_date = TODAY
    joined_later.save()
    assert live(v)["committee_members"] == 3
    row = village_figures(Village.objects.filter(pk=v.pk), YEAR)[0]
    assert row.values["cross_appointed_share"] == Decimal("66.7")


def test_first_secretary_and_working_group(world):
    v = world.a1v1
    assert live(v)["has_first_secretary"] is False
    first = position(v, Kind.FIRST_SECRETARY)
    position(v, Kind.WORKING_GROUP_MEMBER)
    position(v, Kind.WORKING_GROUP_MEMBER)
    assert live(v)["has_first_secretary"] is True
    assert live(v)["working_group_members"] == 2
    first.end_date = TODAY
    first.save()
    assert live(v)["has_first_secretary"] is False


def test_confirmation_freezes_the_registry_figures_with_their_date(world, open_year):
    v = world.a1v1
    position(v, Kind.RESERVE_CADRE)
    position(v, Kind.RESERVE_CADRE)
    sheet = fill(v, world.tom)
    assert sheet_values(sheet).is_live
    assert sheet_values(sheet).values["reserve_cadres"] == 2
    sheet = services.sheet_confirm(sheet=sheet, user=world.tom)
    assert sheet.derived_as_of == min(TODAY, datetime.date(YEAR, 12, 31))
    assert sheet.reserve_cadres == 2
    position(v, Kind.RESERVE_CADRE)  # the registry moves on
    row = sheet_values(sheet)
    assert not row.is_live and row.values["reserve_cadres"] == 2
    # Reopened within its year, the sheet follows the registry again.
    sheet = services.sheet_reopen(sheet=sheet, user=world.tom, reason="a figure was wrong")
    assert sheet_values(sheet).values["reserve_cadres"] == 3
    assert sheet.events.filter(action=SheetEvent.Action.REOPENED, comment="a figure was wrong").exists()


def test_last_years_sheets_never_follow_todays_registry(world):
    v = world.a1v1
    last = YEAR - 1
    window(world.county_a, year=last, opens=-400, closes=-340)
    position(v, Kind.RESERVE_CADRE, start=datetime.date(last - 2, 1, 1))
    # An open sheet of last year reads the registry as it stood on 31 December.
    IndicatorSheet.objects.create(village=v, county=world.county_a, township=world.a1, year=last)
    position(v, Kind.RESERVE_CADRE, start=datetime.date(YEAR, 1, 1))
    assert sheet_values(IndicatorSheet.objects.get(village=v, year=last)).values["reserve_cadres"] == 1
    # The daily task freezes it (and gives the county's other villages a sheet holding theirs).
    assert services.freeze_past_years(today=TODAY) == 3
    frozen = IndicatorSheet.objects.get(village=v, year=last)
    assert frozen.derived_as_of == datetime.date(last, 12, 31) and frozen.reserve_cadres == 1
    assert IndicatorSheet.objects.filter(year=last, county=world.county_a).count() == 3
    assert frozen.events.filter(action=SheetEvent.Action.FROZEN).count() == 1
    # A retroactive change to the registry no longer moves it; running again changes nothing.
    position(v, Kind.RESERVE_CADRE, start=datetime.date(last - 1, 1, 1))
    assert services.freeze_past_years(today=TODAY) == 0
    assert sheet_values(frozen).values["reserve_cadres"] == 1


def test_reopening_a_past_years_sheet_keeps_its_frozen_figures(world):
    v = world.a1v1
    last = YEAR - 1
    window(world.county_a, year=last, opens=-400, closes=-340)
    position(v, Kind.RESERVE_CADRE, start=datetime.date(last - 2, 1, 1))
    sheet = IndicatorSheet.objects.create(village=v, county=world.county_a, township=world.a1, year=last)
    services.freeze_past_years(today=TODAY)
    sheet.refresh_from_db()
    IndicatorSheet.objects.filter(pk=sheet.pk).update(status=IndicatorSheet.Status.CONFIRMED)
    sheet.refresh_from_db()
    position(v, Kind.RESERVE_CADRE, start=datetime.date(last - 1, 6, 1))
    sheet = services.sheet_reopen(sheet=sheet, user=world.alice, reason="correct the members")
    assert sheet.derived_as_of == datetime.date(last, 12, 31)
    assert sheet_values(sheet).values["reserve_cadres"] == 1


def test_derived_figures_of_many_villages_in_one_query(world, django_assert_num_queries):
    for village in (world.a1v1, world.a1v2, world.a2v1):
        position(village, Kind.RESERVE_CADRE)
        position(village, Kind.SECRETARY)
    with django_assert_num_queries(1):
        figures = derived.registry_figures(Village.objects.filter(township__county=world.county_a), TODAY)
    assert {v: x["reserve_cadres"] for v, x in figures.items()} == {
        world.a1v1.pk: 1,
        world.a1v2.pk: 1,
        world.a2v1.pk: 1,
    }


def test_a_figure_of_another_county_never_leaks(world):
    position(world.b1v1, Kind.RESERVE_CADRE)
    figures = derived.registry_figures(
        Village.objects.filter(township__county=world.county_a), TODAY, [world.county_a.pk]
    )
    assert world.b1v1.pk not in figures
    assert f  # factories imported for the helpers

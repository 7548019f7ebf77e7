"""Who fills a sheet in and when: entering, submitting, returning, confirming, reopening; bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from indicators import services
from indicators.models import IndicatorSheet, SheetEvent
from tests import factories as f
from tests.indicators.conftest import FULL, TODAY, YEAR, fill, window

pytestmark = pytest.mark.django_db
Status = IndicatorSheet.Status


def test_the_village_fills_in_submits_and_the_township_confirms(world, open_year):
    sheet = fill(world.a1v1, world.vera)
    assert sheet.status == Status.DRAFT and sheet.members == 40
    sheet = services.sheet_submit(sheet=sheet, user=world.vera)
    assert sheet.status == Status.SUBMITTED
    # Submitted: read-only to the village, still open to the township.
    with pytest.raises(ValidationError):
        fill(world.a1v1, world.vera, {"members": 41})
    fill(world.a1v1, world.tom, {"members": 41})
    sheet = services.sheet_confirm(sheet=sheet, user=world.tom)
    assert sheet.status == Status.CONFIRMED and sheet.confirmed_by == world.tom
    assert [e.action for e in sheet.events.order_by("id")] == ["saved", "submitted", "saved", "confirmed"]
    # The township's submission notice reached the township user.
    assert world.tom.notifications.filter(title__contains=world.a1v1.name).exists()


def test_a_confirmed_sheet_is_read_only_to_the_village_and_the_township_until_reopened(world, open_year):
    sheet = services.sheet_confirm(sheet=fill(world.a1v1, world.tom), user=world.tom)
    for user in (world.vera, world.tom):
        with pytest.raises(ValidationError, match="reopen"):
            fill(world.a1v1, user, {"members": 39})
    with pytest.raises(ValidationError):
        services.sheet_reopen(sheet=sheet, user=world.tom, reason=" ")
    services.sheet_reopen(sheet=sheet, user=world.tom, reason="members miscounted")
    event = SheetEvent.objects.get(sheet=sheet, action=SheetEvent.Action.REOPENED)
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        world.tom,
        Status.CONFIRMED,
        Status.DRAFT,
        "members miscounted",
    )
    assert fill(world.a1v1, world.vera, {"members": 39}).members == 39


def test_the_township_returns_a_submitted_sheet_with_its_reason(world, open_year):
    sheet = services.sheet_submit(sheet=fill(world.a1v1, world.vera), user=world.vera)
    with pytest.raises(ValidationError):
        services.sheet_return(sheet=sheet, user=world.tom, reason="")
    sheet = services.sheet_return(sheet=sheet, user=world.tom, reason="三会一课 figures missing")
    assert sheet.status == Status.DRAFT and sheet.return_reason == "三会一课 figures missing"
    assert world.vera.notifications.filter(body="三会一课 figures missing").exists()
    # A second, stale return is refused with an explanation.
    with pytest.raises(ValidationError, match="reload"):
        services.sheet_return(sheet=sheet, user=world.tom, reason="again")


def test_counts_cannot_be_negative_nor_parts_exceed_their_whole(world, open_year):
    with pytest.raises(ValidationError) as error:
        fill(world.a1v1, world.tom, {"members": 10, "members_under_35": 11})
    assert "members_under_35" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        fill(world.a1v1, world.tom, {"cooperatives_with_party_org": 1})
    assert "cooperatives_with_party_org" in error.value.message_dict  # a part needs its whole first
    assert not IndicatorSheet.objects.filter(village=world.a1v1, members__isnull=False).exists()
    definition = services.catalogue.BY_CODE["members"]
    with translation.override("en"):
        for raw, message in (
            ("-1", "negative"),
            ("1.5", "whole"),
            ("abc", "not a number"),
            ("1e9", "plausible"),
        ):
            with pytest.raises(ValidationError, match=message):
                services.parse_value(definition, raw)
    assert services.parse_value(definition, " 1,024 ") == 1024
    income = services.catalogue.BY_CODE["collective_income"]
    assert services.parse_value(income, "12.5") == Decimal("12.5")
    with pytest.raises(ValidationError):
        services.parse_value(income, "1.234")


def test_lowering_a_whole_below_its_stored_part_is_refused(world, open_year):
    fill(world.a1v1, world.tom)
    with pytest.raises(ValidationError) as error:
        fill(world.a1v1, world.tom, {"members": 5})
    assert "members_under_35" in error.value.message_dict


def test_the_database_refuses_a_part_above_its_whole_and_a_negative_income(world):
    from django.db import IntegrityError, transaction

    for values in ({"members": 3, "members_under_35": 4}, {"collective_income": Decimal("-1")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorSheet.objects.create(
                village=world.a1v1, county=world.county_a, township=world.a1, year=YEAR, **values
            )


def test_shares_are_computed_never_typed(world, open_year):
    with pytest.raises(ValueError):
        fill(world.a1v1, world.tom, {"members_under_35_share": 20})
    assert not hasattr(IndicatorSheet, "members_under_35_share")


def test_confirming_needs_every_figure(world, open_year):
    sheet = fill(world.a1v1, world.tom, {"members": 40})
    with pytest.raises(ValidationError, match="missing"):
        services.sheet_confirm(sheet=sheet, user=world.tom)


def test_who_may_enter_what(world, open_year):
    for user in (world.alice, world.leo, world.olga, world.carl, world.dora):
        with pytest.raises(PermissionDenied):
            fill(world.a1v1, user)
    with pytest.raises(PermissionDenied):
        fill(world.a2v1, world.tom)  # another township's village
    with pytest.raises(PermissionDenied):
        fill(world.a1v2, world.vera)  # another village of the same township
    sheet = fill(world.a1v1, world.tom)
    with pytest.raises(PermissionDenied):
        services.sheet_confirm(sheet=sheet, user=world.vera)
    with pytest.raises(PermissionDenied):
        services.sheet_submit(sheet=sheet, user=world.tom)
    tom2 = f.UserFactory(username="tom2", role="township", county=world.county_a, township=world.a2)
    with pytest.raises(PermissionDenied):
        services.sheet_confirm(sheet=sheet, user=tom2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_collection_window(world):
    with pytest.raises(ValidationError, match="not opened"):
        fill(world.a1v1, world.tom)
    w = window(world.county_a, opens=5, closes=20)
    with pytest.raises(ValidationError, match="opens on"):
        fill(world.a1v1, world.tom)
    w.opens_on, w.closes_on = TODAY - datetime.timedelta(days=20), TODAY - datetime.timedelta(days=1)
    w.save()
    # Closed: the village may no longer enter; the township still may (late).
    with pytest.raises(ValidationError, match="closed"):
        fill(world.a1v1, world.vera)
    assert fill(world.a1v1, world.tom).members == FULL["members"]


def test_a_save_records_what_changed_and_a_save_changing_nothing_records_nothing(world, open_year):
    fill(world.a1v1, world.tom, {"members": 40})
    fill(world.a1v1, world.tom, {"members": 42, "activists": 3})
    fill(world.a1v1, world.tom, {"members": 42})
    events = list(SheetEvent.objects.filter(sheet__village=world.a1v1).order_by("id"))
    assert [e.changes for e in events] == [
        {"members": [None, 40]},
        {"members": [40, 42], "activists": [None, 3]},
    ]
    with pytest.raises(ValidationError):
        events[0].comment = "rewritten"
        events[0].save()

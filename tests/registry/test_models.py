"""Model rules: the database constraints hold even past the forms, and clean() names the field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres.models import Cadre, Position
from cadres.selectors import annotate_secretary_and_director, cadre_is_secretary_and_director
from tests import factories as f
from villages.models import PartyOrganization, Township, Village


def integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
def test_database_refuses_duplicate_codes_within_the_parent(world):
    integrity_error(lambda: Township.objects.create(county=world.county_a, code="01", name="x"))
    integrity_error(lambda: Village.objects.create(township=world.a1, code="001", name="x"))
    # The same code under another parent is fine.
    Township.objects.create(county=world.county_b, code="02", name="乙二镇")
    Village.objects.create(township=world.a2, code="002", name="南二村")


@pytest.mark.django_db
def test_database_refuses_impossible_positions(reg):
    w = reg.w
    pos = dict(cadre=reg.reserve, county=w.county_a, township=w.a1, start_date=datetime.date(2022, 1, 1))
    integrity_error(lambda: Position.objects.create(kind=Position.Kind.RESERVE_CADRE, village=None, **pos))
    integrity_error(
        lambda: Position.objects.create(
            kind=Position.Kind.RESERVE_CADRE, village=w.a1v1, end_date=datetime.date(2021, 1, 1), **pos
        )
    )
    integrity_error(lambda: Position.objects.create(kind=Position.Kind.SECRETARY, village=w.a1v1, **pos))
    # A former secretary (with an end date) does not collide with the sitting one.
    Position.objects.create(
        kind=Position.Kind.SECRETARY, village=w.a1v1, end_date=datetime.date(2022, 6, 1), **pos
    )


@pytest.mark.django_db
def test_database_refuses_a_second_party_organization_for_a_village(reg):
    integrity_error(lambda: f.PartyOrganizationFactory(village=reg.w.a1v1, name="第二支部"))
    integrity_error(
        lambda: PartyOrganization.objects.create(
            kind=PartyOrganization.Kind.VILLAGE_BRANCH, name="无村", county=reg.w.county_a, township=reg.w.a1
        )
    )


@pytest.mark.django_db
def test_clean_derives_places_and_names_the_field(reg):
    w = reg.w
    cadre = Cadre(
        county=w.county_b, village=w.a1v2, name="甲", gender="m", birth_date=datetime.date(1990, 1, 1)
    )
    cadre.full_clean()
    assert (cadre.township, cadre.county) == (w.a1, w.county_a)

    future = datetime.date.today() + datetime.timedelta(days=1)
    cadre.birth_date = future
    with pytest.raises(ValidationError) as error:
        cadre.full_clean()
    assert set(error.value.error_dict) == {"birth_date"}

    position = Position(cadre=reg.reserve, kind=Position.Kind.DIRECTOR, village=w.a1v1, start_date=future)
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert "张书记" in str(error.value.error_dict["village"])  # the sitting director is named

    org = PartyOrganization(
        kind=PartyOrganization.Kind.VILLAGE_BRANCH, name="新", village=w.a1v2, county=w.county_a
    )
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert set(error.value.error_dict) == {"village"}  # 西村 already has its branch
    org.village = Village.objects.create(township=w.a2, code="009", name="新村")
    org.full_clean()
    assert (org.township, org.county) == (w.a2, w.county_a)


@pytest.mark.django_db
def test_secretary_and_director_is_derived_from_sitting_positions(reg):
    w = reg.w
    flags = dict(
        annotate_secretary_and_director(Village.objects.all()).values_list("id", "is_secretary_and_director")
    )
    assert flags[w.a1v1.pk] is True
    assert flags[w.a1v2.pk] is False  # 王书记 was director once, but not any more
    assert cadre_is_secretary_and_director(reg.sec) and not cadre_is_secretary_and_director(reg.sec2)
    reg.pos.sec_director.end_date = datetime.date(2024, 1, 1)
    reg.pos.sec_director.save()
    assert not cadre_is_secretary_and_director(reg.sec)

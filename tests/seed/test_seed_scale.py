import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from cadres.models import Cadre, OrganizerArea, Position
from campaign.demo.registry import PASSWORD
from campaign.models import User
from campaign.roles import Role
from villages.models import City, County, PartyOrganization, Township, Village
from villages.selectors import villages_for

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_scale", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_seed_scale_makes_the_expected_numbers():
    seed(counties=3, townships=2, villages=3, cadres=6)
    assert County.objects.count() == 3
    assert Township.objects.count() == 3 * 2
    assert Village.objects.count() == 3 * 2 * 3
    assert Cadre.objects.filter(village__isnull=False).count() == 3 * 2 * 3 * 6
    assert PartyOrganization.objects.filter(kind__in=PartyOrganization.VILLAGE_KINDS).count() == 18
    assert PartyOrganization.objects.filter(kind=PartyOrganization.Kind.TOWNSHIP_COMMITTEE).count() == 6
    # Every village has exactly one sitting secretary and one sitting director.
    for village in Village.objects.all():
        sitting = Position.objects.filter(village=village, end_date__isnull=True)
        assert sitting.filter(kind=Position.Kind.SECRETARY).count() == 1
        assert sitting.filter(kind=Position.Kind.DIRECTOR).count() == 1
    assert Position.objects.filter(kind=Position.Kind.SECRETARY, end_date__isnull=False).count() == 18
    assert OrganizerArea.objects.count() == 3 * 4
    # One user per role and county, one city viewer per city (ten counties a city).
    assert User.objects.filter(role=Role.COUNTY_ADMIN).count() == 3
    assert City.objects.count() == 1 and User.objects.filter(role=Role.CITY).count() == 1
    for role in Role:
        assert User.objects.filter(role=role).exists(), role


def test_seed_scale_users_log_in_and_see_their_scope():
    seed(counties=2, townships=2, villages=2, cadres=4)
    village_user = authenticate(username="k001_cun0101", password=PASSWORD)
    assert village_user is not None
    assert list(villages_for(village_user)) == [village_user.village]
    township_user = User.objects.get(username="k002_xiang01")
    assert villages_for(township_user).count() == 2
    city_user = User.objects.get(username="p01_shiwei")
    assert villages_for(city_user).count() == 2 * 2 * 2


def test_seed_scale_adds_only_missing_counties_and_ids_keep_working():
    seed(counties=1, townships=1, villages=2, cadres=4)
    first = list(Cadre.objects.order_by("pk").values_list("name", "birth_date"))
    seed(counties=12, townships=1, villages=2, cadres=4)
    assert County.objects.count() == 12
    assert list(Cadre.objects.order_by("pk").values_list("name", "birth_date"))[: len(first)] == first
    assert City.objects.count() == 2
    # The id sequences were moved past the copied rows: ordinary inserts still work.
    township = Township.objects.first()
    Village.objects.create(township=township, code="99", name="新村")
    seed(counties=12, townships=1, villages=2, cadres=4)
    assert County.objects.count() == 12


def test_seed_scale_fills_this_years_indicator_sheets_of_every_county():
    from indicators.models import CollectionWindow, IndicatorSheet, Target

    seed(counties=2, townships=2, villages=3, cadres=6)
    assert CollectionWindow.objects.count() == 2 and Target.objects.count() == 2 * 6
    assert IndicatorSheet.objects.count() == 2 * 2 * 3
    confirmed = IndicatorSheet.objects.filter(status="confirmed")
    assert confirmed.exists() and not confirmed.filter(derived_as_of__isnull=True).exists()
    assert confirmed.filter(reserve_cadres=2).count() == confirmed.count()  # from the registry (two each)
    seed(counties=3, townships=2, villages=3, cadres=6)
    assert IndicatorSheet.objects.count() == 3 * 2 * 3

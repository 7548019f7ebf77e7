"""Factories for the registry and users. Other areas keep their own factories beside their tests."""

import datetime

import factory

from cadres.models import Cadre, OrganizerArea, Position
from campaign.models import Campaign, User
from campaign.roles import Role
from villages.models import City, County, Department, PartyOrganization, Township, Village

PASSWORD = "lianchuang-test"


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"测试市{n}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"K{n:03d}")
    name = factory.Sequence(lambda n: f"测试县{n}")


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}镇")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}村")
    households = 300
    population = 1100


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    county = factory.SubFactory(CountyFactory)
    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}局")


class PartyOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    kind = PartyOrganization.Kind.VILLAGE_BRANCH
    village = factory.SubFactory(VillageFactory)
    township = factory.SelfAttribute("village.township")
    county = factory.SelfAttribute("township.county")
    name = factory.LazyAttribute(lambda o: f"{o.village.name}党支部")
    member_count = 30


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    village = factory.SubFactory(VillageFactory)
    township = factory.LazyAttribute(lambda o: o.village.township if o.village else None)
    county = factory.LazyAttribute(lambda o: o.township.county if o.township else CountyFactory())
    name = factory.Sequence(lambda n: f"干部{n}")
    gender = Cadre.Gender.MALE
    birth_date = datetime.date(1980, 5, 1)
    party_joined_on = datetime.date(2005, 7, 1)
    phone = "13800138000"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    cadre = factory.SubFactory(CadreFactory)
    kind = Position.Kind.SECRETARY
    village = factory.SelfAttribute("cadre.village")
    township = factory.SelfAttribute("cadre.township")
    county = factory.SelfAttribute("cadre.county")
    start_date = datetime.date(2021, 1, 1)


class OrganizerAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizerArea

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"片区{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    county = factory.SubFactory(CountyFactory)
    year = 2026
    name = factory.LazyAttribute(lambda o: f"{o.year}年度三级联创")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COUNTY_ADMIN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

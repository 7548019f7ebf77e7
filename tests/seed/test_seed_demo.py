import hashlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from cadres.models import Cadre, OrganizerArea, Position
from campaign.demo.registry import PASSWORD, find_demo_county, seed_registry
from campaign.models import User
from campaign.roles import Role
from villages.models import City, County, Department, PartyOrganization, Township, Village

pytestmark = pytest.mark.django_db

MODELS = (
    City,
    County,
    Township,
    Village,
    Department,
    PartyOrganization,
    Cadre,
    Position,
    OrganizerArea,
    User,
)


def snapshot():
    """Row counts of every table (the areas' demo hooks included), and a checksum of the registry's rows."""
    digest = hashlib.sha256()
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    for model in MODELS:
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in ("last_login", "date_joined")
        ]
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return counts, digest.hexdigest()


@pytest.fixture
def demo(db):
    # The registry part alone: the areas' demo hooks are theirs to test, and
    # would make every test here slower.
    county, created = seed_registry()
    assert created
    return county


def test_demo_county_has_the_promised_size(demo):
    assert demo.name == "林西县"
    townships = Township.objects.filter(county=demo)
    assert [t.code for t in townships.order_by("code")] == [f"{i:02d}" for i in range(1, 17)]
    villages = Village.objects.filter(township__county=demo)
    assert 150 <= villages.count() <= 250
    assert 15 <= Department.objects.filter(county=demo).count() <= 25
    assert Cadre.objects.filter(county=demo).count() >= 2000
    # Every village has its main party organization under its township's committee.
    orgs = PartyOrganization.objects.filter(kind__in=PartyOrganization.VILLAGE_KINDS)
    assert orgs.count() == villages.count()
    assert not orgs.exclude(parent__kind=PartyOrganization.Kind.TOWNSHIP_COMMITTEE).exists()
    assert PartyOrganization.objects.filter(kind=PartyOrganization.Kind.TOWNSHIP_COMMITTEE).count() == 16
    assert set(orgs.values_list("kind", flat=True)) == set(PartyOrganization.VILLAGE_KINDS)
    assert PartyOrganization.objects.filter(kind=PartyOrganization.Kind.DEPARTMENT).count() == (
        Department.objects.count()
    )


def test_every_village_has_a_secretary_a_director_and_two_reserve_cadres(demo):
    sitting = Q(positions__end_date__isnull=True)
    villages = Village.objects.annotate(
        secretaries=Count("positions", filter=sitting & Q(positions__kind=Position.Kind.SECRETARY)),
        directors=Count("positions", filter=sitting & Q(positions__kind=Position.Kind.DIRECTOR)),
        reserves=Count("positions", filter=sitting & Q(positions__kind=Position.Kind.RESERVE_CADRE)),
    )
    assert set(villages.values_list("secretaries", "directors")) == {(1, 1)}
    assert min(villages.values_list("reserves", flat=True)) >= 2
    kinds = set(Position.objects.values_list("kind", flat=True))
    assert kinds == set(Position.Kind.values)
    assert Position.objects.filter(end_date__isnull=False).count() > 20
    # Some villages have 一肩挑 (the sitting secretary is also the director), some do not.
    secretaries = set(
        Position.objects.filter(kind=Position.Kind.SECRETARY, end_date__isnull=True).values_list(
            "village", "cadre"
        )
    )
    directors = set(
        Position.objects.filter(kind=Position.Kind.DIRECTOR, end_date__isnull=True).values_list(
            "village", "cadre"
        )
    )
    both = secretaries & directors
    assert 0 < len(both) < len(secretaries)
    first = Position.objects.filter(kind=Position.Kind.FIRST_SECRETARY, end_date__isnull=True)
    assert first.exists() and not first.filter(sent_from="").exists()
    assert set(Cadre.objects.values_list("gender", flat=True)) == {"m", "f"}
    assert {"汉族", "蒙古族"} <= set(Cadre.objects.values_list("ethnicity", flat=True))


def test_demo_logins_exist_with_their_roles_and_scopes(demo):
    expected = {
        "zzb": Role.COUNTY_ADMIN,
        "zzy1": Role.COUNTY_REVIEWER,
        "zzy4": Role.COUNTY_REVIEWER,
        "xianwei": Role.COUNTY_LEADER,
        "xiang01": Role.TOWNSHIP,
        "xiang16": Role.TOWNSHIP,
        "cun0101": Role.VILLAGE,
        "bumen01": Role.DEPARTMENT,
        "shiwei": Role.CITY,
    }
    for username, role in expected.items():
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert user.role == role
    assert User.objects.get(username="zzb").is_staff
    zzy1 = User.objects.get(username="zzy1")
    assert sorted(zzy1.organizer_area.townships.values_list("code", flat=True)) == ["01", "02", "03", "04"]
    cun = User.objects.get(username="cun0101")
    assert (cun.township.code, cun.village.code) == ("01", "01")
    assert cun.village.township_id == cun.township_id
    # One village user per village, one department user per department.
    assert User.objects.filter(role=Role.VILLAGE).count() == Village.objects.count()
    assert User.objects.filter(role=Role.DEPARTMENT).count() == Department.objects.count()
    for village in Village.objects.select_related("township"):
        assert User.objects.filter(
            username=f"cun{village.township.code}{village.code}", village=village
        ).exists()


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before
    assert find_demo_county().name == "林西县"


def content():
    """The demo's rows without their ids, which differ between databases."""
    rows = []
    for model in (Township, Village, PartyOrganization, Cadre, Position, User):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.attname.endswith("id") and f.attname not in ("last_login", "date_joined", "password")
        ]
        rows.append(list(model.objects.order_by("pk").values_list(*fields)))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Rollback(Exception):
    pass


def test_seed_demo_is_deterministic(db):
    digests = []
    for _ in range(2):
        try:
            with transaction.atomic():
                seed_registry()
                digests.append(content())
                raise Rollback
        except Rollback:
            pass
    assert not Village.objects.exists()
    assert digests[0] == digests[1]


def test_demo_rows_pass_model_validation(demo):
    # What a user could not type in through a form must not be in the demo either.
    samples = [
        *Township.objects.all(),
        *Village.objects.all()[::5],
        *Department.objects.all(),
        *PartyOrganization.objects.all()[::10],
        *Cadre.objects.all()[::15],
        *Position.objects.all()[::15],
    ]
    for obj in samples:
        obj.full_clean()

"""Synthetic registry data at province scale, for benchmarks.

A province is about 150 counties × 16 townships × 20 villages with 10 cadres
per village. Counties are grouped ten to a city (``模拟市01`` …) and numbered
``K001`` … across the province; running again with a larger ``counties`` adds
only the missing counties, so a benchmark can grow one county to a province.

Per county: the townships with a committee, an organization committee member
and a township user; the villages with their party organization and
``cadres`` cadres each (secretary, director — 一肩挑 in four villages out of
ten —, two reserve cadres, committee members, and a previous secretary whose
position ended); five departments with two cadres each; four organizers with
their areas; and one user per role, named ``k001_zzb``, ``k001_zzy``,
``k001_xianwei``, ``k001_xiang01``, ``k001_cun0101``, ``k001_bumen01``, plus
``p01_shiwei`` per city. Password: the demo password.

Then each of ``SCALE_HOOKS`` adds its app's data (e.g. this year's village indicator sheets).
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cadres.models import Cadre, OrganizerArea, Position
from campaign.demo import bulk, names
from campaign.demo.registry import PASSWORD
from campaign.models import User
from campaign.roles import Role
from villages.models import City, County, Department, PartyOrganization, Township, Village

COUNTIES_PER_CITY = 10
SEED = 1500
JOINED = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
PO = PartyOrganization.Kind
Kind = Position.Kind
AreaTownship = OrganizerArea.townships.through
MODELS = (City, County, Township, Village, Department, PartyOrganization, Cadre, Position, OrganizerArea)
# Apps that add their own synthetic data for the counties (``module.seed_scale(log=...)``), in this
# order, after the registry; each skips what it already made. A missing module is skipped.
SCALE_HOOKS = ("indicators.scale",)


def city_code(number):
    return f"P{number:02d}"


def county_code(number):
    return f"K{number:03d}"


def county_user(number, name):
    return f"k{number:03d}_{name}"


def seed_scale(*, counties, townships=16, villages=20, cadres=10, log=None):
    """Make sure counties 1…``counties`` exist; returns the number of counties created."""
    ids = bulk.IdAllocator()
    password = make_password(PASSWORD)
    existing = set(
        County.objects.filter(city__code__startswith="P", code__startswith="K").values_list("code", flat=True)
    )
    created = 0
    cities = {}
    batch = _Rows()
    for number in range(1, counties + 1):
        if county_code(number) in existing:
            continue
        city_number = (number - 1) // COUNTIES_PER_CITY + 1
        city_id = _city(batch, ids, cities, city_number, password)
        _county(batch, ids, number, city_id, townships, villages, cadres, password)
        created += 1
        # Writing every few counties keeps memory flat at province scale.
        if created % 10 == 0:
            batch.flush()
            if log:
                log(f"{created} counties written")
    batch.flush()
    bulk.reset_sequences([*MODELS, AreaTownship, User])
    if created:
        bulk.analyze([*MODELS, AreaTownship, User])
    _run_hooks(log)
    return created


def _run_hooks(log):
    from campaign.management.commands.seed_demo import load_hook

    for name in SCALE_HOOKS:
        module = load_hook(name)
        if module is not None:
            module.seed_scale(log=log)


def _city(batch, ids, cities, number, password):
    """The city's id, adding it and its viewer to the batch on first use."""
    code = city_code(number)
    if code not in cities:
        city = City.objects.filter(code=code).first()
        if city is not None:
            cities[code] = city.id
        else:
            cities[code] = ids.take(City)
            batch.add(City, id=cities[code], code=code, name=f"模拟市{number:02d}")
            batch.add(
                User,
                **_user_row(ids, f"p{number:02d}_shiwei", Role.CITY, password, city_id=cities[code]),
            )
    return cities[code]


def _user_row(ids, username, role, password, **scope):
    row = dict(
        id=ids.take(User),
        password=password,
        last_login=None,
        is_superuser=False,
        username=username,
        first_name="",
        last_name="",
        email="",
        is_staff=role == Role.COUNTY_ADMIN,
        is_active=True,
        date_joined=JOINED,
        role=role,
    )
    for key in ("city", "county", "township", "village", "department", "organizer_area"):
        row[f"{key}_id"] = scope.get(f"{key}_id")
    return row


class _Rows:
    """Rows waiting to be written, per table, in the order that keeps foreign keys valid."""

    ORDER = (City, County, Township, Department, Village, PartyOrganization, Cadre, Position, OrganizerArea)

    def __init__(self):
        self.rows = {model: [] for model in (*self.ORDER, AreaTownship, User)}

    def add(self, model, **row):
        self.rows[model].append(row)

    @transaction.atomic
    def flush(self):
        for model in (*self.ORDER, AreaTownship, User):
            bulk.write(model, self.rows[model])
            self.rows[model] = []


def _cadre(b, ids, rng, county_id, *, township_id=None, village_id=None, department_id=None, age=(25, 60)):
    gender = "m" if rng.random() < 0.78 else "f"
    ethnicity = names.ethnicity(rng)
    birth = names.birth_date(rng, *age)
    cadre_id = ids.take(Cadre)
    b.add(
        Cadre,
        id=cadre_id,
        county_id=county_id,
        township_id=township_id,
        village_id=village_id,
        department_id=department_id,
        name=names.person_name(rng, gender, ethnicity),
        gender=gender,
        birth_date=birth,
        ethnicity=ethnicity,
        education=rng.choice(Cadre.Education.values),
        party_joined_on=birth + datetime.timedelta(days=rng.randrange(20 * 365, 30 * 365)),
        phone=names.mobile(rng),
    )
    return cadre_id


def _position(b, ids, cadre_id, kind, county_id, township_id=None, village_id=None, *, start, end=None):
    b.add(
        Position,
        id=ids.take(Position),
        cadre_id=cadre_id,
        kind=kind,
        county_id=county_id,
        township_id=township_id,
        village_id=village_id,
        sent_from="",
        start_date=start,
        end_date=end,
    )


def _county(b, ids, number, city_id, n_townships, n_villages, n_cadres, password):
    rng = random.Random(SEED * 1000 + number)
    county_id = ids.take(County)
    b.add(County, id=county_id, city_id=city_id, code=county_code(number), name=f"模拟县{number:03d}")

    def user(name, role, **scope):
        b.add(User, **_user_row(ids, county_user(number, name), role, password, county_id=county_id, **scope))

    department_ids = []
    for d, name in enumerate(names.LINXI_DEPARTMENTS[:5], start=1):
        department_id = ids.take(Department)
        department_ids.append(department_id)
        b.add(
            Department,
            id=department_id,
            county_id=county_id,
            code=f"{d:02d}",
            name=name,
            is_agriculture_related=True,
        )
        b.add(
            PartyOrganization,
            id=ids.take(PartyOrganization),
            kind=PO.DEPARTMENT,
            name=f"{name}机关党支部",
            parent_id=None,
            member_count=rng.randint(8, 60),
            county_id=county_id,
            township_id=None,
            village_id=None,
            department_id=department_id,
        )
        for _ in range(2):
            _cadre(b, ids, rng, county_id, department_id=department_id)

    township_ids = []
    first_village_id = None
    for t in range(1, n_townships + 1):
        township_id = ids.take(Township)
        township_ids.append(township_id)
        township_name = f"模拟{number:03d}县{t:02d}镇"
        committee_id = ids.take(PartyOrganization)
        rows_before = len(b.rows[Village])
        taken = set()
        for v in range(1, n_villages + 1):
            village_id = ids.take(Village)
            first_village_id = first_village_id or village_id
            households = rng.randint(160, 920)
            b.add(
                Village,
                id=village_id,
                township_id=township_id,
                code=f"{v:02d}",
                name=names.village_name(rng, taken),
                is_poverty_key=rng.random() < 0.25,
                is_one_product=rng.random() < 0.2,
                households=households,
                population=households * 3,
            )
            members = rng.randint(12, 110)
            b.add(
                PartyOrganization,
                id=ids.take(PartyOrganization),
                kind=PO.VILLAGE_GENERAL_BRANCH if members >= 50 else PO.VILLAGE_BRANCH,
                name=f"{b.rows[Village][-1]['name']}党支部",
                parent_id=committee_id,
                member_count=members,
                county_id=county_id,
                township_id=township_id,
                village_id=village_id,
                department_id=None,
            )
            _village_cadres(b, ids, rng, county_id, township_id, village_id, n_cadres)
        population = sum(row["population"] for row in b.rows[Village][rows_before:])
        b.add(
            Township,
            id=township_id,
            county_id=county_id,
            code=f"{t:02d}",
            name=township_name,
            population=population,
        )
        b.add(
            PartyOrganization,
            id=committee_id,
            kind=PO.TOWNSHIP_COMMITTEE,
            name=f"中共{township_name}委员会",
            parent_id=None,
            member_count=rng.randint(300, 900),
            county_id=county_id,
            township_id=township_id,
            village_id=None,
            department_id=None,
        )
        member = _cadre(b, ids, rng, county_id, township_id=township_id)
        _position(
            b, ids, member, Kind.ORGANIZATION_MEMBER, county_id, township_id, start=datetime.date(2022, 1, 5)
        )

    for a in range(4):
        organizer = _cadre(b, ids, rng, county_id)
        _position(b, ids, organizer, Kind.ORGANIZER, county_id, start=datetime.date(2022, 3, 1))
        area_id = ids.take(OrganizerArea)
        b.add(OrganizerArea, id=area_id, county_id=county_id, name=f"第{a + 1}片区", organizer_id=organizer)
        share = max(1, len(township_ids) // 4)
        for township_id in township_ids[a * share : (a + 1) * share]:
            b.add(AreaTownship, id=ids.take(AreaTownship), organizerarea_id=area_id, township_id=township_id)
        if a == 0:
            user("zzy", Role.COUNTY_REVIEWER, organizer_area_id=area_id)

    user("zzb", Role.COUNTY_ADMIN)
    user("xianwei", Role.COUNTY_LEADER)
    user("xiang01", Role.TOWNSHIP, township_id=township_ids[0])
    user("cun0101", Role.VILLAGE, township_id=township_ids[0], village_id=first_village_id)
    user("bumen01", Role.DEPARTMENT, department_id=department_ids[0])


def _village_cadres(b, ids, rng, county_id, township_id, village_id, n_cadres):
    term = datetime.date(2021, 3, 20)
    place = (county_id, township_id, village_id)
    for i in range(n_cadres):
        cadre = _cadre(b, ids, rng, county_id, township_id=township_id, village_id=village_id)
        if i == 0:
            _position(b, ids, cadre, Kind.SECRETARY, *place, start=term)
            if rng.random() < 0.4:  # 一肩挑
                _position(b, ids, cadre, Kind.DIRECTOR, *place, start=term)
                director_done = True
            else:
                director_done = False
        elif i == 1 and not director_done:
            _position(b, ids, cadre, Kind.DIRECTOR, *place, start=term)
        elif i in (2, 3):
            _position(b, ids, cadre, Kind.RESERVE_CADRE, *place, start=datetime.date(2022, 4, 1))
        elif i == n_cadres - 1 and n_cadres >= 6:
            _position(b, ids, cadre, Kind.SECRETARY, *place, start=datetime.date(2018, 3, 15), end=term)
        else:
            _position(b, ids, cadre, Kind.VILLAGE_COMMITTEE_MEMBER, *place, start=term)

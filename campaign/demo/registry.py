"""The demo county's registry: 林西县 of 赤峰市, as the rulebook describes it.

16 townships, about 200 villages with their party organizations, the 21
agriculture-related county departments, over 2,000 cadres with positions over
time, four organizers' areas, and one user per role (see README, "Demo logins").
Deterministic (fixed seed, fixed dates) and written with bulk inserts.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cadres.models import Cadre, OrganizerArea, Position
from campaign.demo import names
from campaign.models import User
from campaign.roles import Role
from villages.models import City, County, Department, PartyOrganization, Township, Village

SEED = 20050412
PASSWORD = "lianchuang-demo"
CITY_CODE, CITY_NAME = "150400", "赤峰市"
COUNTY_CODE, COUNTY_NAME = "150424", "林西县"
TOWNSHIPS_PER_AREA = 4
AREA_NAMES = ("第一片区", "第二片区", "第三片区", "第四片区")

# The village "two committees" were re-elected in spring 2018 and 2021.
TERM_2018 = datetime.date(2018, 3, 15)
TERM_2021 = datetime.date(2021, 3, 20)

Edu = Cadre.Education
Kind = Position.Kind


def find_demo_county():
    return County.objects.filter(city__code=CITY_CODE, code=COUNTY_CODE).first()


class _Builder:
    """Collects unsaved rows, then writes each table with one bulk insert."""

    def __init__(self, rng, county):
        self.rng = rng
        self.county = county
        self.cadres = []
        self.positions = []

    def cadre(self, *, township=None, village=None, department=None, gender=None, age=(28, 58), **extra):
        rng = self.rng
        gender = gender or ("m" if rng.random() < 0.78 else "f")
        ethnicity = names.ethnicity(rng)
        birth = names.birth_date(rng, *age)
        member = extra.pop("party", True)
        joined = None
        if member:
            # Joined between 19 and 40 years of age, and before the 2021 elections.
            start = birth + datetime.timedelta(days=19 * 365 + 5)
            end = max(start, min(birth + datetime.timedelta(days=40 * 365), TERM_2021))
            joined = names.date_between(rng, start, end)
        education = (
            extra.pop("education", None)
            or rng.choices((Edu.JUNIOR, Edu.SENIOR, Edu.COLLEGE, Edu.BACHELOR), weights=(30, 40, 20, 10))[0]
        )
        cadre = Cadre(
            county=self.county,
            township=township,
            village=village,
            department=department,
            name=names.person_name(rng, gender, ethnicity),
            gender=gender,
            birth_date=birth,
            ethnicity=ethnicity,
            education=education,
            party_joined_on=joined,
            phone=names.mobile(rng),
        )
        self.cadres.append(cadre)
        return cadre

    def position(self, cadre, kind, *, start, end=None, township=None, village=None, sent_from=""):
        self.positions.append(
            Position(
                cadre=cadre,
                kind=kind,
                county=self.county,
                township=township,
                village=village,
                sent_from=sent_from,
                start_date=start,
                end_date=end,
            )
        )

    def save(self):
        Cadre.objects.bulk_create(self.cadres, batch_size=500)
        # bulk_create set the cadres' ids (PostgreSQL and SQLite return them),
        # so the positions can point at them now.
        for position in self.positions:
            position.cadre_id = position.cadre.id
        Position.objects.bulk_create(self.positions, batch_size=500)


def _near(rng, day, spread=20):
    return day + datetime.timedelta(days=rng.randrange(spread))


@transaction.atomic
def seed_registry():
    """Create the demo county unless it exists; return ``(county, created)``."""
    existing = find_demo_county()
    if existing is not None:
        return existing, False

    rng = random.Random(SEED)
    city, _ = City.objects.get_or_create(code=CITY_CODE, defaults={"name": CITY_NAME})
    county = County.objects.create(city=city, code=COUNTY_CODE, name=COUNTY_NAME)

    townships = Township.objects.bulk_create(
        [
            Township(county=county, code=f"{i:02d}", name=name)
            for i, name in enumerate(names.LINXI_TOWNSHIPS, start=1)
        ]
    )
    departments = Department.objects.bulk_create(
        [
            Department(county=county, code=f"{i:02d}", name=name, is_agriculture_related=True)
            for i, name in enumerate(names.LINXI_DEPARTMENTS, start=1)
        ]
    )

    taken = set()
    villages = []
    for township in townships:
        # The seat town has more villages than the remote townships.
        count = 15 if township.code == "01" else rng.randint(9, 15)
        for v in range(1, count + 1):
            households = rng.randint(160, 920)
            villages.append(
                Village(
                    township=township,
                    code=f"{v:02d}",
                    name=names.village_name(rng, taken),
                    is_poverty_key=rng.random() < 0.25,
                    is_one_product=rng.random() < 0.2,
                    households=households,
                    population=int(households * rng.uniform(2.7, 3.6)),
                )
            )
    Village.objects.bulk_create(villages)
    for township in townships:
        township.population = sum(v.population for v in villages if v.township_id == township.id)
    Township.objects.bulk_update(townships, ["population"])

    _party_organizations(rng, county, townships, villages, departments)
    builder = _Builder(rng, county)
    organizers = _county_cadres(builder, townships, departments)
    secretaries = _village_cadres(builder, townships, villages, departments)
    builder.save()
    areas = _organizer_areas(county, townships, organizers)
    _users(county, city, townships, villages, departments, areas, secretaries)
    return county, True


def _party_organizations(rng, county, townships, villages, departments):
    PO = PartyOrganization.Kind
    committees = PartyOrganization.objects.bulk_create(
        [
            PartyOrganization(
                kind=PO.TOWNSHIP_COMMITTEE,
                name=f"中共{t.name}委员会",
                county=county,
                township=t,
                member_count=0,
            )
            for t in townships
        ]
    )
    committee_of = {c.township_id: c for c in committees}
    rows = []
    for v in villages:
        members = max(9, int(v.households * rng.uniform(0.05, 0.14)))
        # The party constitution: 100+ members may form a committee, 50+ a general branch.
        if members >= 100:
            kind, suffix = PO.VILLAGE_COMMITTEE, "党委"
        elif members >= 50:
            kind, suffix = PO.VILLAGE_GENERAL_BRANCH, "党总支"
        else:
            kind, suffix = PO.VILLAGE_BRANCH, "党支部"
        rows.append(
            PartyOrganization(
                kind=kind,
                name=f"{v.name}{suffix}",
                parent=committee_of[v.township_id],
                county=county,
                township_id=v.township_id,
                village=v,
                member_count=members,
            )
        )
    for t in townships:
        if rng.random() < 0.5:
            industry = rng.choice(names.INDUSTRIES)
            rows.append(
                PartyOrganization(
                    kind=PO.INDUSTRY,
                    name=f"{t.name}{industry}党支部",
                    parent=committee_of[t.id],
                    county=county,
                    township=t,
                    member_count=rng.randint(5, 25),
                )
            )
    for d in departments:
        rows.append(
            PartyOrganization(
                kind=PO.DEPARTMENT,
                name=f"{county.name}{d.name}机关党支部",
                county=county,
                department=d,
                member_count=rng.randint(8, 60),
            )
        )
    PartyOrganization.objects.bulk_create(rows)
    for c in committees:
        c.member_count = sum(
            r.member_count for r in rows if r.township_id == c.township_id and r.kind != PO.INDUSTRY
        ) + rng.randint(20, 60)
    PartyOrganization.objects.bulk_update(committees, ["member_count"])


def _county_cadres(b, townships, departments):
    """Department staff, township leaders and the county organizers; returns the four organizers."""
    rng = b.rng
    for d in departments:
        for _ in range(rng.randint(7, 11)):
            b.cadre(department=d, age=(26, 58), education=rng.choice((Edu.COLLEGE, Edu.BACHELOR)))
    for t in townships:
        secretary = b.cadre(township=t, age=(38, 54), education=Edu.BACHELOR)
        b.position(
            secretary, Kind.TOWNSHIP_SECRETARY, township=t, start=_near(rng, datetime.date(2021, 9, 1))
        )
        member = b.cadre(township=t, age=(30, 48), education=rng.choice((Edu.COLLEGE, Edu.BACHELOR)))
        b.position(member, Kind.ORGANIZATION_MEMBER, township=t, start=_near(rng, datetime.date(2022, 1, 5)))
        # Several townships changed organization members (末位转岗 or promotion).
        if rng.random() < 0.4:
            before = b.cadre(township=t, age=(32, 52), education=Edu.BACHELOR)
            b.position(
                before,
                Kind.ORGANIZATION_MEMBER,
                township=t,
                start=datetime.date(2018, 6, 1),
                end=datetime.date(2022, 1, 4),
            )
        for _ in range(rng.randint(3, 6)):
            b.cadre(township=t, age=(24, 55))
    organizers = []
    for _ in range(len(AREA_NAMES)):
        organizer = b.cadre(age=(32, 55), education=Edu.BACHELOR)
        b.position(organizer, Kind.ORGANIZER, start=_near(rng, datetime.date(2022, 3, 1)))
        organizers.append(organizer)
    return organizers


def _village_cadres(b, townships, villages, departments):
    """The two committees, reserve cadres, first secretaries and working groups of every village.

    Returns ``{village: secretary}`` (the sitting secretary of each village).
    """
    rng = b.rng
    township_staff = {t.id: t for t in townships}
    secretaries = {}
    for v in villages:
        t = township_staff[v.township_id]
        secretary = b.cadre(township=t, village=v, age=(38, 60))
        secretaries[v.id] = secretary
        b.position(secretary, Kind.SECRETARY, township=t, village=v, start=_near(rng, TERM_2021))
        if rng.random() < 0.45:  # 一肩挑: the secretary is also elected director
            b.position(secretary, Kind.DIRECTOR, township=t, village=v, start=_near(rng, TERM_2021))
        else:
            director = b.cadre(township=t, village=v, age=(35, 60), party=rng.random() < 0.7)
            b.position(director, Kind.DIRECTOR, township=t, village=v, start=_near(rng, TERM_2021))
        if rng.random() < 0.3:  # the previous term's secretary, replaced in 2021
            before = b.cadre(township=t, village=v, age=(50, 68))
            b.position(before, Kind.SECRETARY, township=t, village=v, start=TERM_2018, end=TERM_2021)
        for _ in range(rng.randint(3, 5)):
            member = b.cadre(township=t, village=v, age=(28, 62), party=rng.random() < 0.8)
            b.position(
                member, Kind.VILLAGE_COMMITTEE_MEMBER, township=t, village=v, start=_near(rng, TERM_2021)
            )
        for _ in range(rng.randint(2, 3)):
            reserve = b.cadre(
                township=t,
                village=v,
                age=(24, 38),
                education=rng.choice((Edu.SENIOR, Edu.COLLEGE, Edu.BACHELOR)),
                party=rng.random() < 0.85,
            )
            b.position(
                reserve,
                Kind.RESERVE_CADRE,
                township=t,
                village=v,
                start=_near(rng, datetime.date(2022, 4, 1), 60),
            )
        # First secretaries are sent to the poverty-alleviation key villages and to a share of the others.
        if v.is_poverty_key or rng.random() < 0.3:
            if rng.random() < 0.7:
                home = rng.choice(departments)
                first = b.cadre(department=home, age=(27, 50), education=Edu.BACHELOR)
                sent_from = f"县{home.name}"
            else:
                first = b.cadre(township=t, age=(26, 45), education=Edu.BACHELOR)
                sent_from = f"{t.name}党委"
            b.position(
                first,
                Kind.FIRST_SECRETARY,
                township=t,
                village=v,
                sent_from=sent_from,
                start=_near(rng, datetime.date(2023, 5, 10)),
            )
            if rng.random() < 0.5:  # the previous rotation, ended in 2023
                previous_home = rng.choice(departments)
                previous = b.cadre(department=previous_home, age=(30, 52), education=Edu.BACHELOR)
                b.position(
                    previous,
                    Kind.FIRST_SECRETARY,
                    township=t,
                    village=v,
                    sent_from=f"县{previous_home.name}",
                    start=datetime.date(2021, 5, 10),
                    end=datetime.date(2023, 5, 9),
                )
            # The resident working group: the first secretary and one or two colleagues.
            for _ in range(rng.randint(1, 2)):
                home = rng.choice(departments)
                member = b.cadre(department=home, age=(25, 55))
                b.position(
                    member,
                    Kind.WORKING_GROUP_MEMBER,
                    township=t,
                    village=v,
                    sent_from=f"县{home.name}",
                    start=_near(rng, datetime.date(2023, 5, 10)),
                )
    return secretaries


def _organizer_areas(county, townships, organizers):
    areas = []
    for i, (name, organizer) in enumerate(zip(AREA_NAMES, organizers, strict=True)):
        area = OrganizerArea.objects.create(county=county, name=name, organizer=organizer)
        area.townships.set(townships[i * TOWNSHIPS_PER_AREA : (i + 1) * TOWNSHIPS_PER_AREA])
        areas.append(area)
    return areas


def _users(county, city, townships, villages, departments, areas, secretaries):
    # One hash for every demo user: hashing 250 passwords one by one would take
    # minutes with the production hasher, and they all share the password anyway.
    password = make_password(PASSWORD)
    users = [
        User(username="zzb", role=Role.COUNTY_ADMIN, county=county, is_staff=True, first_name="县委组织部"),
        User(username="xianwei", role=Role.COUNTY_LEADER, county=county, first_name="县委"),
        User(username="shiwei", role=Role.CITY, city=city, first_name="市委组织部"),
    ]
    for i, area in enumerate(areas, start=1):
        users.append(
            User(
                username=f"zzy{i}",
                role=Role.COUNTY_REVIEWER,
                county=county,
                organizer_area=area,
                first_name=area.organizer.name,
            )
        )
    for t in townships:
        users.append(
            User(username=f"xiang{t.code}", role=Role.TOWNSHIP, county=county, township=t, first_name=t.name)
        )
    township_code = {t.id: t.code for t in townships}
    for v in villages:
        users.append(
            User(
                username=f"cun{township_code[v.township_id]}{v.code}",
                role=Role.VILLAGE,
                county=county,
                township_id=v.township_id,
                village=v,
                first_name=secretaries[v.id].name,
            )
        )
    for d in departments:
        users.append(
            User(
                username=f"bumen{d.code}",
                role=Role.DEPARTMENT,
                county=county,
                department=d,
                first_name=d.name,
            )
        )
    for user in users:
        user.password = password
    User.objects.bulk_create(users, batch_size=500)

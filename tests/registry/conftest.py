"""Registry data on top of the shared ``world``: party organizations, cadres and positions.

A1 (甲一镇): committee a1c; village A1v1 with branch a1v1_org (parent a1c), cadres
    sec (secretary and director of A1v1: 一肩挑), reserve, and first secretary fs
    (a cadre of department Ad1); village A1v2 with branch a1v2_org and secretary sec2.
A2: village A2v1 with branch a2v1_org, cadre a2_cadre.
Ad1: department organization ad1_org, cadre fs.
B1 (other county): village B1v1 with branch b1v1_org, cadre b_cadre.
"""

import datetime
from types import SimpleNamespace

import pytest

from cadres.models import Position
from tests import factories as f
from villages.models import PartyOrganization

Kind = Position.Kind


@pytest.fixture
def reg(world):
    w = world
    a1c = PartyOrganization.objects.create(
        kind=PartyOrganization.Kind.TOWNSHIP_COMMITTEE,
        name="甲一镇党委",
        county=w.county_a,
        township=w.a1,
        member_count=40,
    )
    a1v1_org = f.PartyOrganizationFactory(village=w.a1v1, parent=a1c, name="东村党支部")
    a1v2_org = f.PartyOrganizationFactory(village=w.a1v2, parent=a1c, name="西村党支部")
    a2v1_org = f.PartyOrganizationFactory(village=w.a2v1, name="南村党支部")
    b1v1_org = f.PartyOrganizationFactory(village=w.b1v1, name="北村党支部")
    ad1_org = PartyOrganization.objects.create(
        kind=PartyOrganization.Kind.DEPARTMENT,
        name="农业局党组",
        county=w.county_a,
        department=w.ad1,
        member_count=25,
    )
    sec = f.CadreFactory(village=w.a1v1, name="张书记", phone="13900000001")
    reserve = f.CadreFactory(village=w.a1v1, name="李后备", phone="13900000002")
    sec2 = f.CadreFactory(village=w.a1v2, name="王书记", phone="13900000003")
    orgm = f.CadreFactory(village=None, township=w.a1, name="赵委员", phone="13900000004")
    a2_cadre = f.CadreFactory(village=w.a2v1, name="南村干部", phone="13900000005")
    fs = f.CadreFactory(
        village=None, township=None, county=w.county_a, department=w.ad1, name="钱第一", phone="13900000006"
    )
    b_cadre = f.CadreFactory(village=w.b1v1, name="北村干部", phone="13900000007")
    start = datetime.date(2021, 1, 1)
    positions = SimpleNamespace(
        sec_secretary=f.PositionFactory(cadre=sec, kind=Kind.SECRETARY, start_date=start),
        sec_director=f.PositionFactory(cadre=sec, kind=Kind.DIRECTOR, start_date=start),
        reserve=f.PositionFactory(cadre=reserve, kind=Kind.RESERVE_CADRE, start_date=start),
        sec2_secretary=f.PositionFactory(cadre=sec2, kind=Kind.SECRETARY, start_date=start),
        orgm=f.PositionFactory(
            cadre=orgm, kind=Kind.ORGANIZATION_MEMBER, village=None, township=w.a1, start_date=start
        ),
        fs=f.PositionFactory(
            cadre=fs,
            kind=Kind.FIRST_SECRETARY,
            village=w.a1v1,
            township=w.a1,
            sent_from="农业局",
            start_date=start,
        ),
        a2=f.PositionFactory(cadre=a2_cadre, kind=Kind.SECRETARY, start_date=start),
        b=f.PositionFactory(cadre=b_cadre, kind=Kind.SECRETARY, start_date=start),
        old=f.PositionFactory(
            cadre=sec2,
            kind=Kind.DIRECTOR,
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        ),
    )
    return SimpleNamespace(
        w=w,
        a1c=a1c,
        a1v1_org=a1v1_org,
        a1v2_org=a1v2_org,
        a2v1_org=a2v1_org,
        b1v1_org=b1v1_org,
        ad1_org=ad1_org,
        sec=sec,
        reserve=reserve,
        sec2=sec2,
        orgm=orgm,
        a2_cadre=a2_cadre,
        fs=fs,
        b_cadre=b_cadre,
        pos=positions,
    )

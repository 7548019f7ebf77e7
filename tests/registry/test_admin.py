"""The admin for county administrators: everything of their county, nothing of another's."""

import re

import pytest
from django.urls import reverse

from villages.models import Township

CHANGELISTS = [
    ("villages", "township", "townships"),
    ("villages", "village", "villages"),
    ("villages", "department", "departments"),
    ("villages", "partyorganization", "orgs"),
    ("cadres", "cadre", "cadres"),
    ("cadres", "position", "positions"),
]


def expected(reg):
    w, p = reg.w, reg.pos
    a_positions = {p.sec_secretary, p.sec_director, p.reserve, p.sec2_secretary, p.orgm, p.fs, p.a2, p.old}
    return {
        "alice": {
            "townships": {w.a1, w.a2},
            "villages": {w.a1v1, w.a1v2, w.a2v1},
            "departments": {w.ad1, w.ad2},
            "orgs": {reg.a1c, reg.a1v1_org, reg.a1v2_org, reg.a2v1_org, reg.ad1_org},
            "cadres": {reg.sec, reg.reserve, reg.sec2, reg.orgm, reg.a2_cadre, reg.fs},
            "positions": a_positions,
        },
        "bob": {
            "townships": {w.b1},
            "villages": {w.b1v1},
            "departments": {w.bd1},
            "orgs": {reg.b1v1_org},
            "cadres": {reg.b_cadre},
            "positions": {p.b},
        },
    }


def changelist_ids(client, app, model):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    return {int(i) for i in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())}


@pytest.mark.django_db
def test_county_admins_see_exactly_their_county_in_the_admin(reg, client):
    every = {key: set().union(*(e[key] for e in expected(reg).values())) for key in expected(reg)["alice"]}
    for persona, kinds in expected(reg).items():
        client.force_login(getattr(reg.w, persona))
        for app, model, key in CHANGELISTS:
            ids = changelist_ids(client, app, model)
            visible = {o.pk for o in kinds[key]}
            assert ids == visible, (persona, model)
            hidden = {o.pk for o in every[key]} - visible
            for pk in hidden:
                response = client.get(reverse(f"admin:{app}_{model}_change", args=[pk]))
                # The admin answers "does not exist" by sending back to its index.
                assert response.status_code == 302, (persona, model, pk)


@pytest.mark.django_db
def test_county_admin_edits_and_adds_in_the_admin_only_within_the_county(reg, client):
    w = reg.w
    client.force_login(w.alice)
    url = reverse("admin:villages_township_add")
    page = client.get(url).content.decode()
    assert f'<option value="{w.county_a.pk}"' in page
    assert f'<option value="{w.county_b.pk}"' not in page
    response = client.post(url, {"county": w.county_b.pk, "code": "77", "name": "越权镇", "population": "0"})
    assert response.status_code == 200 and not Township.objects.filter(name="越权镇").exists()
    response = client.post(url, {"county": w.county_a.pk, "code": "01", "name": "重复镇", "population": "0"})
    assert "已有代码" in response.content.decode()
    response = client.post(url, {"county": w.county_a.pk, "code": "03", "name": "甲三镇", "population": "0"})
    assert response.status_code == 302
    assert Township.objects.get(name="甲三镇").county == w.county_a
    # Counties and cities: their own, and cities read-only.
    assert client.get(reverse("admin:villages_county_change", args=[w.county_a.pk])).status_code == 200
    assert client.get(reverse("admin:villages_county_change", args=[w.county_b.pk])).status_code == 302
    assert client.get(reverse("admin:villages_county_add")).status_code == 403
    assert client.get(reverse("admin:villages_city_add")).status_code == 403


@pytest.mark.django_db
def test_other_roles_have_no_admin(reg, client):
    for persona in ("olga", "leo", "tom", "vera", "dora", "carl"):
        client.force_login(getattr(reg.w, persona))
        response = client.get(reverse("admin:villages_village_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], persona

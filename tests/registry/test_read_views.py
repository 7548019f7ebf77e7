"""Every list and detail page as every persona: exactly the ids in scope, 404 outside, login first."""

import re

import pytest
from django.urls import reverse

PERSONAS = ("alice", "olga", "leo", "tom", "vera", "dora", "carl", "bob")


def row_ids(response):
    return {int(i) for i in re.findall(r'data-id="(\d+)"', response.content.decode())}


def objects(reg):
    """For each kind: its list, its detail, the objects by name, and who sees which."""
    w = reg.w
    a_orgs = {"a1c", "a1v1_org", "a1v2_org", "a2v1_org", "ad1_org"}
    a1_orgs = {"a1c", "a1v1_org", "a1v2_org"}
    a_cadres = {"sec", "reserve", "sec2", "orgm", "a2_cadre", "fs"}
    a1_cadres = {"sec", "reserve", "sec2", "orgm"}
    return {
        "township": (
            "villages:township_list",
            "villages:township_detail",
            {"a1": w.a1, "a2": w.a2, "b1": w.b1},
            {
                "alice": {"a1", "a2"},
                "olga": {"a1"},
                "leo": {"a1", "a2"},
                "tom": {"a1"},
                "vera": {"a1"},
                "dora": set(),
                "carl": {"a1", "a2", "b1"},
                "bob": {"b1"},
            },
        ),
        "village": (
            "villages:village_list",
            "villages:village_detail",
            {"a1v1": w.a1v1, "a1v2": w.a1v2, "a2v1": w.a2v1, "b1v1": w.b1v1},
            {
                "alice": {"a1v1", "a1v2", "a2v1"},
                "olga": {"a1v1", "a1v2"},
                "leo": {"a1v1", "a1v2", "a2v1"},
                "tom": {"a1v1", "a1v2"},
                "vera": {"a1v1"},
                "dora": set(),
                "carl": {"a1v1", "a1v2", "a2v1", "b1v1"},
                "bob": {"b1v1"},
            },
        ),
        "department": (
            "villages:department_list",
            "villages:department_detail",
            {"ad1": w.ad1, "ad2": w.ad2, "bd1": w.bd1},
            {
                "alice": {"ad1", "ad2"},
                "olga": {"ad1", "ad2"},
                "leo": {"ad1", "ad2"},
                "tom": {"ad1", "ad2"},
                "vera": {"ad1", "ad2"},
                "dora": {"ad1"},
                "carl": {"ad1", "ad2", "bd1"},
                "bob": {"bd1"},
            },
        ),
        "party_org": (
            "villages:party_org_list",
            "villages:party_org_detail",
            {n: getattr(reg, n) for n in (*a_orgs, "b1v1_org")},
            {
                "alice": a_orgs,
                "olga": a1_orgs,
                "leo": a_orgs,
                "tom": a1_orgs,
                "vera": {"a1v1_org"},
                "dora": {"ad1_org"},
                "carl": a_orgs | {"b1v1_org"},
                "bob": {"b1v1_org"},
            },
        ),
        "cadre": (
            "cadres:cadre_list",
            "cadres:cadre_detail",
            {n: getattr(reg, n) for n in (*a_cadres, "b_cadre")},
            {
                "alice": a_cadres,
                "olga": a1_cadres,
                "leo": a_cadres,
                "tom": a1_cadres,
                "vera": {"sec", "reserve"},
                "dora": {"fs"},
                "carl": a_cadres | {"b_cadre"},
                "bob": {"b_cadre"},
            },
        ),
        "position": (
            "cadres:position_list",
            "cadres:position_detail",
            {n: getattr(reg.pos, n) for n in vars(reg.pos)},
            {
                "alice": {
                    "sec_secretary",
                    "sec_director",
                    "reserve",
                    "sec2_secretary",
                    "orgm",
                    "fs",
                    "a2",
                    "old",
                },
                "olga": {"sec_secretary", "sec_director", "reserve", "sec2_secretary", "orgm", "old"},
                "leo": {
                    "sec_secretary",
                    "sec_director",
                    "reserve",
                    "sec2_secretary",
                    "orgm",
                    "fs",
                    "a2",
                    "old",
                },
                "tom": {"sec_secretary", "sec_director", "reserve", "sec2_secretary", "orgm", "old"},
                "vera": {"sec_secretary", "sec_director", "reserve"},
                "dora": {"fs"},
                "carl": set(vars(reg.pos)),
                "bob": {"b"},
            },
        ),
    }


KINDS = ("township", "village", "department", "party_org", "cadre", "position")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_lists_show_exactly_the_ids_in_scope(reg, client, kind):
    list_name, _detail, objs, expected = objects(reg)[kind]
    for persona in PERSONAS:
        client.force_login(getattr(reg.w, persona))
        response = client.get(reverse(list_name))
        assert response.status_code == 200, persona
        visible = {objs[n].pk for n in expected[persona]}
        hidden = {o.pk for o in objs.values()} - visible
        ids = row_ids(response)
        assert visible <= ids, (persona, "missing", visible - ids)
        assert not (ids & hidden), (persona, "leaked", ids & hidden)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_details_answer_404_outside_scope(reg, client, kind):
    _list, detail_name, objs, expected = objects(reg)[kind]
    for persona in PERSONAS:
        client.force_login(getattr(reg.w, persona))
        for name, obj in objs.items():
            status = client.get(reverse(detail_name, args=[obj.pk])).status_code
            assert status == (200 if name in expected[persona] else 404), (persona, name, status)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_users_are_sent_to_login(reg, client, kind):
    list_name, detail_name, objs, _expected = objects(reg)[kind]
    obj = next(iter(objs.values()))
    for url in (reverse(list_name), reverse(detail_name, args=[obj.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_village_mine_leads_the_secretary_to_their_village(reg, client):
    client.force_login(reg.w.vera)
    response = client.get(reverse("villages:village_mine"))
    assert response["Location"] == reverse("villages:village_detail", args=[reg.w.a1v1.pk])
    # A role without a village of its own has no "my village": 404, not the first village in scope.
    for persona in ("dora", "tom", "alice", "carl"):
        client.force_login(getattr(reg.w, persona))
        assert client.get(reverse("villages:village_mine")).status_code == 404, persona


@pytest.mark.django_db
def test_phone_is_shown_only_within_the_cadres_scope(reg, client):
    def phones(user, url):
        client.force_login(user)
        return set(re.findall(r"139\d{8}", client.get(url).content.decode()))

    cadre_list = reverse("cadres:cadre_list")
    assert phones(reg.w.alice, cadre_list) == {f"1390000000{i}" for i in range(1, 7)}
    assert phones(reg.w.tom, cadre_list) == {"13900000001", "13900000002", "13900000003", "13900000004"}
    assert phones(reg.w.vera, cadre_list) == {"13900000001", "13900000002"}
    # The city sees the cadres of all its counties, but none of their phones.
    assert phones(reg.w.carl, cadre_list) == set()
    assert phones(reg.w.carl, reverse("cadres:cadre_detail", args=[reg.sec.pk])) == set()
    assert phones(reg.w.tom, reverse("cadres:cadre_detail", args=[reg.sec.pk])) == {"13900000001"}
    # A township's village page lists the village's cadres with phones; the city's without.
    assert phones(reg.w.tom, reverse("villages:village_detail", args=[reg.w.a1v1.pk])) >= {"13900000001"}
    assert phones(reg.w.carl, reverse("villages:village_detail", args=[reg.w.a1v1.pk])) == set()


@pytest.mark.django_db
def test_village_list_shows_secretary_and_derived_secretary_and_director(reg, client):
    client.force_login(reg.w.alice)
    html = client.get(reverse("villages:village_list")).content.decode()
    rows = dict(re.findall(r'<tr data-id="(\d+)">(.*?)</tr>', html, re.S))
    east, west = rows[str(reg.w.a1v1.pk)], rows[str(reg.w.a1v2.pk)]
    assert "张书记" in east and "text-bg-success" in east  # 一肩挑: the secretary is also the director
    assert "王书记" in west and "text-bg-success" not in west  # his directorship ended in 2020


@pytest.mark.django_db
def test_village_detail_shows_its_office_holders(reg, client):
    client.force_login(reg.w.tom)
    html = client.get(reverse("villages:village_detail", args=[reg.w.a1v1.pk])).content.decode()
    assert re.search(r'data-testid="secretary">.*张书记', html)
    assert re.search(r'data-testid="director">.*张书记', html)
    assert re.search(r'data-testid="first-secretary">.*钱第一.*农业局', html, re.S)
    assert re.search(r'data-testid="reserve-cadres">.*李后备', html, re.S)
    assert re.search(r'data-testid="secretary-and-director"><span class="badge', html)
    assert "东村党支部" in html
    # The first secretary is a department cadre: named, but not linked for a township user.
    assert reverse("cadres:cadre_detail", args=[reg.fs.pk]) not in html
    assert reverse("cadres:cadre_detail", args=[reg.sec.pk]) in html


@pytest.mark.django_db
def test_township_detail_shows_villages_committee_and_organization_member(reg, client):
    client.force_login(reg.w.alice)
    html = client.get(reverse("villages:township_detail", args=[reg.w.a1.pk])).content.decode()
    assert re.search(r'data-testid="committee">.*甲一镇党委', html)
    assert re.search(r'data-testid="position-organization_member">.*赵委员', html)
    assert {int(i) for i in re.findall(r'data-village-id="(\d+)"', html)} == {reg.w.a1v1.pk, reg.w.a1v2.pk}
    # The village secretary sees the township, but only their own village in it.
    client.force_login(reg.w.vera)
    html = client.get(reverse("villages:township_detail", args=[reg.w.a1.pk])).content.decode()
    assert {int(i) for i in re.findall(r'data-village-id="(\d+)"', html)} == {reg.w.a1v1.pk}


@pytest.mark.django_db
def test_party_org_detail_lists_children_in_scope(reg, client):
    client.force_login(reg.w.alice)
    html = client.get(reverse("villages:party_org_detail", args=[reg.a1c.pk])).content.decode()
    assert {int(i) for i in re.findall(r'data-org-id="(\d+)"', html)} == {reg.a1v1_org.pk, reg.a1v2_org.pk}


@pytest.mark.django_db
def test_cadre_detail_shows_positions_over_time_and_derived_secretary_and_director(reg, client):
    client.force_login(reg.w.alice)
    html = client.get(reverse("cadres:cadre_detail", args=[reg.sec.pk])).content.decode()
    assert 'data-testid="secretary-and-director"' in html
    assert {int(i) for i in re.findall(r'data-position-id="(\d+)"', html)} == {
        reg.pos.sec_secretary.pk,
        reg.pos.sec_director.pk,
    }
    html = client.get(reverse("cadres:cadre_detail", args=[reg.sec2.pk])).content.decode()
    assert 'data-testid="secretary-and-director"' not in html
    assert "2015-01-01" in html and "2020-12-31" in html


@pytest.mark.django_db
def test_lists_search_filter_and_show_an_empty_state(reg, client):
    client.force_login(reg.w.alice)
    url = reverse("villages:village_list")
    assert row_ids(client.get(url, {"q": "东"})) == {reg.w.a1v1.pk}
    assert row_ids(client.get(url, {"township": reg.w.a2.pk})) == {reg.w.a2v1.pk}
    assert row_ids(client.get(url, {"secretary_and_director": "1"})) == {reg.w.a1v1.pk}
    # A township of another county is not a valid choice: the filter ignores nothing, shows nothing leaked.
    response = client.get(url, {"township": reg.w.b1.pk})
    assert reg.w.b1v1.pk not in row_ids(response)
    response = client.get(url, {"q": "不存在的村"})
    assert 'data-testid="empty-state"' in response.content.decode()
    cadres = reverse("cadres:cadre_list")
    assert row_ids(client.get(cadres, {"position": "first_secretary"})) == {reg.fs.pk}
    assert row_ids(client.get(cadres, {"q": "书记"})) == {reg.sec.pk, reg.sec2.pk}
    positions = reverse("cadres:position_list")
    assert row_ids(client.get(positions, {"current": "0"})) == {reg.pos.old.pk}
    orgs = reverse("villages:party_org_list")
    assert row_ids(client.get(orgs, {"kind": "department"})) == {reg.ad1_org.pk}


@pytest.mark.django_db
def test_township_filter_is_offered_only_where_there_is_a_choice(reg, client):
    for persona, offered in (
        ("alice", True),
        ("carl", True),
        ("tom", False),
        ("vera", False),
        ("dora", False),
    ):
        client.force_login(getattr(reg.w, persona))
        html = client.get(reverse("cadres:cadre_list")).content.decode()
        assert ('name="township"' in html) == offered, persona


@pytest.mark.django_db
def test_department_page_shows_members_only_to_those_who_may_see_them(reg, client):
    url = reverse("villages:department_detail", args=[reg.w.ad1.pk])
    client.force_login(reg.w.dora)
    html = client.get(url).content.decode()
    assert "农业局党组" in html and "钱第一" in html
    client.force_login(reg.w.tom)  # sees the department (to rate it), not its people
    html = client.get(url).content.decode()
    assert "农业局党组" not in html and "钱第一" not in html


@pytest.mark.django_db
def test_organizer_page_names_the_townships_of_their_area(reg, client):
    reg.w.area.organizer = reg.orgm
    reg.w.area.save()
    client.force_login(reg.w.alice)
    html = client.get(reverse("cadres:cadre_detail", args=[reg.orgm.pk])).content.decode()
    assert re.search(r'data-testid="organizer-area">第一片区: 甲一镇<', html)

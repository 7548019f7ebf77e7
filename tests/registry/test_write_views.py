"""Create, edit and delete: who may, where, and what bad input looks like."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cadres.models import Cadre, Position
from villages import services
from villages.models import Department, PartyOrganization, Township, Village

PERSONAS = ("alice", "olga", "leo", "tom", "vera", "dora", "carl", "bob")
COUNTY_EDITORS = {"alice", "bob"}
TOWNSHIP_EDITORS = {"alice", "bob", "tom"}


def status(client, user, url, method="get", data=None):
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name,editors",
    [
        ("villages:township_create", COUNTY_EDITORS),
        ("villages:department_create", COUNTY_EDITORS),
        ("villages:village_create", TOWNSHIP_EDITORS),
        ("villages:party_org_create", TOWNSHIP_EDITORS),
        ("cadres:cadre_create", TOWNSHIP_EDITORS),
    ],
)
def test_create_forms_only_for_editing_roles(reg, client, url_name, editors):
    url = reverse(url_name)
    for persona in PERSONAS:
        expected = 200 if persona in editors else 403
        assert status(client, getattr(reg.w, persona), url) == expected, persona
        if persona not in editors:
            assert status(client, getattr(reg.w, persona), url, "post", {"name": "x"}) == 403, persona
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def edit_targets(reg):
    """(url names, object, expected status per persona) for the edit and delete pages."""
    w = reg.w
    county_a_admin_only = {"alice": 200, "bob": 404}
    village_a1 = {"alice": 200, "tom": 200, "bob": 404}
    village_a2 = {"alice": 200, "tom": 404, "bob": 404}
    return [
        ("villages:township_update", "villages:township_delete", w.a1, county_a_admin_only),
        ("villages:township_update", "villages:township_delete", w.b1, {"alice": 404, "bob": 200}),
        ("villages:department_update", "villages:department_delete", w.ad1, county_a_admin_only),
        ("villages:village_update", "villages:village_delete", w.a1v1, village_a1),
        ("villages:village_update", "villages:village_delete", w.a2v1, village_a2),
        ("villages:party_org_update", "villages:party_org_delete", reg.a1v1_org, village_a1),
        ("villages:party_org_update", "villages:party_org_delete", reg.a2v1_org, village_a2),
        # Department organizations are outside a township user's scope.
        (
            "villages:party_org_update",
            "villages:party_org_delete",
            reg.ad1_org,
            {"alice": 200, "bob": 404, "tom": 404},
        ),
        ("cadres:cadre_update", "cadres:cadre_delete", reg.sec, village_a1),
        ("cadres:cadre_update", "cadres:cadre_delete", reg.a2_cadre, village_a2),
        ("cadres:position_update", "cadres:position_delete", reg.pos.sec_secretary, village_a1),
        ("cadres:position_update", "cadres:position_delete", reg.pos.a2, village_a2),
        ("cadres:position_create", None, reg.sec, village_a1),
        ("cadres:position_create", None, reg.a2_cadre, village_a2),
    ]


@pytest.mark.django_db
def test_edit_and_delete_pages_answer_403_for_readers_and_404_out_of_scope(reg, client):
    for update_name, delete_name, obj, expected in edit_targets(reg):
        for persona in PERSONAS:
            want = expected.get(persona, 403)
            for name in filter(None, (update_name, delete_name)):
                got = status(client, getattr(reg.w, persona), reverse(name, args=[obj.pk]))
                assert got == want, (name, obj, persona, got)


@pytest.mark.django_db
def test_readers_cannot_delete_by_post(reg, client):
    for persona in ("olga", "leo", "vera", "dora", "carl"):
        url = reverse("villages:village_delete", args=[reg.w.a1v2.pk])
        assert status(client, getattr(reg.w, persona), url, "post") == 403
    assert Village.objects.filter(pk=reg.w.a1v2.pk).exists()


# Creating and editing ---------------------------------------------------------


def village_data(township, **extra):
    data = {
        "township": township.pk,
        "code": "900",
        "name": "新村",
        "households": "100",
        "population": "350",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_township_user_adds_a_village_to_their_township(reg, client):
    client.force_login(reg.w.tom)
    response = client.post(reverse("villages:village_create"), village_data(reg.w.a1, is_poverty_key="on"))
    village = Village.objects.get(name="新村")
    assert response["Location"] == reverse("villages:village_detail", args=[village.pk])
    assert village.township == reg.w.a1 and village.is_poverty_key


@pytest.mark.django_db
def test_township_user_cannot_attach_a_village_to_another_township(reg, client):
    client.force_login(reg.w.tom)
    response = client.post(reverse("villages:village_create"), village_data(reg.w.a2))
    assert response.status_code == 200
    assert "只能将其归属到本乡镇" in str(response.context["form"].errors["township"])
    assert 'value="新村"' in response.content.decode()  # what was typed is kept
    assert not Village.objects.filter(name="新村").exists()
    # Moving an existing village away is refused the same way.
    url = reverse("villages:village_update", args=[reg.w.a1v2.pk])
    response = client.post(url, village_data(reg.w.a2, code="002", name="西村"))
    assert "township" in response.context["form"].errors
    reg.w.a1v2.refresh_from_db()
    assert reg.w.a1v2.township == reg.w.a1


@pytest.mark.django_db
def test_township_user_sees_only_their_township_in_the_form(reg, client):
    client.force_login(reg.w.tom)
    html = client.get(reverse("villages:village_create")).content.decode()
    assert f'value="{reg.w.a1.pk}"' in html
    assert f'value="{reg.w.a2.pk}"' not in html


@pytest.mark.django_db
def test_county_admin_moves_a_village_between_its_townships(reg, client):
    client.force_login(reg.w.alice)
    url = reverse("villages:village_update", args=[reg.w.a1v2.pk])
    response = client.post(url, village_data(reg.w.a2, code="002", name="西村"))
    assert response.status_code == 302
    reg.w.a1v2.refresh_from_db()
    assert reg.w.a1v2.township == reg.w.a2
    # Another county's township is not a valid choice.
    response = client.post(url, village_data(reg.w.b1, code="002", name="西村"))
    assert "township" in response.context["form"].errors


@pytest.mark.django_db
def test_duplicate_codes_are_refused_beside_the_code(reg, client):
    client.force_login(reg.w.alice)
    cases = [
        (
            "villages:township_create",
            {"code": "01", "name": "重复镇", "population": "0"},
            Township,
            "已有代码",
        ),
        (
            "villages:department_create",
            {"code": "D01", "name": "重复局", "is_agriculture_related": "on"},
            Department,
            "已有代码",
        ),
        ("villages:village_create", village_data(reg.w.a1, code="001", name="重复村"), Village, "已有代码"),
    ]
    for url_name, data, model, message in cases:
        response = client.post(reverse(url_name), data)
        assert response.status_code == 200, url_name
        assert message in str(response.context["form"].errors["code"]), url_name
        assert data["name"] in response.content.decode()
        assert not model.objects.filter(name=data["name"]).exists()
    # The same code in another county (or township) is fine.
    client.force_login(reg.w.bob)
    response = client.post(
        reverse("villages:township_create"), {"code": "02", "name": "乙二镇", "population": "0"}
    )
    assert response.status_code == 302
    assert Township.objects.get(name="乙二镇").county == reg.w.county_b


@pytest.mark.django_db
def test_editing_keeps_its_own_code(reg, client):
    client.force_login(reg.w.alice)
    url = reverse("villages:township_update", args=[reg.w.a1.pk])
    response = client.post(url, {"code": "01", "name": "甲一镇（新）", "population": "5000"})
    assert response.status_code == 302
    reg.w.a1.refresh_from_db()
    assert reg.w.a1.name == "甲一镇（新）" and reg.w.a1.population == 5000


@pytest.mark.django_db
def test_village_population_below_households_is_refused(reg, client):
    client.force_login(reg.w.alice)
    response = client.post(reverse("villages:village_create"), village_data(reg.w.a1, population="50"))
    assert "人口数不能少于户数" in str(response.context["form"].errors["population"])


def cadre_data(**extra):
    data = {
        "name": "新干部",
        "gender": Cadre.Gender.FEMALE,
        "birth_date": "1985-03-02",
        "ethnicity": "蒙古族",
        "education": Cadre.Education.BACHELOR,
        "party_joined_on": "2008-07-01",
        "phone": "13512345678",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_cadre_bad_input_is_refused_beside_each_field(reg, client):
    client.force_login(reg.w.tom)
    url = reverse("cadres:cadre_create")
    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    cases = [
        ({"birth_date": future}, "birth_date", "不能晚于今天"),
        ({"phone": "12345"}, "phone", "11"),
        ({"party_joined_on": "1980-01-01"}, "party_joined_on", "必须晚于出生日期"),
        ({"village": reg.w.a2v1.pk}, "village", "只能将其归属到本乡镇"),
        ({"township": reg.w.a2.pk}, "township", "只能将其归属到本乡镇"),
    ]
    for extra, field, message in cases:
        data = {**cadre_data(village=reg.w.a1v1.pk, township=reg.w.a1.pk), **extra}
        response = client.post(url, data)
        assert response.status_code == 200, field
        assert message in str(response.context["form"].errors.get(field)), (
            field,
            response.context["form"].errors,
        )
        assert "新干部" in response.content.decode()
    assert not Cadre.objects.filter(name="新干部").exists()
    response = client.post(url, cadre_data(village=reg.w.a1v1.pk, township=reg.w.a1.pk))
    cadre = Cadre.objects.get(name="新干部")
    assert response["Location"] == reverse("cadres:cadre_detail", args=[cadre.pk])
    assert (cadre.county, cadre.township, cadre.village) == (reg.w.county_a, reg.w.a1, reg.w.a1v1)


@pytest.mark.django_db
def test_county_admin_adds_a_department_cadre(reg, client):
    client.force_login(reg.w.alice)
    response = client.post(reverse("cadres:cadre_create"), cadre_data(department=reg.w.ad2.pk))
    assert response.status_code == 302
    cadre = Cadre.objects.get(name="新干部")
    assert cadre.department == reg.w.ad2 and cadre.township is None
    response = client.post(
        reverse("cadres:cadre_create"),
        cadre_data(name="两头", department=reg.w.ad2.pk, village=reg.w.a1v1.pk),
    )
    assert "不能同时属于部门和乡村" in str(response.context["form"].errors["department"])


def position_data(**extra):
    data = {"kind": Position.Kind.RESERVE_CADRE, "start_date": "2024-01-01", "end_date": ""}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_position_bad_input_is_refused_beside_each_field(reg, client):
    client.force_login(reg.w.tom)
    url = reverse("cadres:position_create", args=[reg.reserve.pk])
    before = Position.objects.count()
    cases = [
        ({"village": reg.w.a1v1.pk, "end_date": "2023-01-01"}, "end_date", "不能早于开始日期"),
        ({"village": ""}, "village", "请选择所在村"),
        # 张书记 already sits as secretary of 东村.
        ({"village": reg.w.a1v1.pk, "kind": Position.Kind.SECRETARY}, "village", "张书记"),
        ({"village": reg.w.a1v1.pk, "kind": Position.Kind.ORGANIZATION_MEMBER}, "village", "不应选择村"),
        ({"village": reg.w.a2v1.pk}, "village", "只能将其归属到本乡镇"),
        ({"village": reg.w.a1v1.pk, "kind": Position.Kind.ORGANIZER}, "kind", ""),
    ]
    for extra, field, message in cases:
        response = client.post(url, position_data(**extra))
        assert response.status_code == 200, extra
        assert message in str(response.context["form"].errors.get(field)), (
            extra,
            response.context["form"].errors,
        )
    assert Position.objects.count() == before
    # Ending the sitting secretary's term lets a new one start.
    client.post(
        reverse("cadres:position_update", args=[reg.pos.sec_secretary.pk]),
        {
            "kind": Position.Kind.SECRETARY,
            "village": reg.w.a1v1.pk,
            "start_date": "2021-01-01",
            "end_date": "2024-06-30",
        },
    )
    response = client.post(
        url, position_data(kind=Position.Kind.SECRETARY, village=reg.w.a1v1.pk, start_date="2024-07-01")
    )
    assert response.status_code == 302
    new = Position.objects.get(cadre=reg.reserve, kind=Position.Kind.SECRETARY)
    assert (new.township, new.county, new.end_date) == (reg.w.a1, reg.w.county_a, None)


@pytest.mark.django_db
def test_party_org_bad_input_is_refused_beside_each_field(reg, client):
    client.force_login(reg.w.alice)
    url = reverse("villages:party_org_create")
    base = {"name": "新支部", "member_count": "12"}
    cases = [
        ({"kind": "village_branch"}, "village", "必须选择所属村"),
        ({"kind": "village_branch", "village": reg.w.a1v1.pk}, "village", "东村党支部"),
        ({"kind": "township_committee", "township": reg.w.a1.pk}, "township", "甲一镇党委"),
        ({"kind": "department"}, "department", "必须选择所属部门"),
        ({"kind": "industry"}, "township", "必须选择所属乡镇"),
    ]
    for extra, field, message in cases:
        response = client.post(url, {**base, **extra})
        assert message in str(response.context["form"].errors.get(field)), (
            extra,
            response.context["form"].errors,
        )
    assert not PartyOrganization.objects.filter(name="新支部").exists()
    # A loop in the hierarchy is refused: the committee cannot sit under its own branch.
    response = client.post(
        reverse("villages:party_org_update", args=[reg.a1c.pk]),
        {
            "kind": "township_committee",
            "name": "甲一镇党委",
            "township": reg.w.a1.pk,
            "parent": reg.a1v1_org.pk,
            "member_count": "40",
        },
    )
    assert "下级组织" in str(response.context["form"].errors["parent"])
    # A good one: an industry organization under the township committee.
    response = client.post(url, {**base, "kind": "industry", "township": reg.w.a1.pk, "parent": reg.a1c.pk})
    assert response.status_code == 302
    org = PartyOrganization.objects.get(name="新支部")
    assert (org.county, org.township, org.parent) == (reg.w.county_a, reg.w.a1, reg.a1c)


@pytest.mark.django_db
def test_township_user_cannot_add_a_department_organization(reg, client):
    client.force_login(reg.w.tom)
    response = client.post(
        reverse("villages:party_org_create"), {"kind": "department", "name": "新支部", "member_count": "3"}
    )
    assert "kind" in response.context["form"].errors
    assert not PartyOrganization.objects.filter(name="新支部").exists()


# Deleting -------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_asks_for_confirmation_then_deletes_on_post(reg, client):
    client.force_login(reg.w.tom)
    village = Village.objects.create(township=reg.w.a1, code="777", name="待删村")
    url = reverse("villages:village_delete", args=[village.pk])
    assert client.get(url).status_code == 200
    assert Village.objects.filter(pk=village.pk).exists()
    response = client.post(url)
    assert response["Location"] == reverse("villages:village_list")
    assert not Village.objects.filter(pk=village.pk).exists()


@pytest.mark.django_db
def test_deleting_what_others_depend_on_is_refused_with_the_list(reg, client):
    client.force_login(reg.w.alice)
    response = client.post(reverse("villages:village_delete", args=[reg.w.a1v1.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="delete-refused"' in html
    for dependent in ("东村党支部", "张书记", "vera"):
        assert dependent in html
    assert Village.objects.filter(pk=reg.w.a1v1.pk).exists()
    response = client.post(reverse("villages:party_org_delete", args=[reg.a1c.pk]))
    assert response.status_code == 409 and "东村党支部" in response.content.decode()
    response = client.post(reverse("villages:department_delete", args=[reg.w.ad1.pk]))
    assert response.status_code == 409 and "钱第一" in response.content.decode()


@pytest.mark.django_db
def test_deleting_a_cadre_takes_their_positions(reg, client):
    client.force_login(reg.w.tom)
    response = client.post(reverse("cadres:cadre_delete", args=[reg.sec2.pk]))
    assert response.status_code == 302
    assert not Position.objects.filter(cadre_id=reg.sec2.pk).exists()


# Services check again --------------------------------------------------------


@pytest.mark.django_db
def test_services_refuse_wrong_roles_and_other_townships(reg):
    w = reg.w
    with pytest.raises(PermissionDenied):
        services.village_create(user=w.leo, township=w.a1, code="950", name="越权村")
    with pytest.raises(PermissionDenied):
        services.township_create(user=w.tom, code="99", name="越权镇")
    with pytest.raises(ValidationError) as error:
        services.village_create(user=w.tom, township=w.a2, code="950", name="越权村")
    assert "township" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.village_update(user=w.bob, village=w.a1v1, name="越权")
    assert not Village.objects.filter(name__in=["越权村", "越权"]).exists()
    village = services.village_create(user=w.tom, township=w.a1, code="950", name="本镇村")
    assert village.pk and village.township == w.a1


@pytest.mark.django_db
def test_delete_refused_by_the_service_scope_check_is_explained(reg, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from villages.views.common import object_delete

    request = rf.post("/")
    request.user = reg.w.tom
    request.session = {}
    request._messages = FallbackStorage(request)

    def delete():
        services.village_delete(user=reg.w.tom, village=reg.w.a2v1)  # not his township

    response = object_delete(request, obj=reg.w.a2v1, delete=delete, success_url="/", cancel_url="/")
    assert response.status_code == 403
    assert "只能将其归属到本乡镇" in response.content.decode()
    assert Village.objects.filter(pk=reg.w.a2v1.pk).exists()

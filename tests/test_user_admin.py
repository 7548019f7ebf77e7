"""The user admin: county administrators manage their county's users and cannot escalate."""

import re

import pytest
from django.urls import reverse

from campaign.models import User
from campaign.roles import Role
from tests import factories as f

CHANGELIST = reverse("admin:campaign_user_changelist")
ADD = reverse("admin:campaign_user_add")


def change_url(user):
    return reverse("admin:campaign_user_change", args=[user.pk])


def listed(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return set(re.findall(r"/admin/campaign/user/(\d+)/change/", response.content.decode()))


def new_user(**fields):
    data = {
        "username": "new",
        "usable_password": "true",
        "password1": "Gx7#pRq2-mTw9",
        "password2": "Gx7#pRq2-mTw9",
        "role": Role.TOWNSHIP,
    }
    data.update(fields)
    return data


def change_data(user, **fields):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "role": user.role,
        "county": user.county_id or "",
        "township": user.township_id or "",
        "village": user.village_id or "",
        "department": user.department_id or "",
        "organizer_area": user.organizer_area_id or "",
    }
    data.update(fields)
    return data


@pytest.fixture
def root(world):
    return f.UserFactory(
        username="root", is_superuser=True, is_staff=True, role=Role.COUNTY_ADMIN, county=world.county_a
    )


def test_county_admin_lists_exactly_its_county_users(world, root, client):
    client.force_login(world.alice)
    a_users = {"alice", "olga", "leo", "tom", "vera", "dora"}
    assert listed(client) == {str(getattr(world, n).pk) for n in a_users}  # not root, carl, bob
    client.force_login(world.bob)
    assert listed(client) == {str(world.bob.pk)}
    for outsider in (world.carl, root, world.alice):
        assert client.get(change_url(outsider)).status_code == 302  # "does not exist"
    client.force_login(root)
    assert listed(client) == {str(u.pk) for u in User.objects.all()}


def test_county_admin_cannot_grant_staff_or_superuser(world, client):
    client.force_login(world.alice)
    page = client.get(change_url(world.vera)).content.decode()
    for field in ("is_staff", "is_superuser", "groups", "user_permissions", 'name="city"'):
        assert field not in page
    response = client.post(
        change_url(world.vera),
        change_data(world.vera, first_name="薇拉", is_staff="on", is_superuser="on", user_permissions=[1]),
    )
    assert response.status_code == 302
    vera = User.objects.get(pk=world.vera.pk)
    assert vera.first_name == "薇拉"
    assert (vera.is_staff, vera.is_superuser, vera.user_permissions.count()) == (False, False, 0)
    # Alice's own account: she keeps her staff flag, cannot make herself a superuser or leave the county.
    response = client.post(
        change_url(world.alice), change_data(world.alice, is_superuser="on", county=world.county_b.pk)
    )
    alice = User.objects.get(pk=world.alice.pk)
    assert (alice.is_superuser, alice.is_staff, alice.county_id) == (False, True, world.county_a.pk)


def test_county_admin_cannot_take_over_a_fellow_staff_account(world, client):
    other = f.UserFactory(username="alice2", role=Role.COUNTY_ADMIN, county=world.county_a, is_staff=True)
    client.force_login(world.alice)
    assert client.get(change_url(other)).status_code == 200  # looked at
    assert client.post(change_url(other), change_data(other, first_name="x")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[other.pk])
    response = client.post(password, {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"})
    assert response.status_code == 403
    assert User.objects.get(pk=other.pk).check_password("Taken-over-2026!") is False


def test_county_admin_adds_users_only_in_its_county(world, client):
    client.force_login(world.alice)
    page = client.get(ADD).content.decode()
    assert "is_superuser" not in page and "is_staff" not in page
    assert f'value="{world.county_b.pk}"' not in page
    refused = [
        new_user(username="x1", county=world.county_b.pk, township=world.b1.pk),  # another county
        new_user(username="x2", county=world.county_a.pk, township=world.b1.pk),  # its township elsewhere
        new_user(username="x3", role=Role.CITY, city=world.city.pk),  # beyond the county
        new_user(username="x4", role=Role.VILLAGE, county=world.county_a.pk, village=world.b1v1.pk),
        new_user(username="x5", county=world.county_a.pk),  # a township user without a township
        new_user(username="x6", county=world.county_a.pk, township=world.a1.pk, is_staff="on"),
    ]
    for data in refused[:-1]:
        response = client.post(ADD, data)
        assert response.status_code == 200, data["username"]
        assert response.context["adminform"].form.errors, data["username"]
        assert not User.objects.filter(username=data["username"]).exists()
    # Without its township, the error is the role's (not a database refusal).
    errors = client.post(ADD, refused[4]).context["adminform"].form.errors
    assert list(errors) == ["role"]
    response = client.post(ADD, refused[-1])
    assert response.status_code == 302
    made = User.objects.get(username="x6")
    assert (made.county, made.township, made.role, made.is_staff, made.is_superuser) == (
        world.county_a,
        world.a1,
        Role.TOWNSHIP,
        False,
        False,
    )


def test_superuser_is_unrestricted(world, root, client):
    client.force_login(root)
    response = client.post(
        change_url(world.bob),
        change_data(
            world.bob, is_staff="on", is_superuser="on", date_joined_0="2026-01-01", date_joined_1="08:00:00"
        ),
    )
    assert response.status_code == 302
    bob = User.objects.get(pk=world.bob.pk)
    assert bob.is_superuser and bob.is_staff
    response = client.post(ADD, new_user(username="cityview", role=Role.CITY, city=world.city.pk))
    assert response.status_code == 302
    assert User.objects.get(username="cityview").city == world.city

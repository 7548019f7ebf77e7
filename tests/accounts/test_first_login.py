"""An account created (or reset) by an administrator must choose its own password at first login."""

from django.test import Client
from django.urls import reverse

from campaign.models import User
from tests import factories as f

GOOD = "Gx7#pRq2-mTw9"
MINE = "Own-choice-48!x"


def test_a_user_created_by_the_county_administrator_changes_the_password_first(world, login):
    admin = login(world.alice)
    response = admin.post(
        reverse("admin:campaign_user_add"),
        {
            "username": "newtown",
            "usable_password": "true",
            "password1": GOOD,
            "password2": GOOD,
            "role": "township",
            "county": world.county_a.pk,
            "township": world.a1.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="newtown")
    assert user.must_change_password

    client = Client()
    response = client.post("/accounts/login/", {"username": "newtown", "password": GOOD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    assert "管理员为您设置了密码" in response.content.decode()
    # Every other page leads back to the password page until it is changed.
    for url in ("/appraisal/township/", "/registry/villages/", "/admin/"):
        assert client.get(url)["Location"] == "/accounts/password/", url
    htmx = client.get("/notifications/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/accounts/password/"

    response = client.post(
        "/accounts/password/", {"old_password": GOOD, "new_password1": MINE, "new_password2": MINE}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(MINE)
    assert client.get("/appraisal/township/").status_code == 200


def test_a_password_reset_by_an_administrator_must_be_changed_too(world, login):
    admin = login(world.alice)
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[world.tom.pk]),
        {"password1": GOOD, "password2": GOOD},
    )
    assert response.status_code == 302
    world.tom.refresh_from_db()
    assert world.tom.must_change_password


def test_users_that_set_their_own_password_are_not_asked(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "tom", "password": f.PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/appraisal/township/").status_code == 200

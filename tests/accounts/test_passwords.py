"""Password policy: 12 characters, three character classes, none of the campaign's own words."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from campaign.models import User
from tests import factories as f

GOOD = "Gx7#pRq2-mTw9"


def refused(password, user=None):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return [e.code for e in caught.value.error_list]


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("lianchuang", "password_too_short"),
        ("Lianchuang2026", "password_organisation_word"),
        ("xiang16xiang16", "password_too_simple"),
        ("xiang16xiang16", "password_organisation_word"),
        ("L1anchuang#2026", "password_organisation_word"),  # look-alike digits
        ("联创-Good-Password-9", "password_organisation_word"),
        ("Cun0101-secret", "password_organisation_word"),
        ("Bumen-01-secret", "password_organisation_word"),
        ("abcdefghijkl", "password_too_simple"),  # one class
        ("abcdefgh1234", "password_too_simple"),  # two classes
        ("Short1!", "password_too_short"),
    ],
)
def test_the_reported_weak_passwords_are_refused(db, password, why):
    assert why in refused(password)


def test_place_names_of_the_registry_are_refused(world):
    assert "password_organisation_word" in refused("甲一镇-Secret-2026")
    assert "password_organisation_word" in refused("My-甲县-Pass-99")


def test_the_username_is_refused_inside_the_password(world):
    assert "password_organisation_word" in refused("Xy-vera-2026-Q", user=world.vera)


@pytest.mark.parametrize(
    "password", [GOOD, "Morning tea at 7!", "晨光-Sunrise-2026", "correct Horse battery 9"]
)
def test_long_mixed_passwords_pass(world, password):
    validate_password(password, world.vera)


def test_the_password_page_explains_each_rule_in_chinese(world, login):
    client = login(world.vera)
    response = client.post(
        "/accounts/password/",
        {"old_password": f.PASSWORD, "new_password1": "xiang16xiang16", "new_password2": "xiang16xiang16"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "至少混合 3 类字符" in body
    assert "不能包含系统名称" in body
    world.vera.refresh_from_db()
    assert world.vera.check_password(f.PASSWORD)

    response = client.post(
        "/accounts/password/", {"old_password": f.PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.vera.pk).check_password(GOOD)

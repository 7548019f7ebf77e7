"""Password rules beyond Django's: three character classes, none of the organisation's own words.

Django's validators (settings.AUTH_PASSWORD_VALIDATORS) already refuse short, common, numeric
and username-like passwords; 等保 2.0 practice adds complexity (three of four character classes)
and guessable words. The campaign's words are what an attacker tries first: the system's name,
the county and its townships, and the pattern of the demo logins (xiang16, cun0101, bumen01 …).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Lower-case, after the look-alike digits and signs are read as letters (l1anchuang, xi@ng).
WORDS = (
    "lianchuang",
    "sanjilianchuang",
    "联创",
    "组织部",
    "zuzhibu",
    "zuzhiyuan",
    "xianwei",
    "县委",
    "shiwei",
    "市委",
    "bumen",
    "xiang",
    "zzb",
    "zzy",
)
# Login patterns too short to refuse as plain words ("cun" is in "cunning").
PATTERNS = (re.compile(r"cun\d"),)
LOOK_ALIKE = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
PLACE_SUFFIXES = ("苏木", "县", "旗", "市", "区", "镇", "乡")


def _forms(password):
    """The password as compared: NFKC, lower case, separators dropped; and with look-alikes read."""
    text = unicodedata.normalize("NFKC", password).lower()
    plain = re.sub(r"[\s\-_.·,;:/\\|~+=*^'\"]", "", text)
    return {plain, plain.translate(LOOK_ALIKE)}


def place_words():
    """The names of every city, county and township, with and without 县/镇/乡 …, two characters or more."""
    from villages.models import City, County, Township

    names = set()
    for model in (City, County, Township):
        for name in model.objects.values_list("name", flat=True):
            names.add(name)
            for suffix in PLACE_SUFFIXES:
                if name.endswith(suffix):
                    names.add(name[: -len(suffix)])
    return {name.lower() for name in names if len(name) >= 2}


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password):
        return sum(
            (
                any(c.isascii() and c.islower() for c in password),
                any(c.isascii() and c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not (c.isascii() and c.isalnum()) for c in password),
            )
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(n)d kind of characters: lower-case letters, capital letters, "
            "digits, other characters (punctuation, Chinese characters).",
            "Your password must mix at least %(n)d kinds of characters: lower-case letters, capital letters, "
            "digits, other characters (punctuation, Chinese characters).",
            self.min_classes,
        ) % {"n": self.min_classes}


class OrganisationWordsValidator:
    """Refuse the system's name, place names of the registry, the demo login patterns and the username."""

    def validate(self, password, user=None):
        forms = _forms(password)
        words = set(WORDS) | place_words()
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3:
            words.add(username)
        for form in forms:
            if any(word in form for word in words) or any(p.search(form) for p in PATTERNS):
                raise ValidationError(
                    _(
                        "Your password must not contain the system's name, a place name of the county "
                        "or a login name (such as lianchuang, 联创, a township's name or xiang01)."
                    ),
                    code="password_organisation_word",
                )

    def get_help_text(self):
        return _(
            "Your password must not contain the system's name, a place name of the county or a login name."
        )

"""The columns of each registry sheet: headers, explanations, examples and how a cell is read.

A header is an English msgid whose Simplified Chinese translation is the
canonical header, so the template follows the UI language and the importer
accepts both.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from cadres.models import Cadre, Position, phone_validator
from campaign.validators import name_problem
from villages.importer.xlsx import cell_text, parse_bool, parse_date
from villages.models import PartyOrganization, code_validator

LANGUAGES = ("zh-hans", "en")
_FAST = {"code": re.compile(code_validator.regex.pattern), "phone": re.compile(phone_validator.regex.pattern)}


class Kind(models.TextChoices):
    """What a sheet holds, in the order in which sheets are applied (parents first)."""

    TOWNSHIPS = "townships", pgettext_lazy("import sheet", "Townships")
    DEPARTMENTS = "departments", pgettext_lazy("import sheet", "Departments")
    VILLAGES = "villages", pgettext_lazy("import sheet", "Villages")
    PARTY_ORGANIZATIONS = "party_organizations", pgettext_lazy("import sheet", "Party organizations")
    CADRES = "cadres", pgettext_lazy("import sheet", "Cadres")
    POSITIONS = "positions", pgettext_lazy("import sheet", "Positions")


KIND_ORDER = list(Kind)
# What a township user may import (their own township's rows only).
TOWNSHIP_KINDS = (Kind.VILLAGES, Kind.PARTY_ORGANIZATIONS, Kind.CADRES, Kind.POSITIONS)


class CellError(Exception):
    """A cell that cannot be read; the message is shown to the user."""


@dataclass(frozen=True)
class Column:
    name: str
    header: Promise
    help: Promise
    type: str = "text"  # text, name, code, int, bool, date, choice, phone
    required: bool = False
    max_length: int = 100
    choices: object = None  # a TextChoices class
    default: object = None
    example: object = None

    def headers(self):
        """Every spelling accepted for this column's header."""
        spellings = set()
        for language in LANGUAGES:
            with translation.override(language):
                spellings.add(normalize_header(str(self.header)))
        return spellings

    def choice_labels(self):
        """Choice values keyed by every accepted spelling (value, Chinese and English labels)."""
        mapping = {}
        for value, label in self.choices.choices:
            mapping[value.lower()] = value
            for language in LANGUAGES:
                with translation.override(language):
                    mapping[str(label).lower()] = value
        return mapping

    def display(self, value):
        """A value as written in a template or export cell (labels in the current language)."""
        if value is None or value == "":
            return None
        if self.type == "choice":
            return str(self.choices(value).label)
        if self.type == "bool":
            return pgettext("import cell", "yes") if value else pgettext("import cell", "no")
        return value

    def parse(self, raw, choice_map=None):
        """The Python value of a cell, or ``CellError``."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise CellError(_("This column is required."))
            return self.default
        kind = self.type
        if kind == "date":
            try:
                value = parse_date(raw)
            except (ValueError, OverflowError):
                raise CellError(
                    _("“%(value)s” is not a date; write it as 2024-03-01, 2024/3/1 or 2024年3月1日.")
                    % {"value": cell_text(raw)}
                ) from None
            if not 1900 <= value.year <= 2100:
                raise CellError(_("The year %(year)s is not plausible.") % {"year": value.year})
            return value
        if kind == "int":
            text = cell_text(raw).replace(",", "")
            if not text.isdigit():
                raise CellError(_("“%(value)s” is not a whole number of 0 or more.") % {"value": text})
            return int(text)
        if kind == "bool":
            try:
                return parse_bool(raw)
            except ValueError:
                raise CellError(_("Write 是 or 否 (yes or no).")) from None
        text = cell_text(raw)
        if kind == "choice":
            value = (choice_map or self.choice_labels()).get(text.lower())
            if value is None:
                labels = "、".join(str(label) for label in self.choices.labels)
                raise CellError(
                    _("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels}
                )
            return value
        if len(text) > self.max_length:
            raise CellError(_("Use at most %(n)s characters.") % {"n": self.max_length})
        if kind == "name":
            problem = name_problem(text)
            if problem is not None:
                raise CellError(str(problem))
            return text
        if kind == "phone":
            text = text.replace(" ", "")
        # The validators' own regular expressions first: running a validator costs ~10 µs a cell.
        if kind not in ("code", "phone") or _FAST[kind].fullmatch(text):
            return text
        try:
            (code_validator if kind == "code" else phone_validator)(text)
        except ValidationError as error:
            raise CellError(" ".join(error.messages)) from None
        return text


def normalize_header(text):
    return "".join(str(text).split()).replace("*", "").replace("＊", "").lower()


YES_NO_HELP = gettext_lazy("是 or 否")

_township = Column(
    "township",
    pgettext_lazy("import header", "Township code"),
    gettext_lazy("Code of a township of the county"),
    type="code",
    max_length=20,
    example="01",
)
_village = Column(
    "village",
    pgettext_lazy("import header", "Village code"),
    gettext_lazy("Code of a village of that township; leave empty if none"),
    type="code",
    max_length=20,
    example="001",
)
_department = Column(
    "department",
    pgettext_lazy("import header", "Department code"),
    gettext_lazy("Code of a county department; leave empty if none"),
    type="code",
    max_length=20,
)

COLUMNS = {
    Kind.TOWNSHIPS: [
        Column(
            "code",
            pgettext_lazy("import header", "Township code"),
            gettext_lazy("Required; 1–20 letters, digits or hyphens, unique in the county"),
            type="code",
            required=True,
            max_length=20,
            example="01",
        ),
        Column(
            "name",
            pgettext_lazy("import header", "Township name"),
            gettext_lazy("Required"),
            type="name",
            required=True,
            example="城关镇",
        ),
        Column(
            "population",
            pgettext_lazy("import header", "Population"),
            gettext_lazy("Whole number"),
            type="int",
            default=0,
            example=32000,
        ),
    ],
    Kind.DEPARTMENTS: [
        Column(
            "code",
            pgettext_lazy("import header", "Department code"),
            gettext_lazy("Required; 1–20 letters, digits or hyphens, unique in the county"),
            type="code",
            required=True,
            max_length=20,
            example="D01",
        ),
        Column(
            "name",
            pgettext_lazy("import header", "Department name"),
            gettext_lazy("Required"),
            type="name",
            required=True,
            example="县农业农村局",
        ),
        Column(
            "is_agriculture_related",
            pgettext_lazy("import header", "Agriculture-related"),
            YES_NO_HELP,
            type="bool",
            default=True,
            example=True,
        ),
    ],
    Kind.VILLAGES: [
        Column(
            "township",
            pgettext_lazy("import header", "Township code"),
            gettext_lazy("Required; code of a township of the county"),
            type="code",
            required=True,
            max_length=20,
            example="01",
        ),
        Column(
            "code",
            pgettext_lazy("import header", "Village code"),
            gettext_lazy("Required; unique within the township"),
            type="code",
            required=True,
            max_length=20,
            example="001",
        ),
        Column(
            "name",
            pgettext_lazy("import header", "Village name"),
            gettext_lazy("Required"),
            type="name",
            required=True,
            example="东风村",
        ),
        Column(
            "is_poverty_key",
            pgettext_lazy("import header", "Poverty-alleviation key village"),
            YES_NO_HELP,
            type="bool",
            default=False,
            example=False,
        ),
        Column(
            "is_one_product",
            pgettext_lazy("import header", "One-village-one-product village"),
            YES_NO_HELP,
            type="bool",
            default=False,
            example=True,
        ),
        Column(
            "households",
            pgettext_lazy("import header", "Households"),
            gettext_lazy("Whole number"),
            type="int",
            default=0,
            example=320,
        ),
        Column(
            "population",
            pgettext_lazy("import header", "Population"),
            gettext_lazy("Whole number, not below the households (or 0)"),
            type="int",
            default=0,
            example=1150,
        ),
    ],
    Kind.PARTY_ORGANIZATIONS: [
        Column(
            "kind",
            pgettext_lazy("import header", "Organization kind"),
            gettext_lazy("Required; choose from the list"),
            type="choice",
            required=True,
            choices=PartyOrganization.Kind,
            example=PartyOrganization.Kind.VILLAGE_BRANCH,
        ),
        Column(
            "name",
            pgettext_lazy("import header", "Organization name"),
            gettext_lazy("Required"),
            type="name",
            required=True,
            max_length=150,
            example="东风村党支部",
        ),
        _township,
        _village,
        _department,
        Column(
            "member_count",
            pgettext_lazy("import header", "Members"),
            gettext_lazy("Whole number"),
            type="int",
            default=0,
            example=36,
        ),
    ],
    Kind.CADRES: [
        Column(
            "name",
            pgettext_lazy("import header", "Name"),
            gettext_lazy("Required"),
            type="name",
            required=True,
            max_length=50,
            example="张伟",
        ),
        Column(
            "gender",
            pgettext_lazy("import header", "Gender"),
            gettext_lazy("Required; choose from the list"),
            type="choice",
            required=True,
            choices=Cadre.Gender,
            example=Cadre.Gender.MALE,
        ),
        Column(
            "birth_date",
            pgettext_lazy("import header", "Birth date"),
            gettext_lazy("Required; e.g. 1980-05-01"),
            type="date",
            required=True,
            example="1980-05-01",
        ),
        Column(
            "ethnicity",
            pgettext_lazy("import header", "Ethnicity"),
            gettext_lazy("Empty means 汉族"),
            max_length=20,
            default="汉族",
            example="汉族",
        ),
        Column(
            "education",
            pgettext_lazy("import header", "Education"),
            gettext_lazy("Choose from the list"),
            type="choice",
            choices=Cadre.Education,
            default="",
            example=Cadre.Education.SENIOR,
        ),
        Column(
            "party_joined_on",
            pgettext_lazy("import header", "Party membership date"),
            gettext_lazy("e.g. 2005-07-01; after the birth date"),
            type="date",
            example="2005-07-01",
        ),
        Column(
            "phone",
            pgettext_lazy("import header", "Phone"),
            gettext_lazy("11-digit mobile or landline such as 0471-1234567"),
            type="phone",
            max_length=20,
            default="",
            example="13800138000",
        ),
        _township,
        _village,
        _department,
    ],
    Kind.POSITIONS: [
        Column(
            "name",
            pgettext_lazy("import header", "Name"),
            gettext_lazy("Required; a cadre of the registry or of this file"),
            type="name",
            required=True,
            max_length=50,
            example="张伟",
        ),
        Column(
            "birth_date",
            pgettext_lazy("import header", "Birth date"),
            gettext_lazy("Required; identifies the cadre"),
            type="date",
            required=True,
            example="1980-05-01",
        ),
        Column(
            "kind",
            pgettext_lazy("import header", "Position"),
            gettext_lazy("Required; choose from the list"),
            type="choice",
            required=True,
            choices=Position.Kind,
            example=Position.Kind.SECRETARY,
        ),
        _township,
        _village,
        Column(
            "sent_from",
            pgettext_lazy("import header", "Sent from"),
            gettext_lazy("For a first secretary: the organ that sent them"),
            default="",
        ),
        Column(
            "start_date",
            pgettext_lazy("import header", "Start date"),
            gettext_lazy("Required; e.g. 2021-01-01"),
            type="date",
            required=True,
            example="2021-01-01",
        ),
        Column(
            "end_date",
            pgettext_lazy("import header", "End date"),
            gettext_lazy("Empty while the position is held"),
            type="date",
        ),
    ],
}


def sheet_title(kind):
    return str(Kind(kind).label)


def kind_for_title(title):
    """The kind a sheet title names (in either language, or the kind's code), else None."""
    wanted = normalize_header(title)
    for kind in Kind:
        spellings = {kind.value}
        for language in LANGUAGES:
            with translation.override(language):
                spellings.add(normalize_header(str(kind.label)))
        if wanted in spellings:
            return kind
    return None

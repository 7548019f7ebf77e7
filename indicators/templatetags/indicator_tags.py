"""Showing figures: "—" for no data, 是/否, labels of choices, percentages, units."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadres.models import Cadre
from indicators.catalogue import Type
from indicators.models import IndicatorSheet
from indicators.targets import STATE_CSS, STATE_ICONS

register = template.Library()
NO_DATA_TEXT = "—"


def plain_number(value):
    """A number without trailing zeros or exponent: 12, 12.5, 0.25."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def format_figure(value, definition, *, unit=True):
    if value is None or value == "":
        return NO_DATA_TEXT
    kind = definition.type if definition is not None else Type.COUNT
    if kind == Type.YES_NO:
        return pgettext("figure", "yes") if value else pgettext("figure", "no")
    if kind == Type.EDUCATION:
        try:
            return str(Cadre.Education(value).label)
        except ValueError:
            return str(value)
    if kind == Type.CONDITION:
        try:
            return str(IndicatorSheet.VenueCondition(value).label)
        except ValueError:
            return str(value)
    if kind == Type.SHARE:
        return f"{plain_number(value)}%"
    text = plain_number(value)
    if unit and definition is not None and definition.unit:
        return f"{text} {definition.unit}"
    return text


@register.simple_tag
def figure(value, definition, unit=True):
    return format_figure(value, definition, unit=unit)


@register.filter
def percent(value):
    if value is None:
        return NO_DATA_TEXT
    return f"{plain_number(value)}%"


@register.filter
def number(value):
    if value is None or value == "":
        return NO_DATA_TEXT
    return plain_number(value)


STATE_CLASSES = STATE_CSS


@register.inclusion_tag("indicators/_state.html")
def state_badge(state, label=None):
    from indicators.targets import STATE_LABELS

    return {
        "state": state,
        "label": label or STATE_LABELS[state],
        "css": STATE_CLASSES[state],
        "icon": STATE_ICONS[state],
    }


@register.simple_tag
def registry_note(as_of, live):
    """ "from the registry, 2026-12-03" — the derivation shown beside every derived figure."""
    if live:
        return _("from the registry, live as of %(date)s") % {"date": as_of.isoformat()}
    return _("from the registry, %(date)s") % {"date": as_of.isoformat()}


@register.simple_tag
def amount(value, definition):
    """A total or a mean: a number with the indicator's unit (a yes/no total is a number of villages)."""
    if value is None:
        return NO_DATA_TEXT
    text = plain_number(value)
    if definition is not None and definition.unit and definition.type != Type.YES_NO:
        return f"{text} {definition.unit}"
    return text

"""Every figure of a year's sheets, per village: entered, derived (live or frozen) and computed.

``village_figures`` answers for any number of villages in a fixed number of queries: the villages,
their sheets, the county indicators' values, and one grouped query over the registry for the
villages whose sheet is still live. Roll-ups, the sheet page, the panels and the report all read
figures through here, so that "live while open, frozen once confirmed" holds everywhere.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import catalogue, derived
from indicators.catalogue import Definition, Group, Source, Type
from indicators.models import ExtraIndicator, ExtraValue, IndicatorSetting, IndicatorSheet

ONE_DECIMAL = Decimal("0.1")


class IndicatorSet:
    """The indicators a county uses: the built-in ones it has not switched off, then its own."""

    def __init__(self, county_id, switched_off=(), extras=()):
        self.county_id = county_id
        self.switched_off = set(switched_off)
        self.extras = [
            Definition(
                code=x.code,
                label=x.name,
                group=Group.COUNTY,
                source=Source.ENTERED,
                type=Type.COUNT if x.value_type == ExtraIndicator.ValueType.COUNT else Type.AMOUNT,
                unit=x.unit,
                whole=x.whole,
                extra_id=x.pk,
            )
            for x in extras
        ]
        self.definitions = [d for d in catalogue.DEFINITIONS if self.uses(d)] + self.extras
        self.by_code = {d.code: d for d in self.definitions}

    def uses(self, definition):
        if definition.code in self.switched_off:
            return False
        # A computed share needs both of its figures.
        if definition.is_computed:
            return not ({definition.numerator, definition.denominator} & self.switched_off)
        return True

    def __iter__(self):
        return iter(self.definitions)

    def get(self, code):
        return self.by_code.get(code)

    @property
    def entered(self):
        return [d for d in self.definitions if d.is_entered]

    def groups(self):
        """``[(group label, [definitions])]`` in the catalogue's order."""
        grouped = {}
        for d in self.definitions:
            grouped.setdefault(d.group, []).append(d)
        return [(catalogue.GROUP_LABELS[g], grouped[g]) for g in catalogue.GROUP_ORDER if g in grouped]


def indicator_sets(county_ids):
    """``{county_id: IndicatorSet}`` in two queries."""
    county_ids = list(county_ids)
    off = {}
    for county_id, code in IndicatorSetting.objects.filter(
        county_id__in=county_ids, enabled=False
    ).values_list("county_id", "code"):
        off.setdefault(county_id, set()).add(code)
    extras = {}
    for extra in ExtraIndicator.objects.filter(county_id__in=county_ids, enabled=True).order_by(
        "order", "id"
    ):
        extras.setdefault(extra.county_id, []).append(extra)
    return {c: IndicatorSet(c, off.get(c, ()), extras.get(c, ())) for c in county_ids}


def indicator_set(county_id):
    return indicator_sets([county_id])[county_id]


@dataclass
class VillageRow:
    """One village's figures for one year."""

    village_id: int
    code: str
    name: str
    township_id: int
    township_name: str
    township_code: str
    county_id: int
    year: int
    sheet_id: int | None = None
    status: str | None = None  # None: no sheet yet
    derived_as_of: datetime.date | None = None  # None: live
    as_of: datetime.date | None = None  # the date the registry figures describe
    values: dict = field(default_factory=dict)

    @property
    def url(self):
        """The sheet's page (reversed once per process, then formatted: a roll-up lists hundreds)."""
        return _sheet_url_pattern().format(village=self.village_id, year=self.year)

    @property
    def status_label(self):
        if self.status is None:
            return _("not started")
        return IndicatorSheet.Status(self.status).label

    @property
    def is_live(self):
        return self.derived_as_of is None

    @property
    def entered_count(self):
        return sum(1 for code in catalogue.ENTERED_CODES if self.values.get(code) not in (None, ""))


@functools.cache
def _sheet_url_pattern():
    from django.urls import reverse

    url = reverse("indicators:sheet", args=[987654321, 2099])
    return url.replace("987654321", "{village}").replace("2099", "{year}")


def share(numerator, denominator):
    """numerator ÷ denominator in percent, one decimal (half up); None without a positive denominator."""
    if numerator is None or denominator in (None, 0):
        return None
    if type(numerator) is int and type(denominator) is int:
        # Whole numbers (nearly every share): integer arithmetic, one Decimal at the end.
        return Decimal((numerator * 2000 + denominator) // (2 * denominator)) / 10
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _expand(codes):
    """``codes`` with what they are computed from (a share's numerator and denominator)."""
    wanted = set(codes)
    for code in codes:
        definition = catalogue.definition(code)
        if definition is not None and definition.is_computed:
            wanted |= {definition.numerator, definition.denominator}
    return wanted


def village_figures(villages, year, *, today=None, county_ids=None, codes=None):
    """``[VillageRow]`` for every village of ``villages`` (a queryset), in township and village order.

    Queries: villages, sheets, county indicators' values, and the registry once for the villages
    whose sheet is live (none when every sheet is frozen). ``county_ids`` (when the caller knows
    the counties) lets each query use the county indexes. ``codes`` (default: every indicator)
    limits the work to the figures the caller shows: a city's 3,200 villages then cost a fraction.
    """
    today = today or timezone.localdate()
    as_of = derived.as_of_for(year, today)
    village_ids = villages.values("id")
    wanted = None if codes is None else _expand(codes)
    entered = (
        catalogue.ENTERED_CODES if wanted is None else [c for c in catalogue.ENTERED_CODES if c in wanted]
    )
    stored = derived.FIELDS if wanted is None else [f for f in derived.FIELDS if f in wanted]
    computed = catalogue.COMPUTED if wanted is None else [d for d in catalogue.COMPUTED if d.code in wanted]
    rows = [
        VillageRow(
            village_id=v["id"],
            code=v["code"],
            name=v["name"],
            township_id=v["township_id"],
            township_name=v["township__name"],
            township_code=v["township__code"],
            county_id=v["township__county_id"],
            year=year,
        )
        for v in villages.order_by("township__county_id", "township__code", "code").values(
            "id", "code", "name", "township_id", "township__name", "township__code", "township__county_id"
        )
    ]
    sheets = IndicatorSheet.objects.filter(year=year, village_id__in=village_ids)
    if county_ids is not None:
        sheets = sheets.filter(county_id__in=county_ids)
    by_village = {
        s["village_id"]: s
        for s in sheets.values("id", "village_id", "status", "derived_as_of", *entered, *stored)
    }
    extra_values = {}
    if by_village and (wanted is None or wanted - set(catalogue.BY_CODE)):
        extras = ExtraValue.objects.filter(sheet__year=year, sheet__village_id__in=village_ids)
        if county_ids is not None:
            extras = extras.filter(sheet__county_id__in=county_ids)
        for sheet_id, code, value in extras.values_list("sheet_id", "indicator__code", "value"):
            extra_values.setdefault(sheet_id, {})[code] = value
    live = any((by_village.get(r.village_id) or {}).get("derived_as_of") is None for r in rows)
    registry = derived.registry_figures(villages, as_of, county_ids, stored) if live and stored else {}
    nothing = derived.empty(stored)
    for row in rows:
        sheet = by_village.get(row.village_id)
        if sheet is not None:
            row.sheet_id = sheet["id"]
            row.status = sheet["status"]
            row.derived_as_of = sheet["derived_as_of"]
            values = {code: sheet[code] for code in entered}
            if "venue_condition" in values and values["venue_condition"] == "":
                values["venue_condition"] = None
            values.update(extra_values.get(sheet["id"], ()))
        else:
            values = dict.fromkeys(entered)
        if row.derived_as_of is not None:
            row.as_of = row.derived_as_of
            figures = {name: sheet[name] for name in stored}
        else:
            row.as_of = as_of
            figures = registry.get(row.village_id) or nothing
        values.update(figures)
        if "secretary_education" in values:
            values["secretary_education"] = values["secretary_education"] or None
        for d in computed:
            values[d.code] = share(values.get(d.numerator), values.get(d.denominator))
        row.values = values
    return rows


def sheet_values(sheet, *, today=None):
    """The figures of one sheet (a saved ``IndicatorSheet``): its row from ``village_figures``."""
    from villages.models import Village

    return village_figures(Village.objects.filter(pk=sheet.village_id), sheet.year, today=today)[0]

"""Roll-ups of the sheets: a township, a county (with its townships and its trend), a city's counties.

Each indicator gets its total (where figures add up), its mean per village with the figure, and a
share where that is what it means (a computed share: the ratio of the sums; a yes/no: the share of
villages with "yes"; the secretary's education: the share with senior middle school or more; the
venue: the share in good condition). Each target is judged with the villages that miss it.

Query counts are fixed whatever the number of villages: ``indicators.figures.village_figures`` plus
the targets and the county's indicator settings.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from indicators import derived
from indicators.catalogue import Type
from indicators.figures import indicator_sets, share, village_figures
from indicators.models import CollectionWindow, IndicatorSheet, Target
from indicators.targets import MET, NOT_MET, judge

ONE_DECIMAL = Decimal("0.1")
TREND_YEARS = 5
# The figures of the county's year-on-year trend: (code, what to show).
TREND_FIGURES = (
    ("members", "total"),
    ("members_under_35_share", "share"),
    ("new_members", "total"),
    ("activists", "mean"),
    ("reserve_cadres", "mean"),
    ("is_secretary_and_director", "share"),
    ("cooperative_coverage", "share"),
    ("collective_income", "total"),
    ("training_days", "mean"),
)


@dataclass
class Figure:
    """One indicator rolled up over some villages."""

    definition: object
    villages: int = 0
    with_data: int = 0
    total: Decimal | None = None
    mean: Decimal | None = None
    share: Decimal | None = None
    results: list = field(default_factory=list)

    @property
    def code(self):
        return self.definition.code


@dataclass
class Completeness:
    villages: int = 0
    confirmed: int = 0
    submitted: int = 0
    draft: int = 0
    not_started: int = 0

    @property
    def percent(self):
        return share(self.confirmed, self.villages) or Decimal(0)

    @property
    def open(self):
        return self.villages - self.confirmed


@dataclass
class Rollup:
    """Villages' figures of one year rolled up, with the targets judged."""

    year: int
    rows: list
    indicators: object
    targets: list
    figures: list = field(default_factory=list)
    results: list = field(default_factory=list)
    completeness: Completeness = field(default_factory=Completeness)

    @property
    def met(self):
        return [r for r in self.results if r.state == MET]

    @property
    def not_met(self):
        return [r for r in self.results if r.state == NOT_MET]

    def figure_groups(self):
        """``[(group label, [Figure])]`` in the catalogue's order."""
        by_code = {f.code: f for f in self.figures}
        return [
            (label, [by_code[d.code] for d in definitions if d.code in by_code])
            for label, definitions in self.indicators.groups()
        ]

    def figure(self, code):
        return next((f for f in self.figures if f.code == code), None)


def _figure(definition, rows):
    figure = Figure(definition=definition, villages=len(rows))
    code = definition.code
    present = [v for v in (row.values.get(code) for row in rows) if v is not None and v != ""]
    figure.with_data = len(present)
    if not present:
        return figure
    kind = definition.type
    if kind == Type.SHARE:
        numerator = denominator = 0
        for row in rows:
            n, d = row.values.get(definition.numerator), row.values.get(definition.denominator)
            if n is not None and d is not None:
                numerator += n
                denominator += d
        figure.share = share(numerator, denominator)
        return figure
    if kind == Type.YES_NO:
        figure.total = Decimal(sum(1 for v in present if v))
        figure.share = share(figure.total, len(present))
        return figure
    if kind == Type.EDUCATION:
        figure.share = share(sum(1 for v in present if v in derived.SENIOR_OR_MORE), len(present))
        return figure
    if kind == Type.CONDITION:
        figure.share = share(sum(1 for v in present if v == IndicatorSheet.VenueCondition.GOOD), len(present))
        return figure
    # Whole numbers and decimals add up as they are (an int plus a Decimal is a Decimal).
    total = Decimal(sum(present))
    if definition.additive:
        figure.total = total
    figure.mean = (total / len(present)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    return figure


def _completeness(rows):
    c = Completeness(villages=len(rows))
    for row in rows:
        if row.status is None:
            c.not_started += 1
        elif row.status == IndicatorSheet.Status.CONFIRMED:
            c.confirmed += 1
        elif row.status == IndicatorSheet.Status.SUBMITTED:
            c.submitted += 1
        else:
            c.draft += 1
    return c


def rollup(rows, indicators, targets, year, *, figures=True):
    """Roll ``rows`` (one county's villages, or some of them) up against ``targets``.

    ``figures``: True for every indicator's total and mean, False for none (a township row of the
    county page shows only its completeness and its targets), or the codes wanted.
    """
    result = Rollup(year=year, rows=rows, indicators=indicators, targets=targets)
    result.results = [judge(t, rows) for t in targets if indicators.get(t.indicator)]
    if figures:
        wanted = None if figures is True else set(figures)
        by_indicator = defaultdict(list)
        for r in result.results:
            by_indicator[r.target.indicator].append(r)
        for definition in indicators:
            if wanted is not None and definition.code not in wanted:
                continue
            figure = _figure(definition, rows)
            figure.results = by_indicator.get(definition.code, [])
            result.figures.append(figure)
    result.completeness = _completeness(rows)
    return result


def _targets_by_county(county_ids, year):
    found = defaultdict(list)
    for target in Target.objects.filter(county_id__in=county_ids, year=year).order_by("order", "id"):
        found[target.county_id].append(target)
    return found


def county_rollup(county_id, villages, year, *, today=None):
    """A county (or the part of it in ``villages``): the whole, and one roll-up per township.

    Returns ``(whole, [(township row, roll-up)])``; a township row is the first village's row.
    """
    rows = village_figures(villages, year, today=today, county_ids=[county_id])
    indicators = indicator_sets([county_id])[county_id]
    targets = _targets_by_county([county_id], year)[county_id]
    whole = rollup(rows, indicators, targets, year)
    by_township = defaultdict(list)
    for row in rows:
        by_township[row.township_id].append(row)
    townships = [
        (group[0], rollup(group, indicators, targets, year, figures=False)) for group in by_township.values()
    ]
    return whole, townships


def township_rollup(county_id, villages, year, *, today=None):
    rows = village_figures(villages, year, today=today, county_ids=[county_id])
    indicators = indicator_sets([county_id])[county_id]
    return rollup(rows, indicators, _targets_by_county([county_id], year)[county_id], year)


def city_rollup(counties, villages, year, *, today=None, codes=None):
    """One roll-up per county of ``counties`` (a list of ``County``), each against its own targets.

    ``codes``: the indicators whose figures are shown (default all); the registry is then read only
    for those and for the targets' own.
    """
    county_ids = [c.pk for c in counties]
    sets = indicator_sets(county_ids)
    targets = _targets_by_county(county_ids, year)
    needed = None
    if codes is not None:
        needed = set(codes)
        for county_targets in targets.values():
            for target in county_targets:
                needed |= {target.indicator, target.denominator}
        needed.discard("")
    rows = village_figures(villages, year, today=today, county_ids=county_ids, codes=needed)
    by_county = defaultdict(list)
    for row in rows:
        by_county[row.county_id].append(row)
    figures = True if codes is None else list(codes)
    return [
        (
            county,
            rollup(by_county.get(county.pk, []), sets[county.pk], targets[county.pk], year, figures=figures),
        )
        for county in counties
    ]


def trend_years(county_id, year):
    """The years of the county's trend: those with a collection window, up to ``year``, newest last."""
    years = (
        CollectionWindow.objects.filter(county_id=county_id, year__lte=year)
        .order_by("-year")
        .values_list("year", flat=True)[:TREND_YEARS]
    )
    return sorted(years)


def county_trend(county_id, villages, years, *, today=None, current=None):
    """``[(year, Rollup)]``: the county's figures year on year (past years read their frozen figures).

    ``current``: a roll-up already made for one of the years (the page's own), reused as it is.
    """
    today = today or timezone.localdate()
    indicators = current.indicators if current is not None else indicator_sets([county_id])[county_id]
    targets = defaultdict(list)
    for target in Target.objects.filter(county_id=county_id, year__in=years).order_by("order", "id"):
        targets[target.year].append(target)
    trend = []
    for year in years:
        if current is not None and current.year == year:
            trend.append((year, current))
            continue
        rows = village_figures(villages, year, today=today, county_ids=[county_id])
        trend.append((year, rollup(rows, indicators, targets[year], year)))
    return trend


def trend_table(trend):
    """Rows ``(definition, [value per year])`` of ``TREND_FIGURES`` for the trend's years."""
    if not trend:
        return []
    indicators = trend[-1][1].indicators
    table = []
    for code, what in TREND_FIGURES:
        definition = indicators.get(code)
        if definition is None:
            continue
        values = []
        for _year, result in trend:
            figure = result.figure(code)
            values.append(getattr(figure, what) if figure else None)
        table.append((definition, what, values))
    return table

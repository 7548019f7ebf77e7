"""Targets: the province's list, and how a target is judged for one village and for many.

Three kinds (``Target.Kind``):

- per village: each village's figure is tested (≥ or ≤ the threshold); a level meets it when every
  village with the figure passes;
- share of villages: the same per-village test, and the share of villages passing (among those with
  the figure) must reach ``share_required`` %;
- ratio of sums: Σ figure ÷ Σ denominator over the villages, in %, against the threshold (a village
  alone is judged on its own ratio, for information).

A judgement is ``MET``, ``NOT_MET`` or ``NO_DATA`` (nothing to judge yet).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.figures import share
from indicators.models import Target

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
STATE_LABELS = {
    MET: gettext_lazy("met"),
    NOT_MET: gettext_lazy("not met"),
    NO_DATA: gettext_lazy("no data"),
}
STATE_CSS = {MET: "text-bg-success", NOT_MET: "text-bg-danger", NO_DATA: "text-bg-light border"}
STATE_ICONS = {MET: "bi-check-circle", NOT_MET: "bi-x-circle", NO_DATA: "bi-dash-circle"}
PROVINCE_SOURCE = "省“三项工程”目标"

# The province's list ("Target requirements of three projects"): activists ≥ 3 per village, one new
# member under 35 a year, reserve cadres ≥ 2, 一肩挑 ≥ 70% of villages, party organizations in ≥ 70%
# of cooperatives, members under 35 ≥ 18% of members.
PROVINCE_TARGETS = (
    {"kind": Target.Kind.PER_VILLAGE, "indicator": "activists", "threshold": Decimal(3)},
    {"kind": Target.Kind.PER_VILLAGE, "indicator": "new_members_under_35", "threshold": Decimal(1)},
    {"kind": Target.Kind.PER_VILLAGE, "indicator": "reserve_cadres", "threshold": Decimal(2)},
    {
        "kind": Target.Kind.SHARE_OF_VILLAGES,
        "indicator": "is_secretary_and_director",
        "threshold": Decimal(1),
        "share_required": Decimal(70),
    },
    {
        "kind": Target.Kind.RATIO_OF_SUMS,
        "indicator": "cooperatives_with_party_org",
        "denominator": "cooperatives",
        "threshold": Decimal(70),
    },
    {
        "kind": Target.Kind.RATIO_OF_SUMS,
        "indicator": "members_under_35",
        "denominator": "members",
        "threshold": Decimal(18),
    },
)


def _number(value):
    """A figure as a number to compare or add: ints and Decimals as they are, a yes/no as 1 or 0."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal):
        return value
    return Decimal(value)


def _passes(target, value):
    if target.comparison == Target.Comparison.AT_MOST:
        return value <= target.threshold
    return value >= target.threshold


def village_value(target, values):
    """The figure a target looks at for one village: its value, or its own ratio (ratio of sums)."""
    if target.kind == Target.Kind.RATIO_OF_SUMS:
        return share(_number(values.get(target.indicator)), _number(values.get(target.denominator)))
    return _number(values.get(target.indicator))


def village_state(target, values):
    """``(state, figure)`` of one village against a target."""
    value = village_value(target, values)
    if value is None:
        return NO_DATA, None
    return (MET if _passes(target, value) else NOT_MET), value


@dataclass
class Result:
    """A target judged over several villages."""

    target: Target
    state: str
    figure: Decimal | None = None  # the share passing, the ratio of sums, or None (per village)
    villages: int = 0
    with_data: int = 0
    passing: int = 0
    missing: list = field(default_factory=list)  # rows that fail the per-village test
    no_data: list = field(default_factory=list)  # rows without the figure

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def share_passing(self):
        return share(self.passing, self.with_data)

    @property
    def state_css(self):
        return STATE_CSS[self.state]

    @property
    def state_icon(self):
        return STATE_ICONS[self.state]


def judge(target, rows):
    """A target over ``rows`` (``VillageRow``s of one county), with the villages that miss it.

    Written as plain loops over local names: a city page judges some 20,000 village figures.
    """
    result = Result(target=target, state=NO_DATA, villages=len(rows))
    at_most = target.comparison == Target.Comparison.AT_MOST
    threshold = target.threshold
    code = target.indicator
    missing, no_data = result.missing, result.no_data
    if target.kind == Target.Kind.RATIO_OF_SUMS:
        denominator_code = target.denominator
        numerator = denominator = 0
        for row in rows:
            n, d = _number(row.values.get(code)), _number(row.values.get(denominator_code))
            if n is None or d is None:
                no_data.append(row)
                continue
            numerator += n
            denominator += d
            own = share(n, d)
            if own is not None and (own > threshold if at_most else own < threshold):
                missing.append(row)
        result.with_data = len(rows) - len(no_data)
        result.passing = result.with_data - len(missing)
        result.figure = share(numerator, denominator)
        if result.figure is not None:
            result.state = MET if _passes(target, result.figure) else NOT_MET
        return result
    for row in rows:
        value = row.values.get(code)
        if value is None or value == "":
            no_data.append(row)
        elif (value > threshold) if at_most else (value < threshold):
            missing.append(row)
    result.with_data = len(rows) - len(no_data)
    result.passing = result.with_data - len(missing)
    if not result.with_data:
        return result
    if target.kind == Target.Kind.SHARE_OF_VILLAGES:
        result.figure = result.share_passing
        result.state = MET if result.figure >= target.share_required else NOT_MET
    elif missing:
        result.state = NOT_MET
    else:
        result.state = MET if not no_data else NO_DATA
    return result


def _amount(value):
    value = Decimal(value).normalize()
    return f"{value:f}"


def describe(target, indicators):
    """The target in words, e.g. "Reserve cadres ≥ 2 per village" (labels from ``indicators``)."""

    def label(code):
        definition = indicators.get(code)
        return str(definition.name) if definition else code

    sign = "≤" if target.comparison == Target.Comparison.AT_MOST else "≥"
    threshold = _amount(target.threshold)
    if target.kind == Target.Kind.PER_VILLAGE:
        return _("%(indicator)s %(sign)s %(value)s in every village") % {
            "indicator": label(target.indicator),
            "sign": sign,
            "value": threshold,
        }
    if target.kind == Target.Kind.SHARE_OF_VILLAGES:
        definition = indicators.get(target.indicator)
        if definition is not None and definition.type == "yes_no":
            test = label(target.indicator)
        else:
            test = f"{label(target.indicator)} {sign} {threshold}"
        return _("%(test)s in at least %(share)s%% of villages") % {
            "test": test,
            "share": _amount(target.share_required),
        }
    return _("%(numerator)s ÷ %(denominator)s %(sign)s %(value)s%%") % {
        "numerator": label(target.indicator),
        "denominator": label(target.denominator),
        "sign": sign,
        "value": threshold,
    }


def describe_test(target, indicators):
    """What one village is tested on: "Reserve cadres ≥ 2", or for a yes/no figure its name alone."""
    definition = indicators.get(target.indicator)
    name = str(definition.name) if definition else target.indicator
    if target.kind == Target.Kind.PER_VILLAGE:
        return describe(target, indicators)
    if target.kind == Target.Kind.RATIO_OF_SUMS:
        return describe(target, indicators)
    if definition is not None and definition.type == "yes_no":
        return name
    sign = "≤" if target.comparison == Target.Comparison.AT_MOST else "≥"
    return f"{name} {sign} {_amount(target.threshold)}"


def short(target, indicators):
    """A column heading for the target: "Reserve cadres ≥ 2", "… ≥ 70%"."""
    definition = indicators.get(target.indicator)
    name = str(definition.name) if definition else target.indicator
    sign = "≤" if target.comparison == Target.Comparison.AT_MOST else "≥"
    if target.kind == Target.Kind.SHARE_OF_VILLAGES:
        if definition is not None and definition.type == "yes_no":
            return f"{name} {sign} {_amount(target.share_required)}%"
        return f"{name} {sign} {_amount(target.threshold)}: {_amount(target.share_required)}%"
    if target.kind == Target.Kind.RATIO_OF_SUMS:
        return f"{name} {sign} {_amount(target.threshold)}%"
    return f"{name} {sign} {_amount(target.threshold)}"

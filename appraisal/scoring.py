"""Star computation: tier totals, thresholds, the satisfaction cap and vetoes.

Pure functions over already loaded rows, so that services, previews and
dashboards compute the same result the same way.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FULL_SCALE = Decimal("20")
# The default rubric: 90% or more satisfied earns the full points, each
# percentage point below costs half a point.
SURVEY_FULL_AT = Decimal("90")
SURVEY_COST_PER_POINT = Decimal("0.5")


def quantize(value):
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def satisfaction_rate(satisfied, fairly_satisfied, total):
    """(满意 + 比较满意) ÷ all answers, in percent; None when nobody answered."""
    if not total:
        return None
    return quantize(Decimal(100 * (satisfied + fairly_satisfied)) / Decimal(total))


def points_from_rate(rate, max_points):
    """Points of a survey-fed indicator: full at 90%, minus 0.5 per percentage point below, never below 0."""
    if rate is None:
        return None
    shortfall = max(Decimal(0), SURVEY_FULL_AT - Decimal(rate))
    return quantize(
        min(Decimal(max_points), max(Decimal(0), Decimal(max_points) - shortfall * SURVEY_COST_PER_POINT))
    )


def star_needed(threshold, star_max):
    """Points a star needs: the rubric's threshold is out of 20, scaled for a star of another size."""
    if Decimal(star_max) == FULL_SCALE:
        return Decimal(threshold)
    return quantize(Decimal(threshold) * Decimal(star_max) / FULL_SCALE)


@dataclass
class StarResult:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    needed: Decimal
    earned: bool
    missing: list = field(default_factory=list)


@dataclass
class Result:
    total: Decimal
    stars: list  # StarResult per star, in order
    earned: list  # codes of the stars earned after the cap and vetoes
    capped: bool = False
    vetoed: bool = False

    @property
    def star_count(self):
        return len(self.earned)


def compute(stars, points, *, threshold, satisfaction=None, floor=None, cap_stars=2, vetoed=False):
    """Stars earned from ``points`` ({indicator_id: Decimal}).

    ``stars`` are Star rows with their indicators loaded (``star.indicators.all()``
    prefetched). An indicator without points counts as 0 and is listed as missing.
    Below the satisfaction ``floor`` at most ``cap_stars`` stars remain (the first
    in rubric order); a veto leaves none.
    """
    results = []
    total = Decimal(0)
    for star in stars:
        star_points = Decimal(0)
        missing = []
        for indicator in star.indicators.all():
            value = points.get(indicator.id)
            if value is None:
                missing.append(indicator)
            else:
                star_points += Decimal(value)
        needed = star_needed(threshold, star.max_points)
        total += star_points
        results.append(
            StarResult(
                code=star.code,
                name=star.name,
                points=star_points,
                max_points=star.max_points,
                needed=needed,
                earned=star_points >= needed,
                missing=missing,
            )
        )
    earned = [r.code for r in results if r.earned]
    capped = False
    if satisfaction is not None and floor is not None and Decimal(satisfaction) < Decimal(floor):
        if len(earned) > cap_stars:
            capped = True
        earned = earned[:cap_stars]
    if vetoed:
        earned = []
    return Result(total=total, stars=results, earned=earned, capped=capped, vetoed=vetoed)


def classification(final_points):
    """先进 / 一般 / 后进 by final points (≥ 90 advanced, 75–89 average, < 75 lagging)."""
    if final_points is None:
        return None
    if final_points >= 90:
        return "advanced"
    if final_points >= 75:
        return "average"
    return "lagging"

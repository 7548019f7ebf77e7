"""Synthetic indicator sheets at province scale, for benchmarks (called by ``seed_scale``).

For every county without a collection this year: the window (open since the start of November),
the province's targets, and one sheet per village: seven in ten confirmed (registry figures frozen,
computed from the registry in one grouped query per batch of counties), the rest open (read live
from the registry by the roll-ups). Written with PostgreSQL ``COPY`` like the rest of ``seed_scale``;
idempotent (a county with this year's window is skipped).
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from campaign.demo import bulk
from indicators import derived
from indicators.models import CollectionWindow, IndicatorSheet, Target
from indicators.targets import PROVINCE_SOURCE, PROVINCE_TARGETS
from villages.models import County, Village

SEED = 1313
BATCH_COUNTIES = 10
CONFIRMED_SHARE = 0.7
MODELS = (CollectionWindow, Target, IndicatorSheet)


def seed_scale(*, year=None, log=None):
    """Fill ``year`` (default: this year) for every county that has no window for it; returns the count."""
    today = timezone.localdate()
    year = year or today.year
    done = set(CollectionWindow.objects.filter(year=year).values_list("county_id", flat=True))
    counties = [c for c in County.objects.order_by("id").values_list("id", flat=True) if c not in done]
    if not counties:
        return 0
    ids = bulk.IdAllocator()
    now = timezone.now()
    as_of = derived.as_of_for(year, today)
    opens = datetime.date(year, 11, 1)
    for start in range(0, len(counties), BATCH_COUNTIES):
        batch = counties[start : start + BATCH_COUNTIES]
        windows, targets, sheets = [], [], []
        for county_id in batch:
            windows.append(
                {
                    "id": ids.take(CollectionWindow),
                    "county_id": county_id,
                    "year": year,
                    "opens_on": opens,
                    "closes_on": datetime.date(year, 12, 25),
                    "created_at": now,
                }
            )
            for order, spec in enumerate(PROVINCE_TARGETS, start=1):
                targets.append(
                    {
                        "id": ids.take(Target),
                        "county_id": county_id,
                        "year": year,
                        "kind": spec["kind"].value,
                        "indicator": spec["indicator"],
                        "denominator": spec.get("denominator", ""),
                        "comparison": Target.Comparison.AT_LEAST.value,
                        "threshold": spec["threshold"],
                        "share_required": spec.get("share_required"),
                        "source": PROVINCE_SOURCE,
                        "order": order,
                    }
                )
        villages = list(
            Village.objects.filter(township__county_id__in=batch)
            .order_by("id")
            .values_list("id", "township_id", "township__county_id")
        )
        registry = derived.registry_figures([v for v, _t, _c in villages], as_of, batch)
        for village_id, township_id, county_id in villages:
            rng = random.Random(SEED * 100_000 + village_id)
            confirmed = rng.random() < CONFIRMED_SHARE
            place = (village_id, township_id, county_id)
            sheets.append(_sheet(ids, rng, place, year, now, confirmed, registry, as_of))
        bulk.write(CollectionWindow, windows)
        bulk.write(Target, targets)
        bulk.write(IndicatorSheet, sheets)
        if log:
            log(f"indicator sheets of {start + len(batch)} counties written")
    bulk.reset_sequences(MODELS)
    bulk.analyze(MODELS)
    return len(counties)


def _sheet(ids, rng, place, year, now, confirmed, registry, as_of):
    village_id, township_id, county_id = place
    members = rng.randint(15, 110)
    cooperatives = rng.randint(0, 7)
    new = rng.choice((0, 1, 1, 1, 2, 2, 3))
    row = {
        "id": ids.take(IndicatorSheet),
        "village_id": village_id,
        "county_id": county_id,
        "township_id": township_id,
        "year": year,
        "status": IndicatorSheet.Status.CONFIRMED.value if confirmed else rng.choice(("draft", "submitted")),
        "members": members,
        "members_under_35": round(members * rng.uniform(0.07, 0.27)),
        "members_women": round(members * rng.uniform(0.14, 0.34)),
        "members_high_school": round(members * rng.uniform(0.28, 0.62)),
        "new_members": new,
        "new_members_under_35": min(new, rng.choice((0, 1, 1, 2))),
        "activists": rng.randint(1, 6),
        "cooperatives": cooperatives,
        "cooperatives_with_party_org": sum(1 for _ in range(cooperatives) if rng.random() < 0.72),
        "collective_income": Decimal(rng.randint(100, 9000)) / 100,
        "branch_congresses": rng.choice((3, 4, 4, 4)),
        "committee_meetings": rng.choice((9, 12, 12)),
        "group_meetings": rng.randint(4, 12),
        "party_lessons": rng.choice((3, 4, 4)),
        "training_days": Decimal(rng.choice((30, 50, 60, 70, 80))) / 10,
        "venue_area": rng.choice((80, 120, 200, 300)),
        "venue_condition": rng.choice(("good", "good", "adequate", "poor")),
        "submitted_at": now,
        "confirmed_at": now if confirmed else None,
        "confirmed_by_id": None,
        "return_reason": "",
        "created_at": now,
        "updated_at": now,
        "derived_as_of": as_of if confirmed else None,
    }
    figures = registry.get(village_id) or derived.empty()
    for name in derived.FIELDS:
        value = figures[name] if confirmed else None
        if name in ("secretary_name", "secretary_education"):
            value = value or ""
        row[name] = value
    return row

"""Demo data: the demo county's indicator sheets of 2025 and 2026 (called by seed_demo).

- Collection windows for both years and the province's targets (seeded with the window).
- 2025: every village's sheet, confirmed by its township in December 2025 (registry figures frozen).
- 2026: the collection is running (it closes on 25 December): townships are at different stages,
  from all confirmed to barely started; some villages submitted and wait for their township.
- In June 2026 a reserve cadre left a tenth of the villages (the registry moved): their 2026 sheets
  show it, their confirmed 2025 sheets do not.
- Figures are realistic and varied, so that some targets are missed (members under 35, 一肩挑,
  activists, a new member under 35 in some villages, cooperative coverage in a few townships).

Deterministic (fixed seed) and idempotent: nothing is added once the county has sheets.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cadres.models import Position
from campaign.models import User
from campaign.roles import Role
from indicators import derived, services
from indicators.models import CollectionWindow, IndicatorSheet, SheetEvent
from villages.models import PartyOrganization, Village

SEED = 13
WINDOWS = {
    2025: (datetime.date(2025, 11, 10), datetime.date(2025, 12, 20)),
    2026: (datetime.date(2026, 11, 16), datetime.date(2026, 12, 25)),
}
CONFIRMED_2025 = datetime.date(2025, 12, 16)
RESERVE_LEFT_ON = datetime.date(2026, 6, 30)
# Per township (in code order): the share of its villages confirmed so far in 2026.
PROGRESS_2026 = (1.0, 1.0, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.45, 0.4, 0.3, 0.25, 0.15, 0.0)
Status = IndicatorSheet.Status
Action = SheetEvent.Action
CONDITIONS = (("good", 62), ("adequate", 28), ("poor", 8), ("none", 2))


def seed(county):
    for year, (opens_on, closes_on) in WINDOWS.items():
        CollectionWindow.objects.get_or_create(
            county=county, year=year, defaults={"opens_on": opens_on, "closes_on": closes_on}
        )
        services.targets_seed(county=county, year=year)
    if IndicatorSheet.objects.filter(county=county).exists():
        return
    rng = random.Random(SEED)
    villages = list(
        Village.objects.filter(township__county=county)
        .select_related("township")
        .order_by("township__code", "code")
    )
    _registry_moves(county, villages, rng)
    members = dict(
        PartyOrganization.objects.filter(
            county=county, village__isnull=False, kind__in=PartyOrganization.VILLAGE_KINDS
        ).values_list("village_id", "member_count")
    )
    townships = {}
    for user in User.objects.filter(role=Role.TOWNSHIP, county=county).order_by("id"):
        townships.setdefault(user.township_id, user)
    secretaries = {}
    for user in User.objects.filter(role=Role.VILLAGE, county=county).order_by("id"):
        secretaries.setdefault(user.village_id, user)
    figures_2025 = {v.pk: _figures(rng, members.get(v.pk) or rng.randint(18, 90)) for v in villages}
    with transaction.atomic():
        _year_2025(villages, figures_2025, townships)
        _year_2026(rng, villages, figures_2025, townships, secretaries)


def _registry_moves(county, villages, rng):
    """A reserve cadre leaves about a tenth of the villages at the end of June 2026."""
    reserves = Position.objects.filter(county=county, kind=Position.Kind.RESERVE_CADRE)
    if reserves.filter(end_date=RESERVE_LEFT_ON).exists():
        return
    chosen = {v.pk for v in villages if rng.random() < 0.12}
    first = {}
    for position in reserves.filter(end_date__isnull=True, village_id__in=chosen).order_by(
        "village_id", "id"
    ):
        first.setdefault(position.village_id, position.pk)
    reserves.filter(pk__in=first.values()).update(end_date=RESERVE_LEFT_ON)


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _figures(rng, members):
    """Plausible entered figures of a village (2025)."""
    under_35 = round(members * rng.uniform(0.07, 0.27))
    new = _pick(rng, ((0, 22), (1, 45), (2, 25), (3, 8)))
    new_young = 0 if new == 0 else min(new, _pick(rng, ((0, 18), (1, 62), (2, 20))))
    cooperatives = _pick(rng, ((0, 12), (1, 18), (2, 22), (3, 18), (4, 14), (5, 8), (6, 5), (8, 3)))
    with_org = sum(1 for _ in range(cooperatives) if rng.random() < 0.72)
    return {
        "members": members,
        "members_under_35": under_35,
        "members_women": round(members * rng.uniform(0.14, 0.34)),
        "members_high_school": round(members * rng.uniform(0.28, 0.62)),
        "new_members": new,
        "new_members_under_35": new_young,
        "activists": _pick(rng, ((1, 8), (2, 17), (3, 30), (4, 25), (5, 13), (6, 7))),
        "cooperatives": cooperatives,
        "cooperatives_with_party_org": with_org,
        "collective_income": Decimal(rng.choice((2, 3, 5, 6, 8, 10, 12, 15, 18, 22, 30, 45, 60, 85)))
        + Decimal(rng.randint(0, 99)) / 100,
        "branch_congresses": _pick(rng, ((2, 8), (3, 17), (4, 70), (5, 5))),
        "committee_meetings": _pick(rng, ((6, 8), (9, 17), (12, 70), (14, 5))),
        "group_meetings": rng.randint(4, 12),
        "party_lessons": _pick(rng, ((2, 10), (3, 20), (4, 65), (6, 5))),
        "training_days": Decimal(rng.choice((3, 4, 5, 5.5, 6, 7, 7, 8, 10))).quantize(Decimal("0.1")),
        "venue_area": rng.choice((60, 80, 120, 150, 180, 200, 240, 300, 360, 420)),
        "venue_condition": _pick(rng, CONDITIONS),
    }


def _next_year(rng, before):
    """2026's figures: a year on from 2025's."""
    members = max(8, before["members"] + rng.randint(-3, 3) + before["new_members"])
    figures = _figures(rng, members)
    figures["members_under_35"] = min(members, max(0, before["members_under_35"] + rng.randint(-2, 3)))
    figures["members_women"] = min(members, before["members_women"] + rng.randint(-1, 2))
    figures["members_high_school"] = min(members, before["members_high_school"] + rng.randint(0, 3))
    figures["cooperatives"] = max(0, before["cooperatives"] + rng.randint(-1, 1))
    figures["cooperatives_with_party_org"] = min(
        figures["cooperatives"], before["cooperatives_with_party_org"] + rng.randint(0, 1)
    )
    figures["collective_income"] = max(
        Decimal("0.5"),
        (before["collective_income"] * Decimal(rng.uniform(0.85, 1.3))).quantize(Decimal("0.01")),
    )
    figures["venue_area"] = before["venue_area"]
    figures["venue_condition"] = before["venue_condition"]
    return figures


def _aware(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _frozen(sheet, figures, as_of):
    for name in derived.FIELDS:
        value = figures[name]
        setattr(
            sheet, name, "" if value is None and name in ("secretary_name", "secretary_education") else value
        )
    sheet.derived_as_of = as_of


def _year_2025(villages, figures, townships):
    registry = derived.registry_figures([v.pk for v in villages], CONFIRMED_2025)
    sheets = []
    for v in villages:
        sheet = IndicatorSheet(
            village=v,
            county_id=v.township.county_id,
            township_id=v.township_id,
            year=2025,
            status=Status.CONFIRMED,
            confirmed_at=_aware(CONFIRMED_2025, 10),
            confirmed_by=townships.get(v.township_id),
            **figures[v.pk],
        )
        _frozen(sheet, registry.get(v.pk) or derived.empty(), CONFIRMED_2025)
        sheets.append(sheet)
    IndicatorSheet.objects.bulk_create(sheets)
    events = []
    for sheet in IndicatorSheet.objects.filter(year=2025, village__in=villages):
        actor = townships.get(sheet.township_id)
        events.append(SheetEvent(sheet=sheet, actor=actor, action=Action.SAVED, to_status=Status.DRAFT))
        events.append(
            SheetEvent(
                sheet=sheet,
                actor=actor,
                action=Action.CONFIRMED,
                from_status=Status.DRAFT,
                to_status=Status.CONFIRMED,
                comment=CONFIRMED_2025.isoformat(),
            )
        )
    SheetEvent.objects.bulk_create(events)


def _year_2026(rng, villages, figures_2025, townships, secretaries):
    today = timezone.localdate()
    confirmed_on = min(today, datetime.date(2026, 12, 1))
    by_township = {}
    for v in villages:
        by_township.setdefault(v.township.code, []).append(v)
    registry = derived.registry_figures([v.pk for v in villages], confirmed_on)
    sheets, plans = [], []
    for index, (_code, group) in enumerate(sorted(by_township.items())):
        share = PROGRESS_2026[index % len(PROGRESS_2026)]
        done = round(len(group) * share)
        for position, v in enumerate(group):
            figures = _next_year(rng, figures_2025[v.pk])
            if position < done:
                status = Status.CONFIRMED
            else:
                status = _pick(rng, ((Status.SUBMITTED, 35), (Status.DRAFT, 35), (None, 30)))
            if status is None:
                continue
            if status == Status.DRAFT:
                # Half filled in: the later figures are still empty.
                for name in list(figures)[rng.randint(4, 12) :]:
                    figures[name] = "" if name == "venue_condition" else None
            sheet = IndicatorSheet(
                village=v,
                county_id=v.township.county_id,
                township_id=v.township_id,
                year=2026,
                status=status,
                **figures,
            )
            if status == Status.CONFIRMED:
                sheet.confirmed_at = _aware(confirmed_on, 16)
                sheet.confirmed_by = townships.get(v.township_id)
                _frozen(sheet, registry.get(v.pk) or derived.empty(), confirmed_on)
            elif status == Status.SUBMITTED:
                sheet.submitted_at = _aware(confirmed_on, 9)
            sheets.append(sheet)
            plans.append(status)
    IndicatorSheet.objects.bulk_create(sheets)
    events = []
    for sheet in IndicatorSheet.objects.filter(year=2026, village__in=villages).select_related("village"):
        filler = secretaries.get(sheet.village_id) if sheet.status != Status.CONFIRMED else None
        events.append(
            SheetEvent(
                sheet=sheet,
                actor=filler or townships.get(sheet.township_id),
                action=Action.SAVED,
                to_status=Status.DRAFT,
            )
        )
        if sheet.status == Status.SUBMITTED:
            events.append(
                SheetEvent(
                    sheet=sheet,
                    actor=filler,
                    action=Action.SUBMITTED,
                    from_status=Status.DRAFT,
                    to_status=Status.SUBMITTED,
                )
            )
        if sheet.status == Status.CONFIRMED:
            events.append(
                SheetEvent(
                    sheet=sheet,
                    actor=townships.get(sheet.township_id),
                    action=Action.CONFIRMED,
                    from_status=Status.DRAFT,
                    to_status=Status.CONFIRMED,
                    comment=sheet.derived_as_of.isoformat(),
                )
            )
    SheetEvent.objects.bulk_create(events)

"""What the indicators add to other apps' pages (see campaign/panels.py).

- ``village_detail``: the village's sheets over the years (key figures, status, targets met);
- ``self_report``: the year's sheet beside the self-report, and (annotations) beside each rubric
  indicator that asks for one of its figures, the figure with its source and its target: the
  evidence the rubric expects (e.g. 后备干部不少于2名) answered from the sheet;
- ``todo``: a township's sheets to confirm, a village's sheet to fill in.
"""

from django.utils import timezone

from campaign.panels import Panel
from campaign.roles import COUNTY_ROLES, Role
from indicators import targets as target_rules
from indicators.figures import indicator_set, village_figures
from indicators.models import CollectionWindow, IndicatorSheet, Target
from indicators.rollups import trend_years
from villages.models import Village

VILLAGE_FIGURES = (
    "members",
    "members_under_35_share",
    "new_members",
    "activists",
    "reserve_cadres",
    "is_secretary_and_director",
    "cooperative_coverage",
    "collective_income",
    "training_days",
)
# Rubric indicators are the county's text, in Chinese: a phrase in it names the sheet's figures
# that answer it. The first phrases found decide (in this order).
RUBRIC_PHRASES = (
    ("后备干部", ("reserve_cadres",)),
    ("积极分子", ("activists", "new_members", "new_members_under_35")),
    ("发展党员", ("new_members", "new_members_under_35")),
    ("一肩挑", ("is_secretary_and_director",)),
    ("交叉任职", ("cross_appointed", "cross_appointed_share")),
    ("两委", ("is_secretary_and_director", "committee_members", "cross_appointed_share")),
    ("三会一课", ("branch_congresses", "committee_meetings", "group_meetings", "party_lessons")),
    ("年度培训", ("training_days",)),
    ("干部培训", ("training_days",)),
    ("集体经济", ("collective_income",)),
    ("合作社", ("cooperatives", "cooperatives_with_party_org", "cooperative_coverage")),
    ("活动场所", ("venue_area", "venue_condition")),
    ("阵地", ("venue_area", "venue_condition")),
    ("第一书记", ("has_first_secretary", "working_group_members")),
    ("驻村", ("has_first_secretary", "working_group_members")),
)


def _readers(user):
    return user.role in (*COUNTY_ROLES, Role.TOWNSHIP, Role.VILLAGE, Role.CITY)


def village_sheets(*, request, obj, **extra):
    """The village page: its sheets over the years (newest last), a column per year."""
    user = request.user
    if not _readers(user):
        return None
    county_id = obj.township.county_id
    years = set(trend_years(county_id, timezone.localdate().year + 1))
    years |= set(IndicatorSheet.objects.filter(village=obj).values_list("year", flat=True))
    years = sorted(years)[-5:]
    if not years:
        return None
    indicators = indicator_set(county_id)
    villages = Village.objects.filter(pk=obj.pk)
    targets = {}
    for target in Target.objects.filter(county_id=county_id, year__in=years):
        targets.setdefault(target.year, []).append(target)
    columns = []
    for year in years:
        row = village_figures(villages, year, county_ids=[county_id])[0]
        states = [target_rules.village_state(t, row.values)[0] for t in targets.get(year, [])]
        columns.append(
            {
                "year": year,
                "row": row,
                "met": states.count(target_rules.MET),
                "judged": len([s for s in states if s != target_rules.NO_DATA]),
                "targets": len(states),
            }
        )
    lines = []
    for code in VILLAGE_FIGURES:
        definition = indicators.get(code)
        if definition is not None:
            lines.append((definition, [c["row"].values.get(code) for c in columns]))
    return Panel(
        template="indicators/panels/village_sheets.html",
        context={"village": obj, "columns": columns, "lines": lines},
        order=40,
    )


def _self_report_figures(request, appraisal):
    """``(row, indicators, year's targets)`` of the appraised village's sheet, cached on the request."""
    cache = request.__dict__.setdefault("_indicator_self_report", {})
    if appraisal.pk not in cache:
        county_id = appraisal.county_id
        year = appraisal.campaign.year
        row = village_figures(Village.objects.filter(pk=appraisal.village_id), year, county_ids=[county_id])[
            0
        ]
        targets = list(Target.objects.filter(county_id=county_id, year=year).order_by("order", "id"))
        cache[appraisal.pk] = (row, indicator_set(county_id), targets)
    return cache[appraisal.pk]


def self_report_figures(*, request, obj, **extra):
    """Under the self-report: the sheet of the campaign's year, key figures with their targets."""
    if obj.track != "village" or obj.village_id is None or not _readers(request.user):
        return None
    row, indicators, targets = _self_report_figures(request, obj)
    if (
        row.status is None
        and not CollectionWindow.objects.filter(county_id=obj.county_id, year=row.year).exists()
    ):
        return None
    items = []
    for code in VILLAGE_FIGURES:
        definition = indicators.get(code)
        if definition is not None:
            items.append(_note(definition, row, indicators, targets))
    return Panel(
        template="indicators/panels/self_report.html",
        context={"row": row, "items": items, "year": obj.campaign.year},
        order=40,
    )


def _note(definition, row, indicators, targets):
    judged = [
        {
            "state": target_rules.village_state(t, row.values)[0],
            "text": target_rules.describe(t, indicators),
            "share": t.kind == Target.Kind.SHARE_OF_VILLAGES,
        }
        for t in targets
        if t.indicator == definition.code and t.kind != Target.Kind.RATIO_OF_SUMS
    ]
    return {"definition": definition, "value": row.values.get(definition.code), "targets": judged}


def rubric_codes(text):
    """The sheet's figures a rubric indicator's text asks for (by the phrases in RUBRIC_PHRASES)."""
    codes = []
    for phrase, found in RUBRIC_PHRASES:
        if phrase in text:
            codes.extend(c for c in found if c not in codes)
    return codes


def self_report_annotation(*, request, obj, item, **extra):
    """Beside a rubric indicator of the self-report that asks for sheet figures: those figures."""
    if obj.track != "village" or obj.village_id is None or not _readers(request.user):
        return None
    codes = rubric_codes(item.text)
    if not codes:
        return None
    row, indicators, targets = _self_report_figures(request, obj)
    notes = [_note(indicators.get(code), row, indicators, targets) for code in codes if indicators.get(code)]
    if not notes:
        return None
    return Panel(
        template="indicators/panels/annotation.html",
        context={"row": row, "notes": notes, "year": obj.campaign.year},
    )


def todo(*, request, obj, **extra):
    """A township's sheets to confirm and a village's sheet to fill in, while the year's collection runs."""
    user = obj
    if user.role not in (Role.TOWNSHIP, Role.VILLAGE) or not user.county_id:
        return None
    today = timezone.localdate()
    window = (
        CollectionWindow.objects.filter(
            county_id=user.county_id, opens_on__lte=today, year__gte=today.year - 1
        )
        .order_by("-year")
        .first()
    )
    if window is None:
        return None
    items = []
    if user.role == Role.TOWNSHIP:
        sheets = IndicatorSheet.objects.filter(township_id=user.township_id, year=window.year)
        villages = Village.objects.filter(township_id=user.township_id).count()
        confirmed = sheets.filter(status=IndicatorSheet.Status.CONFIRMED).count()
        submitted = sheets.filter(status=IndicatorSheet.Status.SUBMITTED).count()
        if confirmed >= villages:
            return None
        items.append(
            {
                "kind": "township",
                "open": villages - confirmed,
                "villages": villages,
                "submitted": submitted,
                "url_args": (user.township_id,),
            }
        )
    else:
        sheet = IndicatorSheet.objects.filter(village_id=user.village_id, year=window.year).first()
        status = sheet.status if sheet else None
        if status in (IndicatorSheet.Status.SUBMITTED, IndicatorSheet.Status.CONFIRMED):
            return None
        if window.has_closed(today):
            return None
        items.append({"kind": "village", "sheet": sheet, "village_id": user.village_id})
    return Panel(
        template="indicators/panels/todo.html",
        context={"items": items, "window": window, "late": window.has_closed(today)},
        order=40,
    )

"""Roll-up pages: a township's villages, a county with its townships and trend, a city's counties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, role_required
from campaign.roles import COUNTY_ROLES, Role
from indicators import rollups, services, targets
from indicators.catalogue import BY_CODE
from indicators.forms import ImportSheetsForm
from indicators.models import IndicatorSheet, Target
from indicators.views.common import Years, default_year
from villages.selectors import counties_for, county_ids_for, townships_for, villages_for

ROW_FIGURES = ("members", "activists", "new_members_under_35", "reserve_cadres", "is_secretary_and_director")


@login_required
def home(request):
    """Each role's way in: the village its sheet, the township its villages, the county and city roll-ups."""
    user = request.user
    if user.role == Role.VILLAGE:
        return redirect("indicators:sheet", user.village_id, default_year([user.county_id]))
    if user.role == Role.TOWNSHIP:
        return redirect("indicators:township", user.township_id)
    if user.role in COUNTY_ROLES:
        return redirect("indicators:county")
    if user.role == Role.CITY:
        return redirect("indicators:city")
    raise PermissionDenied


def _village_targets(rollup, definitions=()):
    """Per village row: its figures in ``definitions`` and the targets (per village and share) it misses."""
    tested = [
        t
        for t in rollup.targets
        if t.kind != Target.Kind.RATIO_OF_SUMS and rollup.indicators.get(t.indicator)
    ]
    for row in rollup.rows:
        row.cells = [(d, row.values.get(d.code)) for d in definitions]
        row.missed = []
        for target in tested:
            state, _value = targets.village_state(target, row.values)
            if state == targets.NOT_MET:
                row.missed.append(targets.describe_test(target, rollup.indicators))


def _results(rollup):
    return [
        {
            "result": r,
            "text": targets.describe(r.target, rollup.indicators),
            "short": targets.short(r.target, rollup.indicators),
            "kind": r.target.get_kind_display(),
        }
        for r in rollup.results
    ]


@role_required(*COUNTY_ROLES, Role.TOWNSHIP, Role.CITY)
def township(request, pk):
    township = get_in_scope(townships_for(request.user), pk=pk)
    county_id = township.county_id
    years = Years(request, [county_id])
    year = years.year
    villages = villages_for(request.user).filter(township_id=township.pk)
    rollup = rollups.township_rollup(county_id, villages, year)
    indicators = rollup.indicators
    row_definitions = [indicators.get(c) for c in ROW_FIGURES if indicators.get(c)]
    _village_targets(rollup, row_definitions)
    user = request.user
    own = user.role == Role.TOWNSHIP or (user.role == Role.COUNTY_ADMIN and user.county_id == county_id)
    return render(
        request,
        "indicators/township.html",
        {
            "township": township,
            "year": year,
            "years": years.choices,
            "rollup": rollup,
            "results": _results(rollup),
            "window": years.window(county_id),
            "row_definitions": row_definitions,
            "can_confirm": user.role == Role.TOWNSHIP,
            "can_excel": own,
            "import_form": ImportSheetsForm() if own else None,
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.TOWNSHIP)
def township_confirm(request, pk):
    """Confirm, in one go, every complete sheet of the township's villages that is not confirmed yet."""
    township = get_in_scope(townships_for(request.user), pk=pk)
    year = Years(request, [township.county_id]).year
    confirmed, skipped = 0, 0
    sheets = IndicatorSheet.objects.filter(
        township=township,
        year=year,
        status__in=(IndicatorSheet.Status.DRAFT, IndicatorSheet.Status.SUBMITTED),
    ).select_related("village__township")
    for sheet in sheets:
        if services.missing_figures(sheet):
            skipped += 1
            continue
        try:
            services.sheet_confirm(sheet=sheet, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            break
        confirmed += 1
    messages.success(
        request,
        _("%(confirmed)s sheets confirmed; %(skipped)s still have empty figures.")
        % {"confirmed": confirmed, "skipped": skipped},
    )
    return redirect(f"{reverse('indicators:township', args=[township.pk])}?year={year}")


def _county_page(request, county):
    user = request.user
    county_id = county.pk
    years = Years(request, [county_id])
    year = years.year
    villages = villages_for(user).filter(township__county_id=county_id)
    whole, townships = rollups.county_rollup(county_id, villages, year)
    trend = rollups.county_trend(county_id, villages, years.trend(county_id), current=whole)
    return render(
        request,
        "indicators/county.html",
        {
            "county": county,
            "year": year,
            "years": years.choices,
            "rollup": whole,
            "results": _results(whole),
            "townships": townships,
            "window": years.window(county_id),
            "trend_years": [y for y, _r in trend],
            "trend": rollups.trend_table(trend),
            "trend_targets": [(y, len(r.met), len(r.results)) for y, r in trend],
            "today": timezone.localdate(),
        },
    )


@role_required(*COUNTY_ROLES)
def county(request):
    return _county_page(request, request.user.county)


@role_required(*COUNTY_ROLES, Role.CITY)
def county_detail(request, pk):
    return _county_page(request, get_in_scope(counties_for(request.user), pk=pk))


CITY_FIGURES = (
    "members_under_35_share",
    "is_secretary_and_director",
    "cooperative_coverage",
    "reserve_cadres",
)


@role_required(Role.CITY)
def city(request):
    user = request.user
    county_ids = county_ids_for(user)
    years = Years(request, county_ids)
    year = years.year
    counties = list(counties_for(user).order_by("code"))
    per_county = rollups.city_rollup(counties, villages_for(user), year, codes=CITY_FIGURES)
    rows = [
        {
            "county": c,
            "rollup": r,
            "figures": [(r.indicators.get(code), r.figure(code)) for code in CITY_FIGURES],
            "missed": [targets.short(x.target, r.indicators) for x in r.not_met],
        }
        for c, r in per_county
    ]
    # The city as a whole: figures over every village (no targets: each county has its own).
    everything = [row for _c, r in per_county for row in r.rows]
    whole = (
        rollups.rollup(everything, per_county[0][1].indicators, [], year, figures=CITY_FIGURES)
        if per_county
        else None
    )
    return render(
        request,
        "indicators/city.html",
        {
            "year": year,
            "years": years.choices,
            "rows": rows,
            "whole": whole,
            "whole_figures": [(BY_CODE[c], whole.figure(c)) for c in CITY_FIGURES] if whole else [],
            "city_definitions": [BY_CODE[c] for c in CITY_FIGURES],
        },
    )

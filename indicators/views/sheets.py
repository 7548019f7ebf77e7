"""A village's sheet of one year: its figures against the targets, the form, the actions, the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope
from campaign.roles import Role
from indicators import services, targets
from indicators.figures import indicator_set, village_figures
from indicators.forms import ReasonForm, SheetForm
from indicators.models import CollectionWindow, IndicatorSheet, SheetEvent
from indicators.selectors import sheets_for, targets_for, window_for
from indicators.views.common import MAX_YEAR, MIN_YEAR
from villages.models import Village
from villages.selectors import villages_for

Status = IndicatorSheet.Status


def _village(request, village_id, year):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return get_in_scope(villages_for(request.user).select_related("township__county"), pk=village_id)


def _rows(indicators, row, sheet_targets, form, editable):
    """The sheet's table: per group, per indicator, its value, its source and its targets."""
    by_indicator = {}
    for target in sheet_targets:
        state, value = targets.village_state(target, row.values)
        by_indicator.setdefault(target.indicator, []).append(
            {
                "target": target,
                "state": state,
                "state_label": targets.STATE_LABELS[state],
                "value": value,
                "text": targets.describe(target, indicators),
                "kind": target.kind,
            }
        )
    groups = []
    for label, definitions in indicators.groups():
        items = []
        for definition in definitions:
            items.append(
                {
                    "definition": definition,
                    "value": row.values.get(definition.code),
                    "field": form[definition.code] if editable and definition.code in form.fields else None,
                    "targets": by_indicator.get(definition.code, []),
                    "is_part": bool(definition.whole),
                }
            )
        groups.append({"label": label, "items": items})
    return groups


def _version(sheet):
    return sheet.updated_at.isoformat() if sheet is not None else ""


def _seen(request):
    """The ``updated_at`` the form was shown with (None: unknown or a new sheet)."""
    import datetime

    raw = request.POST.get("seen", "")
    try:
        return datetime.datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _context(request, village, year, *, form=None):
    user = request.user
    today = timezone.localdate()
    county_id = village.township.county_id
    sheet = IndicatorSheet.objects.filter(village=village, year=year).select_related("confirmed_by").first()
    window = window_for(county_id, year)
    indicators = indicator_set(county_id)
    row = village_figures(Village.objects.filter(pk=village.pk), year, today=today, county_ids=[county_id])[0]
    refusal = services.edit_refusal(user=user, village=village, sheet=sheet, window=window, today=today)
    editable = refusal is None
    if form is None and editable:
        form = SheetForm(initial=row.values, indicators=indicators, derived_values=row.values)
    sheet_targets = targets_for(county_id, year)
    status = sheet.status if sheet else None
    in_own = services.in_scope(user, village)
    actions = {
        "submit": user.role == Role.VILLAGE and in_own and status in (None, Status.DRAFT) and editable,
        "confirm": user.role == Role.TOWNSHIP
        and in_own
        and status in (None, Status.DRAFT, Status.SUBMITTED)
        and services.window_refusal(window, user, today) is None,
        "return": user.role == Role.TOWNSHIP and in_own and status == Status.SUBMITTED,
        "reopen": user.role in services.REOPENERS and in_own and status == Status.CONFIRMED,
    }
    other_years = set(sheets_for(user).filter(village=village).values_list("year", flat=True))
    other_years |= set(CollectionWindow.objects.filter(county_id=county_id).values_list("year", flat=True))
    other_years = sorted(other_years | {year}, reverse=True)
    events = list(sheet.events.select_related("actor").order_by("-created_at", "-id")) if sheet else []
    return {
        "village": village,
        "year": year,
        "sheet": sheet,
        "status": status,
        "status_label": Status(status).label if status else _("not started"),
        "window": window,
        "row": row,
        "indicators": indicators,
        "groups": _rows(indicators, row, sheet_targets, form, editable),
        "form": form,
        "editable": editable,
        "refusal": refusal,
        "actions": actions,
        "reason_form": ReasonForm(),
        "other_years": other_years,
        "events": events,
        "today": today,
        "late": bool(window and window.has_closed(today) and status != Status.CONFIRMED),
        "missing": services.missing_figures(sheet) if sheet else [str(d.name) for d in indicators.entered],
        # The version the form was filled from: a save over someone else's newer one is refused.
        "seen": request.POST.get("seen", "") if form is not None and form.is_bound else _version(sheet),
    }


@login_required
def sheet_detail(request, village_id, year):
    """GET: the sheet; POST: save the entered figures (township, or the village for its own)."""
    village = _village(request, village_id, year)
    if request.method != "POST":
        return render(request, "indicators/sheet.html", _context(request, village, year))
    if request.user.role not in services.EDITORS:
        raise PermissionDenied
    indicators = indicator_set(village.township.county_id)
    row = village_figures(Village.objects.filter(pk=village.pk), year)[0]
    form = SheetForm(request.POST, indicators=indicators, derived_values=row.values)
    if form.is_valid():
        try:
            services.sheet_save(
                village=village,
                year=year,
                values=form.builtin_values(),
                extras=form.extra_values(),
                user=request.user,
                expected_updated=_seen(request),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for code, problems in error.error_dict.items():
                    form.add_error(code if code in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The figures were saved."))
            if request.POST.get("then") == "submit":
                return sheet_action(request, village_id, year, "submit")
            if request.POST.get("then") == "confirm":
                return sheet_action(request, village_id, year, "confirm")
            return redirect("indicators:sheet", village.pk, year)
    context = _context(request, village, year, form=form)
    return render(request, "indicators/sheet.html", context, status=400)


ACTIONS = ("submit", "confirm", "return", "reopen")


@require_POST
@login_required
def sheet_action(request, village_id, year, action):
    """Submit (village), confirm or return (township), reopen (township or county administrator)."""
    village = _village(request, village_id, year)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    sheet = IndicatorSheet.objects.filter(village=village, year=year).first()
    if (
        action == "confirm"
        and sheet is None
        and user.role == Role.TOWNSHIP
        and services.in_scope(user, village)
    ):
        messages.error(request, _("Enter the figures before confirming the sheet."))
        return redirect("indicators:sheet", village.pk, year)
    if sheet is None:
        if user.role in (Role.TOWNSHIP, Role.VILLAGE, Role.COUNTY_ADMIN):
            messages.error(request, _("This sheet has no figures yet."))
            return redirect("indicators:sheet", village.pk, year)
        raise PermissionDenied
    try:
        if action == "submit":
            services.sheet_submit(sheet=sheet, user=user)
            messages.success(request, _("The sheet was submitted to the township."))
        elif action == "confirm":
            services.sheet_confirm(sheet=sheet, user=user)
            messages.success(request, _("The sheet is confirmed; its registry figures are frozen."))
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give a reason."))
            if action == "return":
                services.sheet_return(sheet=sheet, user=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The sheet was returned to the village."))
            else:
                services.sheet_reopen(sheet=sheet, user=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The sheet was reopened."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("indicators:sheet", village.pk, year)


def event_label(event):
    return SheetEvent.Action(event.action).label

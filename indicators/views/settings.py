"""The county administrator's settings: the year's collection window, its targets, the indicators in use."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, role_required
from campaign.roles import Role
from indicators import catalogue, services, targets
from indicators.figures import indicator_set
from indicators.forms import ExtraIndicatorForm, TargetForm, WindowForm
from indicators.models import ExtraIndicator, IndicatorSetting, Target
from indicators.selectors import window_for
from indicators.views.common import Years


def _url(year, anchor=""):
    return f"{reverse('indicators:settings')}?year={year}{anchor}"


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _context(request, year, **forms):
    county = request.user.county
    indicators = indicator_set(county.pk)
    window_years = Years(None, [county.pk]).windows
    window = next((w for w in window_years if w.year == year), None)
    year_targets = list(Target.objects.filter(county=county, year=year).order_by("order", "id"))
    off = set(IndicatorSetting.objects.filter(county=county, enabled=False).values_list("code", flat=True))
    context = {
        "county": county,
        "year": year,
        "years": sorted({w.year for w in window_years} | {year}, reverse=True),
        "window": window,
        "window_form": forms.get("window_form") or WindowForm(instance=window),
        "targets": [(t, targets.describe(t, indicators)) for t in year_targets],
        "target_form": forms.get("target_form") or TargetForm(indicators=indicators),
        "builtins": [(d, d.code not in off) for d in catalogue.DEFINITIONS if not d.is_computed],
        "extras": list(ExtraIndicator.objects.filter(county=county).order_by("order", "id")),
        "extra_form": forms.get("extra_form") or ExtraIndicatorForm(indicators=indicators),
        "editing_target": forms.get("editing_target"),
        "editing_extra": forms.get("editing_extra"),
    }
    return context


@role_required(Role.COUNTY_ADMIN)
def settings_page(request):
    year = Years(request, [request.user.county_id]).year
    return render(request, "indicators/settings.html", _context(request, year))


def _year(request):
    return Years(request, [request.user.county_id]).year


@require_POST
@role_required(Role.COUNTY_ADMIN)
def window_edit(request):
    year = _year(request)
    form = WindowForm(request.POST, instance=window_for(request.user.county_id, year))
    if form.is_valid():
        try:
            services.window_save(
                county=request.user.county,
                year=year,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The collection window of %(year)s was saved.") % {"year": year})
            return redirect(_url(year))
    return render(request, "indicators/settings.html", _context(request, year, window_form=form), status=400)


@role_required(Role.COUNTY_ADMIN)
def target_edit(request, pk=None):
    """Add a target to the year (no ``pk``) or change one; GET shows the form filled in."""
    user = request.user
    target = get_in_scope(Target.objects.filter(county_id=user.county_id), pk=pk) if pk else None
    year = target.year if target else _year(request)
    indicators = indicator_set(user.county_id)
    if request.method != "POST":
        form = TargetForm(instance=target, indicators=indicators)
        return render(
            request,
            "indicators/settings.html",
            _context(request, year, target_form=form, editing_target=target),
        )
    form = TargetForm(request.POST, instance=target, indicators=indicators)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TargetForm.Meta.fields}
        try:
            services.target_save(user=user, county=user.county, year=year, target=target, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(_url(year, "#targets"))
    context = _context(request, year, target_form=form, editing_target=target)
    return render(request, "indicators/settings.html", context, status=400)


@require_POST
@role_required(Role.COUNTY_ADMIN)
def target_delete(request, pk):
    target = get_in_scope(Target.objects.filter(county_id=request.user.county_id), pk=pk)
    year = target.year
    services.target_delete(user=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect(_url(year, "#targets"))


@require_POST
@role_required(Role.COUNTY_ADMIN)
def switches(request):
    """Switch built-in indicators on and off (the checked boxes are those in use)."""
    year = _year(request)
    checked = set(request.POST.getlist("enabled"))
    for definition in catalogue.DEFINITIONS:
        if definition.is_computed:
            continue
        services.setting_save(
            user=request.user,
            county=request.user.county,
            code=definition.code,
            enabled=definition.code in checked,
        )
    messages.success(request, _("The indicators in use were saved."))
    return redirect(_url(year, "#indicators"))


@role_required(Role.COUNTY_ADMIN)
def extra_edit(request, pk=None):
    user = request.user
    extra = get_in_scope(ExtraIndicator.objects.filter(county_id=user.county_id), pk=pk) if pk else None
    year = _year(request)
    indicators = indicator_set(user.county_id)
    if request.method != "POST":
        form = ExtraIndicatorForm(instance=extra, indicators=indicators)
        return render(
            request, "indicators/settings.html", _context(request, year, extra_form=form, editing_extra=extra)
        )
    form = ExtraIndicatorForm(request.POST, instance=extra, indicators=indicators)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ExtraIndicatorForm.Meta.fields}
        try:
            services.extra_save(user=user, county=user.county, extra=extra, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The county's indicator was saved."))
            return redirect(_url(year, "#extras"))
    context = _context(request, year, extra_form=form, editing_extra=extra)
    return render(request, "indicators/settings.html", context, status=400)

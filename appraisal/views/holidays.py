"""The holiday calendar page: county administrators keep the statutory holidays and make-up working days."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from appraisal import services
from appraisal.forms import DateInput
from appraisal.holidays import Holiday
from appraisal.views.common import parse_id
from campaign.access import get_in_scope, role_required
from campaign.roles import Role


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("Please choose"))] + Holiday.Kind.choices
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)


def _year(request):
    raw = request.GET.get("year", "")
    if parse_id(raw) is not None and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _page(request, year, form, editing=None, status=200):
    rows = Holiday.objects.filter(date__year=year).select_related("updated_by")
    years = dict(
        Holiday.objects.values_list("date__year")
        .annotate(n=Count("id"), workdays=Count("id", filter=Q(kind=Holiday.Kind.WORKDAY)))
        .values_list("date__year", "workdays")
    )
    this_year = timezone.localdate().year
    shown = sorted({*years, this_year, this_year + 1, year})
    return render(
        request,
        "appraisal/holiday_list.html",
        {
            "year": year,
            "rows": rows,
            "years": shown,
            # A year without any make-up working day has most likely not been completed from the
            # State Council's arrangement (every recent year has some).
            "incomplete": years.get(year, 0) == 0,
            "empty": not rows,
            "form": form,
            "editing": editing,
        },
        status=status,
    )


@role_required(Role.COUNTY_ADMIN)
def holiday_list(request):
    """The calendar of one year, with the form to add a day (or change the one being edited)."""
    year = _year(request)
    editing = None
    edit_id = request.GET.get("edit", "")
    if parse_id(edit_id) is not None:
        editing = get_in_scope(Holiday.objects.all(), pk=edit_id)
        year = editing.date.year
    if request.method == "POST":
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                saved = services.holiday_save(user=request.user, holiday=editing, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("%(date)s (%(name)s) is in the calendar as %(kind)s.")
                    % {
                        "date": f"{saved.date:%Y-%m-%d}",
                        "name": saved.name,
                        "kind": saved.get_kind_display(),
                    },
                )
                return redirect(f"{request.path}?year={saved.date.year}")
        return _page(request, year, form, editing, status=400)
    initial = {}
    if editing is not None:
        initial = {"date": editing.date, "kind": editing.kind, "name": editing.name}
    else:
        initial = {"date": datetime.date(year, 1, 1) if year != timezone.localdate().year else None}
    return _page(request, year, HolidayForm(initial=initial), editing)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def holiday_delete(request, pk):
    holiday = get_in_scope(Holiday.objects.all(), pk=pk)
    services.holiday_delete(user=request.user, holiday=holiday)
    messages.success(
        request,
        _("%(date)s (%(name)s) was removed from the calendar.")
        % {"date": f"{holiday.date:%Y-%m-%d}", "name": holiday.name},
    )
    return redirect(f"{reverse('appraisal:holiday_list')}?year={holiday.date.year}")

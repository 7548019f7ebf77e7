"""Progress reports: list, detail, comparison, taking one now."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, role_required
from campaign.models import Campaign
from campaign.reports import sections
from campaign.reports.documents import report_view_model
from campaign.reports.forms import CompareForm
from campaign.reports.selectors import previous_report, reports_for
from campaign.reports.services import report_take
from campaign.roles import COUNTY_ROLES, Role

VIEWERS = (*COUNTY_ROLES, Role.CITY)


@role_required(*VIEWERS)
def report_list(request):
    reports = reports_for(request.user).order_by("-taken_at", "-id")
    page = Paginator(reports, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "page_obj": page,
            "compare_form": CompareForm(reports=reports_for(request.user)),
            "can_take": request.user.role == Role.COUNTY_ADMIN,
        },
    )


@role_required(*VIEWERS)
def report_detail(request, pk):
    report = get_in_scope(reports_for(request.user), pk=pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "previous": previous_report(report),
            **report_view_model(report.data),
            # Sections other apps add (campaign/reports/sections.py), from the report's frozen figures.
            "extra_sections": [
                {"section": section, "figures": figures, "number": ""}
                for section, figures in sections.for_display(report.data, where="report")
            ],
        },
    )


def _township_table(data):
    return {t["id"]: t for t in data.get("townships", [])}


@role_required(*VIEWERS)
def report_compare(request):
    reports = reports_for(request.user)
    form = CompareForm(request.GET or None, reports=reports)
    if not form.is_valid():
        return render(request, "reports/report_compare.html", {"form": form})
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    if a.taken_at > b.taken_at:
        a, b = b, a
    stages = b.data.get("stages", [])
    before, after = _township_table(a.data), _township_table(b.data)
    rows = []
    for tid, t in after.items():
        old = before.get(tid, {})
        rows.append(
            {
                "name": t["name"],
                "cells": [
                    (t.get("by_stage", {}).get(s["key"], 0), old.get("by_stage", {}).get(s["key"], 0))
                    for s in stages
                ],
                "late": (t.get("late", 0), old.get("late", 0)),
            }
        )
    for row in rows:
        row["cells"] = [{"now": now, "delta": now - then} for now, then in row["cells"]]
        row["late"] = {"now": row["late"][0], "delta": row["late"][0] - row["late"][1]}
    return render(
        request, "reports/report_compare.html", {"form": form, "a": a, "b": b, "stages": stages, "rows": rows}
    )


# Outside the request's transaction: the report opens its own at REPEATABLE READ (one snapshot).
@transaction.non_atomic_requests
@require_POST
@role_required(Role.COUNTY_ADMIN)
def report_take_now(request):
    campaign = (
        Campaign.objects.filter(county_id=request.user.county_id)
        .select_related("county")
        .order_by("-year")
        .first()
    )
    if campaign is None:
        messages.error(request, _("There is no campaign to report on yet."))
        return redirect("reports:report_list")
    report, created = report_take(campaign=campaign, user=request.user, refresh=True)
    if created:
        messages.success(request, _("The report for %(period)s was taken.") % {"period": report.period})
    else:
        messages.success(
            request, _("The report for %(period)s was brought up to date.") % {"period": report.period}
        )
    return redirect("reports:report_detail", pk=report.pk)

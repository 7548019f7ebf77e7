"""Dashboards: county (or organizer's area), township, departments, city roll-up; printable."""

from django.shortcuts import render
from django.utils import timezone

from campaign.access import role_required
from campaign.roles import COUNTY_ROLES, Role
from campaign.steering import dashboards
from campaign.steering.views.common import campaign_choice
from villages.selectors import townships_for

DASHBOARD_ROLES = (*COUNTY_ROLES, Role.TOWNSHIP, Role.DEPARTMENT, Role.CITY)


def _base(request):
    return "steering/print_base.html" if request.GET.get("print") == "1" else "base.html"


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    user = request.user
    if user.role == Role.CITY:
        return city_dashboard(request)
    if user.role == Role.DEPARTMENT:
        return department_dashboard(request)
    campaign, campaigns = campaign_choice(request)
    context = {
        "campaign": campaign,
        "campaigns": campaigns,
        "base_template": _base(request),
        "today": timezone.localdate(),
        "print_mode": request.GET.get("print") == "1",
    }
    if user.role == Role.TOWNSHIP:
        if campaign is not None:
            context["data"] = dashboards.township_dashboard(user, campaign)
        return render(request, "steering/dashboard_township.html", context)
    township_id = request.GET.get("township", "")
    townships = list(townships_for(user).values_list("id", "name"))
    township_id = int(township_id) if township_id.isdigit() else None
    if township_id is not None and township_id not in {t[0] for t in townships}:
        township_id = None  # a township outside the scope is simply not a filter
    context.update({"townships": townships, "township_id": township_id})
    if campaign is not None:
        context["data"] = dashboards.county_dashboard(user, campaign, township_id=township_id)
    return render(request, "steering/dashboard_county.html", context)


@role_required(*COUNTY_ROLES, Role.DEPARTMENT)
def department_dashboard(request):
    campaign, campaigns = campaign_choice(request)
    context = {
        "campaign": campaign,
        "campaigns": campaigns,
        "base_template": _base(request),
        "print_mode": request.GET.get("print") == "1",
    }
    if campaign is not None:
        context["data"] = dashboards.department_dashboard(request.user, campaign)
    return render(request, "steering/dashboard_departments.html", context)


@role_required(Role.CITY)
def city_dashboard(request):
    from campaign.models import Campaign

    years = list(
        Campaign.objects.filter(county__city_id=request.user.city_id)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    context = {
        "years": years,
        "year": year,
        "base_template": _base(request),
        "print_mode": request.GET.get("print") == "1",
    }
    if year is not None:
        context["data"] = dashboards.city_rollup(request.user, year)
    return render(request, "steering/dashboard_city.html", context)

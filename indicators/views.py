"""Pages of the village indicators."""

from campaign.access import role_required
from campaign.roles import COUNTY_ROLES, Role


@role_required(*COUNTY_ROLES, Role.TOWNSHIP, Role.VILLAGE, Role.CITY)
def home(request, **kwargs):
    from django.shortcuts import render

    return render(request, "base.html", {})

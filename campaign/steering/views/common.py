"""Small helpers shared by the steering views."""

from django.conf import settings
from django.core.paginator import Paginator

from campaign.net import client_ip  # noqa: F401 - the views record it on every event


def paginate(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def campaign_choice(request, value=None):
    """The campaign chosen (``?campaign=`` or ``value``) among the user's, else the latest."""
    from appraisal.selectors import campaigns_for

    campaigns = list(campaigns_for(request.user).select_related("county").order_by("-year", "county__code"))
    chosen = str(value if value is not None else request.GET.get("campaign", ""))
    if chosen.isdigit():
        for campaign in campaigns:
            if campaign.pk == int(chosen):
                return campaign, campaigns
    return (campaigns[0] if campaigns else None), campaigns

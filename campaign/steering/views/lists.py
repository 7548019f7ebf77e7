"""The lists behind the dashboard figures (appraisals, titles) and their Excel exports.

Both lists read through the appraisal app's scoping selectors, so that the page, the export and the
dashboard figure that links to them always agree.
"""

import datetime

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.access import role_required
from campaign.roles import COUNTY_ROLES, Role
from campaign.steering.dashboards import EXPIRY_WINDOW_DAYS, late_statuses
from campaign.steering.models import Classification
from campaign.steering.services import settings_for
from campaign.steering.views.common import paginate, query_string_without_page
from campaign.steering.xlsx import xlsx_response

LIST_ROLES = (*COUNTY_ROLES, Role.TOWNSHIP, Role.DEPARTMENT, Role.CITY, Role.VILLAGE)


def _int(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def appraisal_filters(request):
    """The appraisal list's filters, applied to the user's scoped appraisals: (queryset, chosen, campaign)."""
    from appraisal.models import Appraisal, Track
    from appraisal.selectors import appraisals_for, campaigns_for

    user = request.user
    qs = appraisals_for(user).select_related("campaign", "township", "village", "department", "county")
    chosen = {}
    campaign = None
    campaign_id = _int(request, "campaign")
    if campaign_id:
        campaign = campaigns_for(user).filter(pk=campaign_id).first()
        qs = qs.filter(campaign_id=campaign_id)
        chosen["campaign"] = campaign_id
    year = _int(request, "year")
    if year:
        qs = qs.filter(campaign__year=year)
        chosen["year"] = year
    for name, lookup in (("county", "county_id"), ("township", "township_id"), ("stars", "star_count")):
        value = _int(request, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
            chosen[name] = value
    track = request.GET.get("track", "")
    if track in Track.values:
        qs = qs.filter(track=track)
        chosen["track"] = track
    status = request.GET.get("status", "")
    if status in Appraisal.Status.values:
        qs = qs.filter(status=status)
        chosen["status"] = status
    if request.GET.get("late") == "1" and campaign is not None:
        qs = qs.filter(status__in=late_statuses(campaign, timezone.localdate()))
        chosen["late"] = 1
    classification = request.GET.get("class", "")
    if classification in Classification.values and campaign is not None:
        settings = settings_for(campaign)
        condition = {
            Classification.ADVANCED: Q(final_points__gte=settings.advanced_min),
            Classification.AVERAGE: Q(
                final_points__gte=settings.lagging_below, final_points__lt=settings.advanced_min
            ),
            Classification.LAGGING: Q(final_points__lt=settings.lagging_below),
        }[classification]
        qs = qs.filter(condition)
        chosen["class"] = classification
    qs = qs.order_by(
        "campaign__year", "county__code", "track", "township__code", "village__code", "department__code"
    )
    return qs, chosen, campaign


@role_required(*LIST_ROLES)
def appraisal_list(request):
    from appraisal.models import Appraisal, Track
    from appraisal.selectors import campaigns_for

    qs, chosen, _campaign = appraisal_filters(request)
    return render(
        request,
        "steering/appraisal_list.html",
        {
            "page_obj": paginate(request, qs),
            "chosen": chosen,
            "campaigns": list(campaigns_for(request.user).select_related("county").order_by("-year")),
            "statuses": Appraisal.Status.choices,
            "tracks": Track.choices,
            "classes": Classification.choices,
            "query_string": query_string_without_page(request),
        },
    )


@role_required(*LIST_ROLES)
def appraisal_export(request):
    from appraisal.models import Appraisal, Track

    qs, _chosen, _campaign = appraisal_filters(request)
    status_labels = dict(Appraisal.Status.choices)
    track_labels = dict(Track.choices)
    rows = qs.values_list(
        "campaign__year",
        "county__name",
        "track",
        "township__name",
        "village__name",
        "department__name",
        "status",
        "self_points",
        "township_points",
        "final_points",
        "star_count",
        "satisfaction_rate",
    )

    def generate():
        for year, county, track, township, village, department, status, *rest in rows.iterator(
            chunk_size=2000
        ):
            yield [
                year,
                county,
                str(track_labels.get(track, track)),
                township,
                village or department or township,
                str(status_labels.get(status, status)),
                *rest,
            ]

    return xlsx_response(
        filename=_("appraisals-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
        title=_("Appraisals"),
        headers=[
            _("Year"),
            _("County"),
            _("Track"),
            _("Township"),
            _("Subject"),
            _("Status"),
            _("Self-assessment"),
            _("Township check"),
            _("Final points"),
            _("Stars"),
            _("Satisfaction (%)"),
        ],
        rows=generate(),
        widths=[8, 12, 10, 14, 18, 14, 10, 10, 10, 8, 10],
    )


TITLE_STATES = ("named", "valid", "expiring", "expired", "revoked")


def title_filters(request, today=None):
    from appraisal.models import Title, Track
    from appraisal.selectors import titles_for

    today = today or timezone.localdate()
    qs = titles_for(request.user).select_related("campaign", "township", "village", "department", "county")
    chosen = {}
    state = request.GET.get("state", "")
    V = Title.Status
    if state == "valid":
        qs = qs.filter(status=V.VALID, valid_until__gte=today)
    elif state == "expiring":
        qs = qs.filter(
            status=V.VALID,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS),
        )
    elif state == "expired":
        qs = qs.filter(Q(status=V.EXPIRED) | Q(status=V.VALID, valid_until__lt=today))
    elif state == "revoked":
        qs = qs.filter(status=V.REVOKED)
    if state in TITLE_STATES:
        chosen["state"] = state
    for name, lookup in (
        ("campaign", "campaign_id"),
        ("county", "county_id"),
        ("township", "township_id"),
        ("stars", "star_count"),
    ):
        value = _int(request, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
            chosen[name] = value
    track = request.GET.get("track", "")
    if track in Track.values:
        qs = qs.filter(track=track)
        chosen["track"] = track
    return qs.order_by("valid_until", "id"), chosen


@role_required(*LIST_ROLES)
def title_list(request):
    from appraisal.models import Track

    qs, chosen = title_filters(request)
    return render(
        request,
        "steering/title_list.html",
        {
            "page_obj": paginate(request, qs),
            "chosen": chosen,
            "states": [
                ("named", _("named this round")),
                ("valid", _("valid")),
                ("expiring", _("expiring within 90 days")),
                ("expired", _("expired")),
                ("revoked", _("revoked")),
            ],
            "tracks": Track.choices,
            "query_string": query_string_without_page(request),
            "today": timezone.localdate(),
        },
    )


@role_required(*LIST_ROLES)
def title_export(request):
    from appraisal.models import Title, Track

    qs, _chosen = title_filters(request)
    status_labels = dict(Title.Status.choices)
    track_labels = dict(Track.choices)
    rows = qs.values_list(
        "campaign__year",
        "county__name",
        "track",
        "township__name",
        "village__name",
        "department__name",
        "star_count",
        "named_on",
        "valid_until",
        "status",
        "revoked_on",
        "revoke_reason",
    )

    def generate():
        for year, county, track, township, village, department, *rest in rows.iterator(chunk_size=2000):
            stars, named_on, valid_until, status, revoked_on, reason = rest
            yield [
                year,
                county,
                str(track_labels.get(track, track)),
                township,
                village or department or township,
                stars,
                named_on,
                valid_until,
                str(status_labels.get(status, status)),
                revoked_on,
                reason,
            ]

    return xlsx_response(
        filename=_("titles-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
        title=_("Titles"),
        headers=[
            _("Year"),
            _("County"),
            _("Track"),
            _("Township"),
            _("Subject"),
            _("Stars"),
            _("Named on"),
            _("Valid until"),
            _("Status"),
            _("Revoked on"),
            _("Reason for revocation"),
        ],
        rows=generate(),
        widths=[8, 12, 10, 14, 18, 8, 12, 12, 10, 12, 30],
    )

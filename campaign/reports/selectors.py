"""Reads of reports, briefings and printed documents, always through the user's scope."""

from campaign.reports.models import Briefing, Document, ProgressReport
from campaign.roles import COUNTY_ROLES, Role


def _campaign_filter(user, prefix="campaign__"):
    if user.role in COUNTY_ROLES and user.county_id:
        return {f"{prefix}county_id": user.county_id}
    if user.role == Role.CITY and user.city_id:
        return {f"{prefix}county__city_id": user.city_id}
    return None


def reports_for(user):
    lookup = _campaign_filter(user)
    if lookup is None:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(**lookup).select_related("campaign", "campaign__county")


def briefings_for(user):
    """County staff see their county's briefings; the city sees only published ones."""
    lookup = _campaign_filter(user)
    if lookup is None:
        return Briefing.objects.none()
    qs = Briefing.objects.filter(**lookup).select_related("campaign", "campaign__county", "report")
    if user.role == Role.CITY:
        qs = qs.filter(published=True)
    return qs


def documents_for(user):
    lookup = _campaign_filter(user)
    if lookup is None:
        return Document.objects.none()
    return Document.objects.filter(**lookup).select_related("campaign")


def latest_report(campaign):
    return ProgressReport.objects.filter(campaign=campaign).order_by("-taken_at", "-id").first()


def previous_report(report):
    return (
        ProgressReport.objects.filter(campaign_id=report.campaign_id, taken_at__lt=report.taken_at)
        .order_by("-taken_at", "-id")
        .first()
    )

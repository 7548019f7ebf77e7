"""Reads for steering, always through the user's scope."""

from django.db.models import Count, Q
from django.utils import timezone

from campaign.roles import COUNTY_ROLES, Role
from campaign.steering.models import SupervisionNotice, TownshipRanking

# Roles that may open the notice pages at all; others get 403.
NOTICE_ROLES = (*COUNTY_ROLES, Role.TOWNSHIP, Role.DEPARTMENT)


def notices_for(user):
    """Supervision notices the user may see: county staff their county's, a recipient its own."""
    qs = SupervisionNotice.objects.select_related("township", "department", "issued_by")
    role = user.role
    if role in COUNTY_ROLES:
        return qs.filter(county_id=user.county_id)
    if role == Role.TOWNSHIP:
        return qs.filter(township_id=user.township_id)
    if role == Role.DEPARTMENT:
        return qs.filter(department_id=user.department_id)
    return qs.none()


def overdue_q(today=None):
    today = today or timezone.localdate()
    return Q(status__in=SupervisionNotice.OPEN_STATES, deadline__lt=today)


def notice_list(user, *, status="", township=None, department=None, year=None, overdue=False, q=""):
    """The notice list with its filters; the same function feeds the page and the export."""
    qs = notices_for(user).annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__done_at__isnull=False), distinct=True),
    )
    if status:
        qs = qs.filter(status=status)
    if township:
        qs = qs.filter(township_id=township)
    if department:
        qs = qs.filter(department_id=department)
    if year:
        qs = qs.filter(year=year)
    if overdue:
        qs = qs.filter(overdue_q())
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return qs.order_by("-issued_at", "-id")


def notice_detail(user, pk):
    from campaign.access import get_in_scope

    return get_in_scope(
        notices_for(user).prefetch_related(
            "items", "replies__attachments", "replies__author", "events__user"
        ),
        pk=pk,
    )


def notice_counts(user, today=None):
    """Open, overdue and awaiting-acceptance counts in one query."""
    today = today or timezone.localdate()
    return notices_for(user).aggregate(
        open=Count("id", filter=Q(status__in=SupervisionNotice.OPEN_STATES)),
        overdue=Count("id", filter=overdue_q(today)),
        replied=Count("id", filter=Q(status=SupervisionNotice.Status.REPLIED)),
    )


def rankings_for(user):
    """Township rankings: county staff see their county's (organizers too: rankings are county-wide)."""
    qs = TownshipRanking.objects.select_related("township", "campaign", "organization_member")
    role = user.role
    if role in COUNTY_ROLES:
        return qs.filter(campaign__county_id=user.county_id)
    if role == Role.CITY:
        return qs.filter(campaign__county__city_id=user.city_id)
    if role == Role.TOWNSHIP:
        return qs.filter(township_id=user.township_id)
    return qs.none()

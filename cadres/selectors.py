"""Reads of cadres and positions, always through the user's scope."""

from django.db.models import BooleanField, Case, F, OuterRef, Prefetch, Q, Subquery, Value, When

from cadres.models import Cadre, OrganizerArea, Position
from campaign.roles import Role
from villages.selectors import county_ids_for


def cadres_for(user):
    qs = Cadre.objects.select_related("township", "village", "department")
    role = user.role
    if role in (Role.COUNTY_ADMIN, Role.COUNTY_LEADER):
        return qs.filter(county_id=user.county_id)
    if role == Role.COUNTY_REVIEWER:
        if user.organizer_area_id:
            return qs.filter(township__organizer_areas=user.organizer_area_id)
        return qs.filter(county_id=user.county_id)
    if role == Role.TOWNSHIP:
        return qs.filter(township_id=user.township_id)
    if role == Role.VILLAGE:
        return qs.filter(village_id=user.village_id)
    if role == Role.DEPARTMENT:
        return qs.filter(department_id=user.department_id)
    if role == Role.CITY:
        return qs.filter(county_id__in=county_ids_for(user))  # literal ids: see county_ids_for
    return qs.none()


# Roles whose cadres are exactly those of their counties (``cadres_for`` filters on county only).
WHOLE_COUNTY_ROLES = (Role.COUNTY_ADMIN, Role.COUNTY_LEADER, Role.CITY)


def positions_for(user):
    """Positions of the cadres in scope.

    A position's county is its cadre's (``Position.clean`` and the services set
    it from the cadre, whose county never changes), so narrowing on the user's
    counties changes nothing in the result but lets PostgreSQL use the county
    index instead of scanning every position. For users who see whole counties
    that is the whole scope: no semi-join over every cadre in scope (32,000 for
    a city viewer), which cost ~30 ms per query of the position list.
    """
    qs = Position.objects.filter(county_id__in=county_ids_for(user)).select_related(
        "cadre", "township", "village"
    )
    if user.role in WHOLE_COUNTY_ROLES or (user.role == Role.COUNTY_REVIEWER and not user.organizer_area_id):
        return qs
    return qs.filter(cadre__in=cadres_for(user).values("id"))


def organizer_areas_for(user):
    if user.role in (Role.COUNTY_ADMIN, Role.COUNTY_LEADER, Role.COUNTY_REVIEWER):
        return OrganizerArea.objects.filter(county_id=user.county_id).prefetch_related("townships")
    return OrganizerArea.objects.none()


def can_see_phone(user, cadre):
    """A phone number is shown only to users whose own scope contains the cadre."""
    role = user.role
    if role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER):
        return cadre.county_id == user.county_id
    if role == Role.TOWNSHIP:
        return cadre.township_id == user.township_id
    if role == Role.VILLAGE:
        return cadre.village_id == user.village_id
    if role == Role.DEPARTMENT:
        return cadre.department_id == user.department_id
    return False


def current_positions_prefetch():
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(end_date__isnull=True).select_related("village", "township"),
        to_attr="current_positions",
    )


def annotate_secretary_and_director(villages):
    """Annotate villages with ``is_secretary_and_director`` (一肩挑), derived from sitting positions.

    Two scalar subqueries (the sitting secretary's and director's cadre) compared,
    rather than a nested EXISTS: PostgreSQL plans the EXISTS as a hash over every
    sitting secretary in the database, which costs ~100 ms at province scale even
    for one page of villages; these use the (village, kind, end_date) index per row.
    """
    # No ordering: at most one sitting secretary and director per village (a constraint).
    sitting = Position.objects.filter(village=OuterRef("pk"), end_date__isnull=True).order_by()
    return villages.alias(
        _secretary_cadre=Subquery(sitting.filter(kind=Position.Kind.SECRETARY).values("cadre_id")[:1]),
        _director_cadre=Subquery(sitting.filter(kind=Position.Kind.DIRECTOR).values("cadre_id")[:1]),
    ).annotate(
        is_secretary_and_director=Case(
            When(_secretary_cadre=F("_director_cadre"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def cadre_is_secretary_and_director(cadre):
    current = Position.objects.filter(cadre=cadre, end_date__isnull=True)
    secretary_villages = current.filter(kind=Position.Kind.SECRETARY).values("village")
    return current.filter(Q(kind=Position.Kind.DIRECTOR) & Q(village__in=secretary_villages)).exists()


def sitting_prefetch():
    """A village's sitting secretary and director (``village.sitting``), with their cadres."""
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(
            end_date__isnull=True, kind__in=[Position.Kind.SECRETARY, Position.Kind.DIRECTOR]
        ).select_related("cadre"),
        to_attr="sitting",
    )


def cadre_list(user):
    # Ordered on the cadre's own columns (place ids, then name): PostgreSQL can then
    # pick the page before joining the places, which sorting by their codes prevents.
    return (
        cadres_for(user)
        .prefetch_related(current_positions_prefetch())
        .order_by("county_id", "township_id", "village_id", "name", "id")
    )


def position_list(user):
    return positions_for(user).order_by("-start_date", "id")


def village_positions(village):
    """Every position held in the village, current ones first, with their cadres."""
    return (
        Position.objects.filter(village=village)
        .select_related("cadre")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date")
    )


def township_positions(township):
    """Township-level positions (party secretary, organization committee member) held in ``township``."""
    return (
        Position.objects.filter(township=township, kind__in=Position.TOWNSHIP_KINDS)
        .select_related("cadre")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date")
    )


def visible_cadre_ids(user, cadre_ids):
    """Which of ``cadre_ids`` the user may open, so that pages link only to those."""
    return set(cadres_for(user).filter(id__in=list(cadre_ids)).values_list("id", flat=True))

"""Reads of indicator sheets, targets and windows, always through the user's scope.

Roll-ups live in ``indicators.rollups``; the figures of one sheet in ``indicators.figures``.
"""

from campaign.roles import Role
from indicators.models import CollectionWindow, IndicatorSheet, Target
from villages.selectors import county_ids_for


def sheets_for(user):
    """The sheets a user may read: the one scoping selector of ``IndicatorSheet``."""
    qs = IndicatorSheet.objects.select_related("village", "township")
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
    if role == Role.CITY:
        return qs.filter(county_id__in=county_ids_for(user))
    return qs.none()


def window_for(county_id, year):
    return CollectionWindow.objects.filter(county_id=county_id, year=year).first()


def windows_for_county(county_id):
    return list(CollectionWindow.objects.filter(county_id=county_id).order_by("-year"))


def targets_for(county_id, year):
    return list(Target.objects.filter(county_id=county_id, year=year).order_by("order", "id"))


def new_members_by_year(villages, years):
    """New party members developed per village and year, from the sheets where the figure was entered.

    ``villages``: a queryset of ``Village`` (or of ids, or a list of ids); ``years``: an iterable of
    years. Returns ``{village_id: {year: new_members}}`` with a key only where a sheet of that year
    exists *and* holds the figure (0 included): an absent year means "no data", never "none". One
    query. Confirmed and open sheets alike: see ``indicators/CONTRACT.md``.
    """
    years = list(years)
    result = {}
    if not years:
        return result
    if hasattr(villages, "model") and hasattr(villages, "values"):
        villages = villages.values("id")
    rows = IndicatorSheet.objects.filter(
        village_id__in=villages, year__in=years, new_members__isnull=False
    ).values_list("village_id", "year", "new_members")
    for village_id, year, count in rows:
        result.setdefault(village_id, {})[year] = count
    return result

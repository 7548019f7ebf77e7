"""The figures a sheet derives from the registry: the village's positions as they stood on a date.

A position is held on day D when it started on or before D and has not ended by then (no end date,
or an end date after D): a position ended today no longer counts today. Everything is read in one
grouped query, whatever the number of villages.
"""

import datetime

from django.db.models import Count, Max, Q

from cadres.models import Position

Kind = Position.Kind
SENIOR_OR_MORE = ("senior", "college", "bachelor", "postgraduate")
COMMITTEE_KINDS = (Kind.DIRECTOR, Kind.VILLAGE_COMMITTEE_MEMBER)
KINDS = (
    Kind.SECRETARY,
    Kind.DIRECTOR,
    Kind.VILLAGE_COMMITTEE_MEMBER,
    Kind.RESERVE_CADRE,
    Kind.FIRST_SECRETARY,
    Kind.WORKING_GROUP_MEMBER,
)
# The stored columns of a frozen sheet, in the order of the catalogue.
FIELDS = (
    "reserve_cadres",
    "is_secretary_and_director",
    "secretary_name",
    "secretary_age",
    "secretary_education",
    "secretary_years",
    "committee_members",
    "cross_appointed",
    "has_first_secretary",
    "working_group_members",
)


def as_of_for(year, today):
    """The date a sheet of ``year`` describes while open: today, but never past the year's last day."""
    return min(today, datetime.date(year, 12, 31))


def held_on(day, prefix=""):
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def whole_years(start, day):
    """Completed years from ``start`` to ``day`` (an age, or years in post)."""
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def empty():
    """The figures of a village with no position at all on that day."""
    return {
        "reserve_cadres": 0,
        "is_secretary_and_director": False,
        "secretary_name": "",
        "secretary_age": None,
        "secretary_education": "",
        "secretary_years": None,
        "committee_members": 0,
        "cross_appointed": 0,
        "has_first_secretary": False,
        "working_group_members": 0,
    }


def registry_figures(villages, as_of, county_ids=None):
    """``{village_id: {field: value}}`` for the villages with a position held on ``as_of``.

    ``villages``: a ``Village`` queryset or a list of ids. A village absent from the result held no
    position that day: use ``empty()``. ``county_ids`` narrows the scan to those counties' positions
    (the (county, kind, end_date) index) when the caller knows them.
    """
    if hasattr(villages, "values"):
        villages = villages.values("id")
    positions = Position.objects.filter(held_on(as_of), village_id__in=villages, kind__in=KINDS)
    if county_ids is not None:
        positions = positions.filter(county_id__in=county_ids)
    secretary = Q(kind=Kind.SECRETARY)
    rows = (
        positions.order_by()
        .values("village_id")
        .annotate(
            reserve=Count("cadre", distinct=True, filter=Q(kind=Kind.RESERVE_CADRE)),
            first=Count("id", filter=Q(kind=Kind.FIRST_SECRETARY)),
            group=Count("cadre", distinct=True, filter=Q(kind=Kind.WORKING_GROUP_MEMBER)),
            committee=Count("cadre", distinct=True, filter=Q(kind__in=COMMITTEE_KINDS)),
            cross=Count(
                "cadre",
                distinct=True,
                filter=Q(kind__in=COMMITTEE_KINDS, cadre__party_joined_on__lte=as_of),
            ),
            secretary_id=Max("cadre_id", filter=secretary),
            director_id=Max("cadre_id", filter=Q(kind=Kind.DIRECTOR)),
            secretary_birth=Max("cadre__birth_date", filter=secretary),
            secretary_start=Max("start_date", filter=secretary),
            secretary_education=Max("cadre__education", filter=secretary),
            secretary_name=Max("cadre__name", filter=secretary),
        )
    )
    result = {}
    for row in rows:
        has_secretary = row["secretary_id"] is not None
        result[row["village_id"]] = {
            "reserve_cadres": row["reserve"],
            "is_secretary_and_director": has_secretary and row["secretary_id"] == row["director_id"],
            "secretary_name": row["secretary_name"] or "",
            "secretary_age": whole_years(row["secretary_birth"], as_of) if has_secretary else None,
            "secretary_education": row["secretary_education"] or "",
            "secretary_years": whole_years(row["secretary_start"], as_of) if has_secretary else None,
            "committee_members": row["committee"],
            "cross_appointed": row["cross"],
            "has_first_secretary": row["first"] > 0,
            "working_group_members": row["group"],
        }
    return result


def village_figures_on(village, as_of):
    """The derived figures of one village on ``as_of``."""
    return registry_figures([village.pk], as_of).get(village.pk) or empty()


def stored(sheet_values):
    """The frozen figures of a sheet (a model instance or a ``values()`` dict) as a dict."""
    get = sheet_values.get if isinstance(sheet_values, dict) else lambda name: getattr(sheet_values, name)
    return {name: get(name) for name in FIELDS}

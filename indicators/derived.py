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


_EMPTY = {
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


# What each stored figure needs from the grouped query; the cadre's own columns cost a join per row.
NEEDS = {
    "reserve_cadres": ("reserve",),
    "is_secretary_and_director": ("secretary_id", "director_id"),
    "secretary_name": ("secretary_id", "secretary_name"),
    "secretary_age": ("secretary_id", "secretary_birth"),
    "secretary_education": ("secretary_id", "secretary_education"),
    "secretary_years": ("secretary_id", "secretary_start"),
    "committee_members": ("committee",),
    "cross_appointed": ("cross",),
    "has_first_secretary": ("first",),
    "working_group_members": ("group",),
}


def _aggregates(as_of):
    secretary = Q(kind=Kind.SECRETARY)
    return {
        "reserve": Count("cadre", distinct=True, filter=Q(kind=Kind.RESERVE_CADRE)),
        "first": Count("id", filter=Q(kind=Kind.FIRST_SECRETARY)),
        "group": Count("cadre", distinct=True, filter=Q(kind=Kind.WORKING_GROUP_MEMBER)),
        "committee": Count("cadre", distinct=True, filter=Q(kind__in=COMMITTEE_KINDS)),
        "cross": Count(
            "cadre", distinct=True, filter=Q(kind__in=COMMITTEE_KINDS, cadre__party_joined_on__lte=as_of)
        ),
        "secretary_id": Max("cadre_id", filter=secretary),
        "director_id": Max("cadre_id", filter=Q(kind=Kind.DIRECTOR)),
        "secretary_birth": Max("cadre__birth_date", filter=secretary),
        "secretary_start": Max("start_date", filter=secretary),
        "secretary_education": Max("cadre__education", filter=secretary),
        "secretary_name": Max("cadre__name", filter=secretary),
    }


def registry_figures(villages, as_of, county_ids=None, fields=None):
    """``{village_id: {field: value}}`` for the villages with a position held on ``as_of``.

    ``villages``: a ``Village`` queryset or a list of ids. A village absent from the result held no
    position that day: use ``empty()``. ``county_ids`` narrows the scan to those counties' positions
    (the (county, kind, end_date) index) when the caller knows them. ``fields`` (default: all of
    ``FIELDS``) limits the work to what the caller shows: a roll-up of many villages that needs no
    secretary's age or cross-appointment skips the join to every cadre (a tenth of the time for a
    city); the other fields are then absent.
    """
    if hasattr(villages, "values"):
        villages = villages.values("id")
    fields = FIELDS if fields is None else [f for f in FIELDS if f in set(fields)]
    wanted = {name for field in fields for name in NEEDS[field]}
    if not wanted:
        return {}
    positions = Position.objects.filter(held_on(as_of), village_id__in=villages, kind__in=KINDS)
    if county_ids is not None:
        positions = positions.filter(county_id__in=county_ids)
    aggregates = {name: value for name, value in _aggregates(as_of).items() if name in wanted}
    rows = positions.order_by().values("village_id").annotate(**aggregates)
    result = {}
    for row in rows:
        has_secretary = row.get("secretary_id") is not None
        figures = {}
        for field in fields:
            if field == "reserve_cadres":
                figures[field] = row["reserve"]
            elif field == "is_secretary_and_director":
                figures[field] = has_secretary and row["secretary_id"] == row["director_id"]
            elif field == "secretary_name":
                figures[field] = row["secretary_name"] or ""
            elif field == "secretary_age":
                figures[field] = whole_years(row["secretary_birth"], as_of) if has_secretary else None
            elif field == "secretary_education":
                figures[field] = row["secretary_education"] or ""
            elif field == "secretary_years":
                figures[field] = whole_years(row["secretary_start"], as_of) if has_secretary else None
            elif field == "committee_members":
                figures[field] = row["committee"]
            elif field == "cross_appointed":
                figures[field] = row["cross"]
            elif field == "has_first_secretary":
                figures[field] = row["first"] > 0
            else:
                figures[field] = row["group"]
        result[row["village_id"]] = figures
    return result


def empty(fields=None):
    """The figures of a village with no position at all on that day (of ``fields``, default all)."""
    figures = _EMPTY if fields is None else {k: v for k, v in _EMPTY.items() if k in set(fields)}
    return dict(figures)


def village_figures_on(village, as_of):
    """The derived figures of one village on ``as_of``."""
    return registry_figures([village.pk], as_of).get(village.pk) or empty()


def stored(sheet_values):
    """The frozen figures of a sheet (a model instance or a ``values()`` dict) as a dict."""
    get = sheet_values.get if isinstance(sheet_values, dict) else lambda name: getattr(sheet_values, name)
    return {name: get(name) for name in FIELDS}

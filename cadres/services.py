"""Changes to cadres and their positions: the one way in for every write.

Same rules as ``villages.services``: role and scope checked again, ``full_clean()``,
one transaction per change.
"""

from django.db import transaction

from cadres.models import Cadre, Position
from villages.permissions import TOWNSHIP_LEVEL_EDITORS, check_county, check_township, require_editor

CADRE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "party_joined_on",
    "phone",
    "township",
    "village",
    "department",
)
POSITION_FIELDS = ("kind", "township", "village", "sent_from", "start_date", "end_date")


def _assign(instance, fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _check_cadre_scope(user, cadre):
    if cadre.department_id is not None:
        check_township(user, None, field="department")
        check_county(user, cadre.department.county_id, field="department")
    else:
        check_township(user, cadre.village.township if cadre.village_id else cadre.township)


@transaction.atomic
def cadre_create(*, user, **fields):
    """Add a cadre to the user's county (township users: to their own township)."""
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    cadre = Cadre(county_id=user.county_id)
    _assign(cadre, fields, CADRE_FIELDS)
    _check_cadre_scope(user, cadre)
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def cadre_update(*, user, cadre, **fields):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_cadre_scope(user, cadre)
    _assign(cadre, fields, CADRE_FIELDS)
    _check_cadre_scope(user, cadre)
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def cadre_delete(*, user, cadre):
    """Delete a cadre with their positions (a position means nothing without its holder)."""
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_cadre_scope(user, cadre)
    cadre.delete()


def _check_position_scope(user, position):
    _check_cadre_scope(user, position.cadre)
    place = position.village.township if position.village_id else position.township
    check_township(user, place, field="village" if position.village_id else "township")


@transaction.atomic
def position_create(*, user, cadre, **fields):
    """Record a position held by ``cadre`` from ``start_date`` (to ``end_date``, if it has ended)."""
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    position = Position(cadre=cadre, county_id=cadre.county_id)
    _assign(position, fields, POSITION_FIELDS)
    # Validate first, so that a missing place is reported as such rather than as out of scope.
    position.full_clean()
    _check_position_scope(user, position)
    position.save()
    return position


@transaction.atomic
def position_update(*, user, position, **fields):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_position_scope(user, position)
    _assign(position, fields, POSITION_FIELDS)
    position.full_clean()
    _check_position_scope(user, position)
    position.save()
    return position


@transaction.atomic
def position_delete(*, user, position):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_position_scope(user, position)
    position.delete()

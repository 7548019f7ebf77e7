"""Who may change the registry, and where.

Reading is decided by the scoping selectors; changing needs, on top of that,
one of these roles. County administrators change everything in their county;
township users change the villages, party organizations, cadres and positions
of their own township; every other role reads only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from campaign.roles import Role

# Townships, departments: the county's own registry.
COUNTY_LEVEL_EDITORS = (Role.COUNTY_ADMIN,)
# Villages, party organizations, cadres, positions.
TOWNSHIP_LEVEL_EDITORS = (Role.COUNTY_ADMIN, Role.TOWNSHIP)


def may_edit(user, level):
    return bool(user.is_authenticated and user.role in level)


def require_editor(user, level):
    """403 for a role that may not change this kind of object."""
    if not may_edit(user, level):
        raise PermissionDenied


def check_county(user, county_id, field="county"):
    if county_id != user.county_id:
        raise ValidationError({field: _("You can only change the registry of your own county.")})


def _own_township_error(user, field):
    return ValidationError(
        {
            field: _("Township users can only attach it to their own township, %(township)s.")
            % {"township": user.township}
        }
    )


def check_township(user, township, field="township"):
    """Refuse, beside ``field``, a township the user may not attach things to (None: the county itself)."""
    if township is None:
        if user.role == Role.TOWNSHIP:
            raise _own_township_error(user, field)
        return
    if township.county_id != user.county_id:
        raise ValidationError({field: _("You can only change the registry of your own county.")})
    if user.role == Role.TOWNSHIP and township.pk != user.township_id:
        raise _own_township_error(user, field)

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("county administrator")
    COUNTY_REVIEWER = "county_reviewer", _("county reviewer / organizer")
    COUNTY_LEADER = "county_leader", _("county leader")
    TOWNSHIP = "township", _("township user")
    VILLAGE = "village", _("village secretary")
    DEPARTMENT = "department", _("department user")
    CITY = "city", _("city viewer")


COUNTY_ROLES = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)
# Roles that may change the registry (within their scope).
REGISTRY_EDITORS = (Role.COUNTY_ADMIN, Role.TOWNSHIP)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role

_COUNTY_AND_CITY = (*COUNTY_ROLES, Role.CITY)


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Places and organizations")
    nav_items = [
        (20, "villages:township_list", _("Townships"), _COUNTY_AND_CITY),
        (21, "villages:village_list", _("Villages"), (*_COUNTY_AND_CITY, Role.TOWNSHIP)),
        (22, "villages:village_mine", _("My village"), (Role.VILLAGE,)),
        (23, "villages:department_list", _("Departments"), (*_COUNTY_AND_CITY, Role.DEPARTMENT)),
        (
            24,
            "villages:party_org_list",
            _("Party organizations"),
            (*_COUNTY_AND_CITY, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT),
        ),
    ]

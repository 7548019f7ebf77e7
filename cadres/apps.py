from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadres")
    nav_items = [
        (
            30,
            "cadres:cadre_list",
            _("Cadres"),
            (*COUNTY_ROLES, Role.CITY, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT),
        ),
        (31, "cadres:position_list", _("Positions"), (*COUNTY_ROLES, Role.CITY, Role.TOWNSHIP)),
    ]

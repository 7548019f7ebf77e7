from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role

_ALL = (*COUNTY_ROLES, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT, Role.CITY)


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Appraisal")
    nav_items = [
        (40, "appraisal:title_list", _("Titles"), _ALL),
    ]

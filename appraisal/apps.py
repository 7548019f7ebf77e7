from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role

_ALL = (*COUNTY_ROLES, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT, Role.CITY)
_CHECKERS = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Appraisal")
    # (order, url name, label, roles): the role's main page comes first.
    nav_items = [
        (1, "appraisal:mine", _("My appraisal"), (Role.VILLAGE, Role.DEPARTMENT)),
        (2, "appraisal:township_queue", _("Work queue"), (Role.TOWNSHIP,)),
        (3, "appraisal:recheck_queue", _("Re-check queue"), _CHECKERS),
        (4, "appraisal:approval", _("Approval"), (Role.COUNTY_LEADER, Role.COUNTY_ADMIN)),
        (30, "appraisal:appraisal_list", _("Appraisals"), (*COUNTY_ROLES, Role.CITY)),
        (31, "appraisal:notice_list", _("Public notices"), COUNTY_ROLES),
        (32, "appraisal:title_list", _("Titles"), _ALL),
        (33, "appraisal:veto_list", _("Vetoes"), COUNTY_ROLES),
        (
            34,
            "appraisal:rating_list",
            _("Ratings"),
            (Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT, Role.COUNTY_ADMIN),
        ),
        (35, "appraisal:campaign_list", _("Campaigns"), COUNTY_ROLES),
        (36, "appraisal:holiday_list", _("Holiday calendar"), (Role.COUNTY_ADMIN,)),
    ]

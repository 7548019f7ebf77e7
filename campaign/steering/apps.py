from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from campaign.roles import Role

COUNTY = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER)


class SteeringConfig(AppConfig):
    name = "campaign.steering"
    label = "steering"
    verbose_name = _("Steering")
    # (order, url name, label, roles): see campaign/context_processors.py.
    nav_items = [
        (5, "steering:dashboard", _("Dashboard"), (*COUNTY, Role.TOWNSHIP, Role.DEPARTMENT, Role.CITY)),
        (55, "steering:classification", _("Classification for guidance"), (*COUNTY, Role.TOWNSHIP)),
        (56, "steering:ranking", _("Township ranking"), (*COUNTY, Role.CITY)),
        (60, "steering:notice_list", _("Supervision notices"), (*COUNTY, Role.TOWNSHIP, Role.DEPARTMENT)),
    ]

    # The approval page (appraisal) warns by name about subjects classified lagging; the thresholds
    # are the campaign's steering settings, so steering adds that warning (campaign/panels.py).
    panels = {"approval": [(10, "campaign.steering.panels.approval_lagging")]}

    def ready(self):
        from campaign.steering.schedule import register_periodic_tasks

        post_migrate.connect(register_periodic_tasks, sender=self, dispatch_uid="steering-periodic-tasks")

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role

_READERS = (*COUNTY_ROLES, Role.CITY)


class ReportsConfig(AppConfig):
    name = "campaign.reports"
    label = "reports"
    verbose_name = _("Reports and briefings")
    nav_items = [
        (60, "reports:report_list", _("Progress reports"), _READERS),
        (61, "reports:briefing_list", _("Briefings"), _READERS),
        (62, "reports:document_list", _("Printed documents"), _READERS),
    ]
    # Re-queues lost PDF jobs (campaign/jobs.py).
    job_sweepers = ["campaign.reports.jobs.sweep"]

    def ready(self):
        from campaign.reports import checks  # noqa: F401 - registers the font check
        from campaign.reports.schedule import register_schedules

        # After every migrate (and after a test flush) the default schedules
        # exist; an administrator's later edits in the admin are kept.
        post_migrate.connect(register_schedules, sender=self, dispatch_uid="reports-register-schedules")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from campaign.roles import Role


class ImporterConfig(AppConfig):
    name = "villages.importer"
    label = "importer"
    verbose_name = _("Registry import and export")
    nav_items = [
        (29, "importer:home", _("Import"), (Role.COUNTY_ADMIN, Role.TOWNSHIP)),
    ]
    # Re-queues lost background checks and applies (campaign/jobs.py).
    job_sweepers = ["villages.importer.jobs.sweep"]

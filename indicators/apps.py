from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role

_READERS = (*COUNTY_ROLES, Role.TOWNSHIP, Role.VILLAGE, Role.CITY)


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Village indicators")
    # (order, url name, label, roles): see campaign/context_processors.py.
    nav_items = [
        (40, "indicators:home", _("Village indicators"), _READERS),
        (41, "indicators:settings", _("Indicator targets and settings"), (Role.COUNTY_ADMIN,)),
    ]
    # The township's workbook of sheets goes through the registry importer (villages/importer/plans.py).
    import_plans = {"indicator_sheets": "indicators.excel.SheetPlan"}
    # Sections this app adds to lower apps' pages (campaign/panels.py).
    panels = {
        "village_detail": [(40, "indicators.panels.village_sheets")],
        "self_report": [(40, "indicators.panels.self_report_figures")],
        "todo": [(40, "indicators.panels.todo")],
    }
    # The progress report's and briefing's section (campaign/reports/sections.py).
    report_sections = [(45, "indicators.report.SECTION")]
    annotations = {"self_report": [(40, "indicators.panels.self_report_annotation")]}

    def ready(self):
        from indicators.schedule import register_schedules

        post_migrate.connect(register_schedules, sender=self, dispatch_uid="indicators-register-schedules")

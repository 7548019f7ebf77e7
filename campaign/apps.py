from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaign")

    def ready(self):
        # Log every failed login and every lock (receivers on the auth and axes signals).
        from campaign.accounts import throttle  # noqa: F401
        from campaign.schedule import register_schedules

        # The sweeper of stale background jobs runs every few minutes (campaign/jobs.py).
        post_migrate.connect(register_schedules, sender=self, dispatch_uid="campaign-register-schedules")

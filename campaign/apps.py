from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Campaign")

    def ready(self):
        # Log every failed login and every lock (receivers on the auth and axes signals).
        from campaign.accounts import throttle  # noqa: F401

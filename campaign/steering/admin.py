from django.contrib import admin

from campaign.steering.models import NoticeEvent, SteeringSettings, SupervisionNotice, TownshipRanking


@admin.register(SteeringSettings)
class SteeringSettingsAdmin(admin.ModelAdmin):
    list_display = ("campaign", "advanced_min", "lagging_below", "own_weight", "villages_weight")


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "county", "township", "department", "deadline", "status")
    list_filter = ("status", "county")
    # Changes of state go through the services, never through the admin.
    readonly_fields = ("status", "replied_at", "accepted_at", "issued_by", "issued_at")


@admin.register(NoticeEvent)
class NoticeEventAdmin(admin.ModelAdmin):
    list_display = ("notice", "action", "user", "at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TownshipRanking)
class TownshipRankingAdmin(admin.ModelAdmin):
    list_display = ("campaign", "rank", "township", "score", "bottom_two", "transfer_flag")
    list_filter = ("campaign",)

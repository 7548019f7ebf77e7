from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Notification, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "first_name",
        "role",
        "county",
        "township",
        "village",
        "department",
        "is_active",
    )
    list_filter = ("role", "is_active", "county")
    list_select_related = ("county", "township", "village", "department")
    autocomplete_fields = ("township", "village", "department")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {"fields": ("role", "city", "county", "township", "village", "department", "organizer_area")},
        ),
    )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "year", "notice_working_days", "title_validity_years")
    list_filter = ("county",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)

from django.contrib import admin

from villages.importer.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through the importer's services."""

    list_display = (
        "original_name",
        "county",
        "township",
        "status",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "county")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

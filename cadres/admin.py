from django.contrib import admin

from cadres.models import Cadre, OrganizerArea, Position


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ("village", "township")


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("name", "gender", "birth_date", "township", "village", "department")
    list_select_related = ("township", "village", "department")
    search_fields = ("name",)
    raw_id_fields = ("village", "township", "department")
    inlines = [PositionInline]


@admin.register(OrganizerArea)
class OrganizerAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "organizer")
    filter_horizontal = ("townships",)
    raw_id_fields = ("organizer",)

from django.contrib import admin

from cadres.models import Cadre, OrganizerArea, Position
from villages.admin_scoping import CountyScopedAdmin, CountyScopedMixin


class PositionInline(CountyScopedMixin, admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ("village", "township")


@admin.register(Cadre)
class CadreAdmin(CountyScopedAdmin):
    list_display = ("name", "gender", "birth_date", "township", "village", "department")
    list_select_related = ("township", "village", "department")
    list_filter = ("gender", "education")
    search_fields = ("name",)
    raw_id_fields = ("village", "township", "department")
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(CountyScopedAdmin):
    list_display = ("cadre", "kind", "township", "village", "start_date", "end_date")
    list_filter = ("kind",)
    list_select_related = ("cadre", "township", "village")
    search_fields = ("cadre__name", "village__name")
    raw_id_fields = ("cadre", "village", "township")
    date_hierarchy = "start_date"


@admin.register(OrganizerArea)
class OrganizerAreaAdmin(CountyScopedAdmin):
    list_display = ("name", "county", "organizer")
    filter_horizontal = ("townships",)
    raw_id_fields = ("organizer",)

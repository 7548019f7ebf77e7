from django.contrib import admin

from villages.models import City, County, Department, PartyOrganization, Township, Village


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "city")
    search_fields = ("name", "code")


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county")
    list_filter = ("county",)
    search_fields = ("name", "code")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "township",
        "is_poverty_key",
        "is_one_product",
        "households",
        "population",
    )
    list_filter = ("township__county", "is_poverty_key", "is_one_product")
    list_select_related = ("township",)
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county", "is_agriculture_related")
    search_fields = ("name", "code")


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "township", "village", "department", "member_count")
    list_filter = ("kind",)
    list_select_related = ("township", "village", "department")
    search_fields = ("name",)
    raw_id_fields = ("parent", "village", "township", "department")

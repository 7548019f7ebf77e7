from django.contrib import admin

from villages.admin_scoping import CountyScopedAdmin
from villages.models import City, County, Department, PartyOrganization, Township, Village


@admin.register(City)
class CityAdmin(CountyScopedAdmin):
    county_lookup = "counties__id"
    county_admin_read_only = True
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(County)
class CountyAdmin(CountyScopedAdmin):
    county_lookup = "id"
    list_display = ("code", "name", "city")
    search_fields = ("name", "code")

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Township)
class TownshipAdmin(CountyScopedAdmin):
    list_display = ("code", "name", "county", "population")
    list_filter = ("county",)
    list_select_related = ("county",)
    search_fields = ("name", "code")


@admin.register(Village)
class VillageAdmin(CountyScopedAdmin):
    county_lookup = "township__county_id"
    list_display = (
        "code",
        "name",
        "township",
        "is_poverty_key",
        "is_one_product",
        "households",
        "population",
    )
    list_filter = ("is_poverty_key", "is_one_product", "township")
    list_select_related = ("township",)
    search_fields = ("name", "code")

    def get_list_filter(self, request):
        # A county's own townships are the useful filter; the superuser also gets the county.
        if request.user.is_superuser:
            return ("township__county", *self.list_filter)
        return self.list_filter


@admin.register(Department)
class DepartmentAdmin(CountyScopedAdmin):
    list_display = ("code", "name", "county", "is_agriculture_related")
    list_select_related = ("county",)
    search_fields = ("name", "code")


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(CountyScopedAdmin):
    list_display = ("name", "kind", "township", "village", "department", "member_count")
    list_filter = ("kind",)
    list_select_related = ("township", "village", "department")
    search_fields = ("name",)
    raw_id_fields = ("parent", "village", "township", "department")

"""Django admin for county administrators, kept inside their county.

County administrators (role ``county_admin`` with ``is_staff``) get the admin
without any Django permission rows: the role is the permission, as everywhere
else in the app. Each registered model says how it reaches its county
(``county_lookup``); their changelists, the choices of every foreign key and
the objects they may open are limited to that county. Superusers keep the
whole admin. Other apps can reuse ``CountyScopedAdmin`` for their models.
"""

from django.contrib import admin

from campaign.roles import Role


def is_county_admin(request):
    user = request.user
    return user.is_active and user.is_staff and user.role == Role.COUNTY_ADMIN


# How each related model reaches its county, for limiting foreign-key choices.
RELATED_COUNTY_LOOKUPS = {
    ("villages", "city"): "counties__id",
    ("villages", "county"): "id",
    ("villages", "township"): "county_id",
    ("villages", "village"): "township__county_id",
    ("villages", "department"): "county_id",
    ("villages", "partyorganization"): "county_id",
    ("cadres", "cadre"): "county_id",
    ("cadres", "organizerarea"): "county_id",
}


class CountyScopedMixin:
    """Permissions and querysets for county administrators; ``county_lookup`` reaches the county id."""

    county_lookup = "county_id"
    # County administrators may look at these models but not change them (cities, counties).
    county_admin_read_only = False

    def _scoped(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        if is_county_admin(request):
            return queryset.filter(**{self.county_lookup: request.user.county_id}).distinct()
        return queryset.none()

    def get_queryset(self, request):
        return self._scoped(request, super().get_queryset(request))

    def _in_county(self, request, obj):
        return obj is None or self._scoped(request, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def has_module_permission(self, request):
        return request.user.is_superuser or is_county_admin(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return is_county_admin(request) and self._in_county(request, obj)

    def _may_change(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return is_county_admin(request) and not self.county_admin_read_only and self._in_county(request, obj)

    def has_add_permission(self, request, *args):
        return self._may_change(request)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def _limit(self, request, db_field, kwargs):
        if request.user.is_superuser:
            return
        model = db_field.related_model
        lookup = RELATED_COUNTY_LOOKUPS.get((model._meta.app_label, model._meta.model_name))
        if lookup is not None:
            queryset = kwargs.get("queryset", model._default_manager.all())
            kwargs["queryset"] = queryset.filter(**{lookup: request.user.county_id}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CountyScopedAdmin(CountyScopedMixin, admin.ModelAdmin):
    pass

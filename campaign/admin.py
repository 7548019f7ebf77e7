from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Notification, User
from campaign.roles import Role
from villages.admin_scoping import CountyScopedMixin

SCOPE_FIELDS = ("role", "city", "county", "township", "village", "department", "organizer_area")
# What a county administrator may set: never is_staff, is_superuser, groups or permissions (they would
# grant the admin or Django permissions), never a city (a city viewer reaches beyond the county).
COUNTY_ADMIN_SCOPE_FIELDS = ("role", "county", "township", "village", "department", "organizer_area")


class SetPasswordForUserForm(AdminPasswordChangeForm):
    """A password an administrator sets is known to them: the user changes it at the next login."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(CountyScopedMixin, BaseUserAdmin):
    """Superusers: every user. County administrators: their county's users, without escalation."""

    change_password_form = SetPasswordForUserForm

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
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
    )
    # The role decides what a user must be attached to (a database constraint), so it is asked at once.
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": SCOPE_FIELDS}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # A superuser attached to the county is still out of a county administrator's reach.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def _may_change(self, request, obj=None):
        if not super()._may_change(request, obj):
            return False
        # Another staff account (a fellow county administrator) is looked at, not taken over.
        return request.user.is_superuser or obj is None or not obj.is_staff or obj.pk == request.user.pk

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return (
                *BaseUserAdmin.add_fieldsets,
                (_("Role and scope"), {"fields": COUNTY_ADMIN_SCOPE_FIELDS}),
            )
        return (
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Permissions"), {"fields": ("is_active",)}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
            (_("Role and scope"), {"fields": COUNTY_ADMIN_SCOPE_FIELDS}),
        )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined") if obj is not None else ()

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ("role", "is_active")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form

        class CountyUserForm(form):
            def _post_clean(self):
                super()._post_clean()
                # The role/attachment constraint names is_superuser, which is not on this form, so
                # Django skips it: check it here, so that a wrong attachment is an error beside the
                # fields rather than a database refusal.
                try:
                    self.instance.validate_constraints()
                except ValidationError:
                    self.add_error(
                        "role",
                        _("This role needs its place: a township, a village or a department of the county."),
                    )

        county = CountyUserForm.base_fields.get("county")
        if county is not None:  # absent on a read-only view of a fellow staff account
            county.required = True
            county.initial = request.user.county_id
        return CountyUserForm

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.CITY]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Belt and braces: the form has no such fields, and the county's choices are the own county.
            if change:
                before = User.objects.get(pk=obj.pk)
                obj.is_staff, obj.is_superuser = before.is_staff, before.is_superuser
            else:
                obj.is_staff = obj.is_superuser = False
            obj.county_id = request.user.county_id
            obj.city = None
        if not change:
            # The administrator chose this password: the new user picks their own at first login.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # An administrator setting their own password here need not be asked again.
        if request.method == "POST" and str(request.user.pk) == str(id):
            User.objects.filter(pk=request.user.pk).update(must_change_password=False)
        return response


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "year", "notice_working_days", "title_validity_years")
    list_filter = ("county",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)

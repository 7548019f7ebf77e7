"""List filters (django-filter). Choices of places come from the scoping selectors."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.roles import Role
from villages import selectors
from villages.models import PartyOrganization

SINGLE_TOWNSHIP_ROLES = (Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT)


class RegistryFilterSet(django_filters.FilterSet):
    """Adds Bootstrap classes to the widgets and a free-text search over ``search_fields``."""

    search_fields = ("name", "code")

    q = django_filters.CharFilter(label=_("Search"), method="search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if "township" in self.filters and getattr(user, "role", None) in SINGLE_TOWNSHIP_ROLES:
            # One township (or none) in scope: nothing to choose between.
            del self.filters["township"]
        for field in self.form.fields.values():
            widget = field.widget
            is_select = getattr(widget, "input_type", None) == "select"
            widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
        self.form.fields["q"].widget.attrs.setdefault("placeholder", _("Name or code"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


def _townships(request):
    if request is None:
        return selectors.Township.objects.none()
    return selectors.townships_for(request.user).order_by("county__code", "code")


class YesNoFilter(django_filters.ChoiceFilter):
    """A yes / no / (any) select over a boolean: empty means no filtering."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", (("1", _("yes")), ("0", _("no"))))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return super().filter(qs, value == "1")


class TownshipFilter(RegistryFilterSet):
    class Meta:
        model = selectors.Township
        fields = []


class VillageFilter(RegistryFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=_townships)
    is_poverty_key = YesNoFilter(label=_("Poverty-alleviation key village"))
    is_one_product = YesNoFilter(label=_("One-village-one-product village"))
    secretary_and_director = YesNoFilter(
        label=_("Secretary also director"), field_name="is_secretary_and_director"
    )

    class Meta:
        model = selectors.Village
        fields = []


class DepartmentFilter(RegistryFilterSet):
    is_agriculture_related = YesNoFilter(label=_("Agriculture-related"))

    class Meta:
        model = selectors.Department
        fields = []


class PartyOrganizationFilter(RegistryFilterSet):
    search_fields = ("name", "village__name", "department__name")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartyOrganization.Kind.choices)
    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=_townships)

    class Meta:
        model = PartyOrganization
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name")

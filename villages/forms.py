"""Registry forms. Every form knows its user: choices come from the user's scope,
and a township user's township is fixed to their own."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaign.roles import Role
from villages import selectors
from villages.models import Department, PartyOrganization, Township, Village


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegistryForm(forms.ModelForm):
    """Base of the registry forms: the acting user, a crispy helper without its own <form> tag."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def is_township_user(self):
        return self.user.role == Role.TOWNSHIP

    def own_township_error(self):
        return ValidationError(
            _("Township users can only attach it to their own township, %(township)s."),
            code="own_township",
            params={"township": self.user.township},
        )

    def limit_township(self, name="township"):
        """Accept any township of the county, so that a wrong one gets a clear message.

        A township user is shown only their own.
        """
        field = self.fields[name]
        field.queryset = Township.objects.filter(county_id=self.user.county_id).order_by("code")
        if self.is_township_user:
            field.widget.choices = [(self.user.township_id, str(self.user.township))]
            field.empty_label = None
            field.required = True
            if not self.instance.pk:
                self.initial.setdefault(name, self.user.township_id)

    def limit_village(self, name="village"):
        field = self.fields[name]
        field.queryset = (
            Village.objects.filter(township__county_id=self.user.county_id)
            .select_related("township")
            .order_by("township__code", "code")
        )
        if self.is_township_user:
            own = field.queryset.filter(township_id=self.user.township_id)
            field.widget.choices = [("", field.empty_label)] + [(v.pk, str(v)) for v in own]
        field.label_from_instance = lambda v: f"{v.township.name} · {v.name}"

    def check_own_township(self, township):
        if self.is_township_user and township is not None and township.pk != self.user.township_id:
            raise self.own_township_error()
        return township


class TownshipForm(RegistryForm):
    class Meta:
        model = Township
        fields = ["code", "name", "population"]


class VillageForm(RegistryForm):
    class Meta:
        model = Village
        fields = ["township", "code", "name", "is_poverty_key", "is_one_product", "households", "population"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_township()

    def clean_township(self):
        return self.check_own_township(self.cleaned_data.get("township"))


class DepartmentForm(RegistryForm):
    class Meta:
        model = Department
        fields = ["code", "name", "is_agriculture_related"]


class PartyOrganizationForm(RegistryForm):
    # Which attachment fields each kind uses (the page hides the others).
    KIND_FIELDS = {
        PartyOrganization.Kind.TOWNSHIP_COMMITTEE: ["township"],
        PartyOrganization.Kind.VILLAGE_COMMITTEE: ["village"],
        PartyOrganization.Kind.VILLAGE_GENERAL_BRANCH: ["village"],
        PartyOrganization.Kind.VILLAGE_BRANCH: ["village"],
        PartyOrganization.Kind.DEPARTMENT: ["department"],
        PartyOrganization.Kind.INDUSTRY: ["township", "village"],
    }

    class Meta:
        model = PartyOrganization
        fields = ["kind", "name", "village", "township", "department", "parent", "member_count"]
        help_texts = {
            "village": _("For a village organization; its township follows."),
            "township": _("For a township committee or an industry organization."),
            "department": _("For a county department organization."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_village()
        self.limit_township()
        self.fields["township"].required = False
        if self.is_township_user:
            # Department organizations are the county's: not offered to townships.
            del self.fields["department"]
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != PartyOrganization.Kind.DEPARTMENT
            ]
        else:
            self.fields["department"].queryset = Department.objects.filter(county_id=self.user.county_id)
        parents = selectors.party_organizations_for(self.user).order_by("township__code", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_township(self):
        return self.check_own_township(self.cleaned_data.get("township"))

    def clean_village(self):
        village = self.cleaned_data.get("village")
        if village is not None:
            self.check_own_township(village.township)
        return village

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if self.is_township_user and kind == PartyOrganization.Kind.DEPARTMENT:
            raise ValidationError(_("Township users cannot add county department organizations."))
        return kind

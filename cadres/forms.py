"""Forms for cadres and positions, scoped to the acting user like the registry forms."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Position
from villages.forms import DateInput, RegistryForm
from villages.models import Department


class CadreForm(RegistryForm):
    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "party_joined_on",
            "phone",
            "village",
            "township",
            "department",
        ]
        widgets = {"birth_date": DateInput(), "party_joined_on": DateInput()}
        help_texts = {
            "village": _("Where the cadre belongs; the township follows the village."),
            "township": _("For a township cadre without a village."),
            "department": _("For a cadre of a county department (no village or township then)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_village()
        self.limit_township()
        if self.is_township_user:
            del self.fields["department"]
        else:
            self.fields["township"].required = False
            self.fields["department"].queryset = Department.objects.filter(county_id=self.user.county_id)

    def clean_township(self):
        return self.check_own_township(self.cleaned_data.get("township"))

    def clean_village(self):
        village = self.cleaned_data.get("village")
        if village is not None:
            self.check_own_township(village.township)
        return village


class PositionForm(RegistryForm):
    # Which place fields each kind uses (the page hides the others).
    KIND_FIELDS = {
        **{kind: ["village"] for kind in Position.VILLAGE_KINDS},
        Position.Kind.FIRST_SECRETARY: ["village", "sent_from"],
        **{kind: ["township"] for kind in Position.TOWNSHIP_KINDS},
        Position.Kind.ORGANIZER: ["township"],
    }

    class Meta:
        model = Position
        fields = ["kind", "village", "township", "sent_from", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "village": _("For a position held in a village; the township follows."),
            "township": _("For a township position (organization committee member, party secretary)."),
            "sent_from": _("For a first secretary: the county or township organ that sent them."),
            "end_date": _("Leave empty while the position is held."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_village()
        self.limit_township()
        self.fields["township"].required = False
        if self.is_township_user:
            # County organizers are appointed by the county.
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != Position.Kind.ORGANIZER
            ]

    def clean_township(self):
        return self.check_own_township(self.cleaned_data.get("township"))

    def clean_village(self):
        village = self.cleaned_data.get("village")
        if village is not None:
            self.check_own_township(village.township)
        return village

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if self.is_township_user and kind == Position.Kind.ORGANIZER:
            raise ValidationError(_("County organizers are appointed by the county."))
        return kind

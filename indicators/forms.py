"""Forms of the indicators: the sheet's entered figures, and the county's settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators import catalogue, services
from indicators.catalogue import Type
from indicators.models import CollectionWindow, ExtraIndicator, IndicatorSheet, Target
from villages.importer.forms import ImportForm


class SheetForm(forms.Form):
    """The entered figures of a sheet, one field per indicator in use (shares and derived figures: never)."""

    def __init__(self, *args, indicators, derived_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.derived_values = derived_values or {}
        for definition in indicators.entered:
            self.fields[definition.code] = self._field(definition)

    def _field(self, definition):
        label = definition.name
        if definition.type == Type.CONDITION:
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—"), *IndicatorSheet.VenueCondition.choices],
            )
        whole = definition.type in (Type.COUNT, Type.AREA)
        attrs = {"min": "0", "step": "1" if whole else "0.01", "inputmode": "numeric" if whole else "decimal"}
        if definition.code == "training_days":
            attrs["step"] = "0.5"
        return forms.CharField(label=label, required=False, widget=forms.NumberInput(attrs=attrs))

    def clean(self):
        cleaned = super().clean()
        values = {}
        for definition in self.indicators.entered:
            if definition.code in self.errors:
                continue
            try:
                values[definition.code] = services.parse_value(definition, cleaned.get(definition.code))
            except ValidationError as error:
                self.add_error(definition.code, error)
        for code, message in services.check_parts(values, self.indicators, self.derived_values).items():
            if code not in self.errors:
                self.add_error(code, message)
        self.values = values
        return cleaned

    def builtin_values(self):
        return {c: v for c, v in self.values.items() if c in catalogue.ENTERED_CODES}

    def extra_values(self):
        return {c: v for c, v in self.values.items() if c not in catalogue.ENTERED_CODES}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class WindowForm(forms.ModelForm):
    class Meta:
        model = CollectionWindow
        fields = ["opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


def _indicator_choices(indicators, *, counts_only=False, blank=False):
    choices = [("", "—")] if blank else []
    for definition in indicators:
        if counts_only and definition.type not in catalogue.ADDITIVE:
            continue
        if definition.type in catalogue.NOT_NUMERIC:
            continue
        choices.append((definition.code, str(definition.name)))
    return choices


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["kind", "indicator", "comparison", "threshold", "denominator", "share_required", "source"]
        help_texts = {
            "threshold": _("Per village: the figure; ratio of sums: the percentage."),
            "share_required": _("Share of villages only: the percentage of villages that must pass."),
            "denominator": _("Ratio of sums only: the figure the indicator is divided by."),
        }

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(
            label=_("indicator"), choices=_indicator_choices(indicators)
        )
        self.fields["denominator"] = forms.ChoiceField(
            label=_("divided by"),
            choices=_indicator_choices(indicators, counts_only=True, blank=True),
            required=False,
            help_text=self.Meta.help_texts["denominator"],
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Target.Kind.RATIO_OF_SUMS and not cleaned.get("denominator"):
            self.add_error("denominator", _("A ratio of sums needs the figure it is divided by."))
        if kind == Target.Kind.SHARE_OF_VILLAGES and cleaned.get("share_required") is None:
            self.add_error("share_required", _("Say which share of villages must pass the test."))
        return cleaned


class ExtraIndicatorForm(forms.ModelForm):
    class Meta:
        model = ExtraIndicator
        fields = ["code", "name", "unit", "value_type", "whole", "order", "enabled"]
        help_texts = {"whole": _("Optional: the count this figure is a part of (it can never exceed it).")}

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (d.code, str(d.name)) for d in indicators if d.type == Type.COUNT and d.code != self.instance.code
        ]
        self.fields["whole"] = forms.ChoiceField(
            label=_("part of"), choices=choices, required=False, help_text=self.Meta.help_texts["whole"]
        )

    def validate_unique(self):
        # The county is set by the service, which reports a taken code beside the field.
        pass


class ImportSheetsForm(ImportForm):
    """The importer's upload form (size and format checks), with the sheets' own help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The township's workbook downloaded here, filled in. Nothing is imported before you confirm."
        )

"""Forms of the appraisal pages. Services validate again: forms only shape the input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import Objection, VetoEvent


class DateInput(forms.DateInput):
    input_type = "date"


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    revoked_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)


class WithdrawStarForm(forms.Form):
    star = forms.ChoiceField(label=_("Star"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)

    def __init__(self, *args, title, **kwargs):
        super().__init__(*args, **kwargs)
        from appraisal.selectors import star_names

        names = star_names(title)
        self.fields["star"].choices = [(code, names.get(code, code)) for code in title.stars]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), initial=timezone.localdate, widget=DateInput)
    raised_by = forms.CharField(label=_("Raised by"), required=False, max_length=100)
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionHandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Objection.Outcome.choices if c[0] != Objection.Outcome.PENDING],
    )
    handling = forms.CharField(label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), initial=timezone.localdate, widget=DateInput)


class VetoForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"))
    kind = forms.ChoiceField(label=_("Kind"), choices=VetoEvent.Kind.choices)
    occurred_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class SurveyForm(forms.Form):
    surveyed_on = forms.DateField(label=_("Surveyed on"), initial=timezone.localdate, widget=DateInput)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, initial=0)
    fairly_satisfied = forms.IntegerField(label=_("Fairly satisfied"), min_value=0, initial=0)
    basically_satisfied = forms.IntegerField(label=_("Basically satisfied"), min_value=0, initial=0)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0, initial=0)

    def clean(self):
        data = super().clean()
        keys = ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")
        if all(data.get(k) is not None for k in keys) and sum(data[k] for k in keys) == 0:
            raise forms.ValidationError(_("Enter the answers of at least one person."))
        return data


class EvidenceForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Evidence file"))

"""Forms of the appraisal pages. Services validate again: forms only shape the input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import Objection, VetoEvent


class DateInput(forms.DateInput):
    """A native date picker; it needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format)


# Consequential choices (an objection's outcome, a veto's kind, the star to withdraw) start empty:
# the user must choose, and an empty choice is refused with a message.
PLEASE_CHOOSE = ("", _("Please choose"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    revoked_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)


class WithdrawStarForm(forms.Form):
    star = forms.ChoiceField(label=_("Star"), error_messages={"required": _("Choose the star to withdraw.")})
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)

    def __init__(self, *args, title, **kwargs):
        super().__init__(*args, **kwargs)
        from appraisal.selectors import star_names

        names = star_names(title)
        self.fields["star"].choices = [PLEASE_CHOOSE] + [
            (code, names.get(code, code)) for code in title.stars
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), initial=timezone.localdate, widget=DateInput)
    raised_by = forms.CharField(label=_("Raised by"), required=False, max_length=100)
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionHandleForm(forms.Form):
    # No preset: dismissing or upholding an objection is a decision, never a default.
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[PLEASE_CHOOSE] + [c for c in Objection.Outcome.choices if c[0] != Objection.Outcome.PENDING],
        error_messages={"required": _("Choose an outcome.")},
    )
    handling = forms.CharField(label=_("How it was handled"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    starts_on = forms.DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=DateInput,
        help_text=_("Today or later; a holiday or a weekend moves it to the next working day."),
        error_messages={"required": _("Enter the start date of the notice.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker offers no day before today (the service refuses one anyway).
        self.fields["starts_on"].widget.attrs["min"] = timezone.localdate().isoformat()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why the subject is withdrawn from the notice.")},
    )


class VetoForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"), error_messages={"required": _("Choose the subject.")})
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[PLEASE_CHOOSE, *VetoEvent.Kind.choices],
        error_messages={"required": _("Choose the kind of veto.")},
    )
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


class CampaignForm(forms.ModelForm):
    class Meta:
        from campaign.models import Campaign

        model = Campaign
        fields = [
            "year",
            "name",
            "self_report_deadline",
            "township_check_deadline",
            "county_recheck_deadline",
            "approval_deadline",
            "rating_opens_on",
            "rating_closes_on",
            "notice_working_days",
            "title_validity_years",
            "five_star_cap_percent",
        ]
        widgets = {
            name: DateInput
            for name in (
                "self_report_deadline",
                "township_check_deadline",
                "county_recheck_deadline",
                "approval_deadline",
                "rating_opens_on",
                "rating_closes_on",
            )
        }


class RubricForm(forms.ModelForm):
    class Meta:
        from appraisal.models import Rubric

        model = Rubric
        fields = ["star_threshold", "satisfaction_floor", "satisfaction_cap_stars"]


class StarForm(forms.ModelForm):
    class Meta:
        from appraisal.models import Star

        model = Star
        fields = ["name", "order"]


class IndicatorForm(forms.ModelForm):
    class Meta:
        from appraisal.models import Indicator

        model = Indicator
        fields = ["text", "max_points", "guidance", "evidence_expected", "evidence_required", "feed", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 2})}


class CopyForwardForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the rubrics of"), queryset=None)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = campaigns


class RatingForm(forms.Form):
    from appraisal.models import Rating

    grade = forms.ChoiceField(label=_("Rating"), choices=Rating.Grade.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

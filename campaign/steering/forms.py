from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.steering.models import SteeringSettings, SupervisionNotice
from villages.selectors import departments_for, townships_for


class NoticeForm(forms.Form):
    recipient = forms.ChoiceField(label=_("To"))
    title = forms.CharField(label=_("Matter under supervision"), max_length=200)
    body = forms.CharField(label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    items = forms.CharField(
        label=_("Items of work"),
        help_text=_("One item per line."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    report_to = forms.CharField(label=_("Report to"), max_length=100, help_text=_("The person to report to."))
    report_to_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only the user's own county: a body elsewhere cannot even be chosen, and the service
        # refuses it again should a crafted POST name one.
        townships = [(f"t:{t.pk}", t.name) for t in townships_for(user).filter(county_id=user.county_id)]
        departments = [(f"d:{d.pk}", d.name) for d in departments_for(user).filter(county_id=user.county_id)]
        self.fields["recipient"].choices = [
            ("", "---------"),
            (_("Townships"), townships),
            (_("County departments"), departments),
        ]
        self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_recipient(self):
        # The service checks the county; here only the shape and existence.
        from villages.models import Department, Township

        value = self.cleaned_data["recipient"]
        kind, _sep, pk = value.partition(":")
        model = {"t": Township, "d": Department}.get(kind)
        if model is None or not pk.isdigit():
            raise forms.ValidationError(_("Choose one township or one county department."))
        obj = model.objects.filter(pk=int(pk)).first()
        if obj is None:
            raise forms.ValidationError(_("Choose one township or one county department."))
        return obj

    def clean_items(self):
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("List at least one item of work."))
        too_long = [line for line in lines if len(line) > 500]
        if too_long:
            raise forms.ValidationError(_("An item may have at most 500 characters."))
        return lines


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel, PNG, JPEG or text; at most 10 files."),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoticeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + list(SupervisionNotice.Status.choices)
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "overdue" else "form-control form-control-sm"
            if isinstance(field, forms.ChoiceField):
                css = "form-select form-select-sm"
            field.widget.attrs["class"] = css


class SteeringSettingsForm(forms.ModelForm):
    class Meta:
        model = SteeringSettings
        fields = ["advanced_min", "lagging_below", "own_weight", "villages_weight"]

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign
from campaign.reports.models import Briefing, ProgressReport


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = [
            "campaign",
            "report",
            "number",
            "title",
            "issuing_office",
            "issued_on",
            "editor_note",
            "highlights",
            "problems",
            "next_steps",
            "report_to",
            "send_to",
            "issue_to",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "editor_note": forms.Textarea(attrs={"rows": 3}),
            "highlights": forms.Textarea(attrs={"rows": 5}),
            "problems": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "editor_note": _("At most 3,000 characters and 120 lines."),
            "highlights": _(
                "Paragraphs are separated by an empty line. At most 3,000 characters and 120 lines."
            ),
            "problems": _("At most 3,000 characters and 120 lines."),
            "next_steps": _("At most 3,000 characters and 120 lines."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(county_id=user.county_id).order_by("-year")
        reports = ProgressReport.objects.filter(campaign__county_id=user.county_id).select_related("campaign")
        self.fields["report"].queryset = reports
        self.fields["report"].required = False
        self.fields["title"].required = True
        if self.instance.pk:
            self.fields["campaign"].disabled = True
        for name in ("editor_note", "highlights", "problems", "next_steps"):
            # No maxlength attribute: the browser would cut a pasted text silently; the form keeps
            # it and says what is too long instead.
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign") or getattr(self.instance, "campaign", None)
        report = cleaned.get("report")
        if report is not None and campaign is not None and report.campaign_id != campaign.pk:
            self.add_error("report", _("This report belongs to another campaign."))
        number = cleaned.get("number")
        if campaign is not None and number:
            clash = Briefing.objects.filter(campaign=campaign, number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "number", _("Issue %(number)s already exists for this campaign.") % {"number": number}
                )
        return cleaned

    def validate_unique(self):
        # The service validates again (full_clean) inside its transaction.
        pass


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(queryset=ProgressReport.objects.none(), label=_("Earlier report"))
    b = forms.ModelChoiceField(queryset=ProgressReport.objects.none(), label=_("Later report"))

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = reports
        self.fields["b"].queryset = reports

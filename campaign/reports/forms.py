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
            "special",
            "number",
            "running_number",
            "title",
            "copies",
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
        # Left empty, the copy count is the model's default (a form posted without it still saves).
        self.fields["copies"].required = False
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
        if report is not None and not cleaned.get("special"):
            regular = Briefing.objects.filter(report=report, special=False).exclude(pk=self.instance.pk)
            if regular.exists():
                self.add_error(
                    "special",
                    _(
                        "This report already has its regular briefing. A second briefing on it is a special "
                        "issue: tick “special issue” (it gets its own number)."
                    ),
                )
        copies = cleaned.get("copies")
        if copies is None and "copies" in cleaned:
            cleaned["copies"] = Briefing._meta.get_field("copies").default
        elif copies is not None and copies < 1:
            self.add_error("copies", _("Print at least one copy."))
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


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NamingDecisionForm(forms.Form):
    """Options of the naming decision, a 公文 of the county committee."""

    number = forms.IntegerField(label=_("Number of the document"), min_value=1, max_value=99999)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=99999, initial=60)
    signed_on = forms.DateField(label=_("Date of the document"), widget=_DateInput())
    recipients = forms.CharField(label=_("Main recipients"), max_length=300)
    copy_to = forms.CharField(label=_("Copied to"), max_length=300, required=False)

    def __init__(self, *args, prefix_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_label:
            self.fields["number"].help_text = _("%(prefix)s〔year〕N号: the number N, per year.") % {
                "prefix": prefix_label
            }


class SelfCheckForm(forms.Form):
    """Options of the county self-check report; sent up as a 公文 it gets a 版头, a number and a 版记."""

    as_official = forms.BooleanField(
        label=_("Send it up as an official document (版头 and 版记)"), required=False
    )
    number = forms.IntegerField(
        label=_("Number of the document"), min_value=1, max_value=99999, required=False
    )
    signer = forms.CharField(label=_("Signed off by (签发人)"), max_length=40, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=99999, initial=10)
    signed_on = forms.DateField(label=_("Date of the document"), widget=_DateInput())
    recipients = forms.CharField(label=_("Main recipients"), max_length=300)
    copy_to = forms.CharField(label=_("Copied to"), max_length=300, required=False)


class CertificateForm(forms.Form):
    variant = forms.ChoiceField(label=_("Certificate"), choices=(), initial="standard", required=False)
    chinese_date = forms.BooleanField(
        label=_("Date in Chinese numerals (二〇二六年十一月十六日)"), required=False
    )

    def __init__(self, *args, **kwargs):
        from campaign.reports.models import Document

        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = Document.Variant.choices

    def clean_variant(self):
        from campaign.reports.models import Document

        return self.cleaned_data.get("variant") or Document.Variant.STANDARD


class OverlayField(forms.MultiValueField):
    """x and y (mm) of one element of the text-only certificate, on the A4 landscape sheet."""

    def __init__(self, **kwargs):
        fields = (
            forms.DecimalField(max_digits=5, decimal_places=1),
            forms.DecimalField(max_digits=5, decimal_places=1),
        )
        super().__init__(fields=fields, require_all_fields=True, **kwargs)
        self.widget = forms.MultiWidget(
            widgets=[forms.NumberInput(attrs={"step": "0.5"}), forms.NumberInput(attrs={"step": "0.5"})]
        )

    def compress(self, data_list):
        return [float(v) for v in data_list] if data_list else None


class PrintSettingsForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        from campaign.reports.official import OVERLAY_ELEMENTS, overlay_positions

        super().__init__(*args, **kwargs)
        positions = overlay_positions(self.instance.county)
        for key, (label, _default) in OVERLAY_ELEMENTS.items():
            self.fields[f"overlay_{key}"] = OverlayField(
                label=_("%(element)s: x and y in mm") % {"element": label},
                initial=list(positions[key]),
                help_text=_("From the sheet's top-left corner; the sheet is 297 × 210 mm."),
            )

    class Meta:
        from campaign.reports.models import PrintSettings

        model = PrintSettings
        fields = [
            "committee_mark",
            "committee_prefix",
            "committee_office",
            "department_mark",
            "department_prefix",
            "department_office",
        ]

    def clean(self):
        from campaign.reports.official import OVERLAY_ELEMENTS, SHEET

        cleaned = super().clean()
        overlay = {}
        for key in OVERLAY_ELEMENTS:
            value = cleaned.get(f"overlay_{key}")
            if value is None:
                continue
            x, y = value
            # The element's text starts at (x, y) and needs room: refuse what would print off the sheet.
            if not (0 <= x <= SHEET[0] - 20 and 0 <= y <= SHEET[1] - 10):
                self.add_error(
                    f"overlay_{key}",
                    _("Off the sheet: x must be between 0 and %(x)s mm, y between 0 and %(y)s mm.")
                    % {"x": SHEET[0] - 20, "y": SHEET[1] - 10},
                )
            overlay[key] = [x, y]
        self.instance.overlay = overlay
        return cleaned

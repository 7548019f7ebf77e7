from django import forms
from django.utils.translation import gettext_lazy as _

from villages.importer import services
from villages.importer.xlsx import WorkbookError


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_(
            "One sheet per kind, with the template's headers. Nothing is imported before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"empty": _("The file is empty (0 bytes).")},
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.rows_estimate = 0

    def clean(self):
        if self.too_large:
            raise forms.ValidationError(too_large_message())
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.rows_estimate = services.check_workbook(upload)
        except WorkbookError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    def full_clean(self):
        if self.too_large and self.is_bound:
            # The body was never read: say why, instead of "this field is required".
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            self.add_error("file", too_large_message())
            return
        super().full_clean()


def too_large_message():
    limit = services.limits()["max_bytes"] // services.MB
    return _("The file is too large; the limit is %(limit)s MB. Split it into several files.") % {
        "limit": limit
    }

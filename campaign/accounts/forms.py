from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from campaign.demo.registry import PASSWORD as DEMO_PASSWORD


class LoginForm(AuthenticationForm):
    """The login form; outside demo mode the public demo password opens nothing."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "demo_password": _(
            "This account still has the public demo password, which works only in the demo. "
            "Ask the county Organization Department to set a new password for it."
        ),
    }

    def clean(self):
        cleaned = super().clean()
        if not settings.DEMO_MODE and self.cleaned_data.get("password") == DEMO_PASSWORD:
            raise forms.ValidationError(self.error_messages["demo_password"], code="demo_password")
        return cleaned

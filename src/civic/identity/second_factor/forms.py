"""The code forms. Validation messages are the ones the error summary shows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuthenticatorCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows for Civic now."),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "autocapitalize": "off"}
        ),
        error_messages={
            "required": _("Enter the code from your authenticator app."),
            "invalid": _("The code is 6 digits."),
        },
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.RegexField(
        label=_("Recovery code"),
        help_text=_(
            "One of the codes you were given when you set up your authenticator app, for "
            "example 7KQ2-M9XD-4TRB-8HNC-2VFE-WJ6P. Each code works once."
        ),
        regex=r"^[\s\-0-9A-Za-z]{24,40}$",
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={
            "required": _("Enter one of your recovery codes."),
            "invalid": _("A recovery code is 24 letters and digits, in groups of four."),
        },
    )

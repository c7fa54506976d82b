"""Login forms. Validation messages are the ones the error summary shows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from civic.core.errors import InvalidIdentifier
from civic.core.numbers import personal_number_clean


class PersonalNumberForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personal number"),
        help_text=_("9 digits, for example 123456782."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your personal number.")},
    )

    def clean_personal_number(self) -> str:
        try:
            return personal_number_clean(self.cleaned_data["personal_number"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from None


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("One-time code"),
        help_text=_("The 6 digits in the message we sent you."),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter the code from your message."),
            "invalid": _("The code is 6 digits."),
        },
    )


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not right. Both are case-sensitive."),
        "inactive": _("This account is switched off."),
    }

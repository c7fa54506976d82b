from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.core.errors import InvalidIdentifier
from civic.core.numbers import personal_number_clean
from civic.core.params import date_in_range


class UsageFilterForm(forms.Form):
    since = forms.DateField(
        label=_("From"),
        required=False,
        help_text=_("For example, 2026-03-01"),
        validators=[date_in_range],
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2026-03-01.")},
    )
    until = forms.DateField(
        label=_("Up to and including"),
        required=False,
        help_text=_("For example, 2026-03-31"),
        validators=[date_in_range],
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2026-03-31.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date must be the same as or after the start date."))
        return data


class CorrectionForm(forms.Form):
    explanation = forms.CharField(
        label=_("What is wrong, and what should it be?"),
        help_text=_("For example: my second given name is spelt Marijke, not Mariike."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Say what is wrong, and what it should be."),
            "max_length": _("Use at most %(limit_value)d characters; this has %(show_value)d."),
        },
    )


class AuthoriseForm(forms.Form):
    representative = forms.CharField(
        label=_("Personal number of the person you authorise"),
        max_length=20,
        help_text=_("9 digits. They log in themselves and can then act for you."),
        error_messages={"required": _("Enter the personal number of the person you authorise.")},
    )
    scope = forms.ChoiceField(
        label=_("What may they do?"),
        choices=[
            ("all", _("Apply for services and look at my data")),
            ("data", _("Only look at my data")),
        ],
        widget=forms.RadioSelect,
        initial="all",
        error_messages={"required": _("Choose what they may do.")},
    )
    valid_until = forms.DateField(
        label=_("Up to and including"),
        help_text=_("At most one year from today, for example 2027-06-30"),
        error_messages={
            "required": _("Enter the last day they may act for you."),
            "invalid": _("Enter a date as year-month-day, for example 2027-06-30."),
        },
    )

    def clean_representative(self) -> str:

        try:
            return personal_number_clean(self.cleaned_data["representative"])
        except InvalidIdentifier as error:
            raise forms.ValidationError(str(error)) from None


class DocumentForm(forms.Form):
    """A document the resident sends: about one of their cases, or about anything."""

    document = forms.FileField(
        label=_("Document"),
        help_text=_(
            "A PDF, photo or scan, such as a payslip, a bank statement or a letter. We read it "
            "and add it to your case."
        ),
        error_messages={"required": _("Choose the file to send.")},
    )

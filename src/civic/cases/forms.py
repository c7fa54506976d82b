"""Forms of the workbench's case page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.core.i18n import tr
from civic.core.params import date_in_range


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the text first."),
            "max_length": _("Use at most %(limit_value)d characters; this has %(show_value)d."),
        },
    )


class AnswerForm(forms.Form):
    """The resident's answer to a question: words, a document, or both (one is needed)."""

    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Use at most %(limit_value)d characters; this has %(show_value)d.")
        },
    )
    document = forms.FileField(
        label=_("Add a document (optional)"),
        required=False,
        help_text=_("A PDF, photo or scan; at most one file per answer."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("document") and not self.errors:
            self.add_error("text", _("Write your answer or add a document."))
        return data


class InformationForm(forms.Form):
    question = forms.CharField(
        label=_("What do you need from the resident?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the question to the resident.")},
    )
    answer_due = forms.DateField(
        label=_("Answer by"),
        validators=[date_in_range],
        help_text=_(
            "For example, 2027-01-15. The decision clock stops until the resident answers."
        ),
        error_messages={
            "required": _("Enter the date the resident should answer by."),
            "invalid": _("Enter a date as year-month-day, for example 2027-01-15."),
        },
    )


def decision_choices(case_type) -> list[tuple[str, str]]:
    return [(t["code"], tr(t["label"])) for t in case_type.decision_templates]


class DecisionForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    reasons = forms.CharField(
        label=_("Your own words for the resident (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices

"""The residents' feedback forms and the service owner's answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.feedback.models import SATISFACTION, Kind
from civic.feedback.services import COMMENT_MAX

_COMMENT_HINT = _(
    "Do not include personal details such as your citizen service number, e-mail address or "
    "phone number: we cannot answer you here."
)


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    service = forms.SlugField(widget=forms.HiddenInput)
    step = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(v, label) for v, label in SATISFACTION] + [(0, _("No"))],
        error_messages={"required": _("Choose an answer.")},
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        help_text=_COMMENT_HINT,
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Your comment must be %(limit_value)s characters or fewer.")
        },
    )


class ActedOnForm(forms.Form):
    what_we_did = forms.CharField(
        label=_("What we did"),
        help_text=_("Published on the service's performance page as “You said, we did”."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was done about it.")},
    )


class ConsultationForm(forms.Form):
    """A new consultation, in both languages; options one per line (none: free text)."""

    slug = forms.SlugField(
        label=_("Web address"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens: /consultations/<address>/."),
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_nl = forms.CharField(label=_("Title in Dutch"), max_length=200)
    question_en = forms.CharField(
        label=_("Question in English"), widget=forms.Textarea(attrs={"rows": 3})
    )
    question_nl = forms.CharField(
        label=_("Question in Dutch"), widget=forms.Textarea(attrs={"rows": 3})
    )
    options_en = forms.CharField(
        label=_("Options in English (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line. Leave empty to let residents answer in their own words."),
    )
    options_nl = forms.CharField(
        label=_("Options in Dutch (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, in the same order as in English."),
    )
    opens = forms.DateField(label=_("Opens on"), help_text=_("For example 2027-01-15."))
    closes = forms.DateField(label=_("Closes after"), help_text=_("The last day to answer."))

    def clean(self):
        cleaned = super().clean()
        english = [line.strip() for line in cleaned.get("options_en", "").splitlines()]
        dutch = [line.strip() for line in cleaned.get("options_nl", "").splitlines()]
        english, dutch = [x for x in english if x], [x for x in dutch if x]
        if len(english) != len(dutch):
            self.add_error("options_nl", _("Give as many options in Dutch as in English."))
        cleaned["options"] = [{"en": e, "nl": n} for e, n in zip(english, dutch, strict=False)]
        return cleaned


class PublishForm(forms.Form):
    outcome_en = forms.CharField(
        label=_("What we did, in English"), widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome_nl = forms.CharField(
        label=_("What we did, in Dutch"), widget=forms.Textarea(attrs={"rows": 3})
    )

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

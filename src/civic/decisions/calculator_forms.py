"""The calculator's two steps as forms: who is in the household, then its money and
belongings. Each field has its own message; nothing is stored (the answers travel in the
form's own fields between steps, posted, never in a URL)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.core import clock

MAX_CHILDREN = 10
_EUROS = re.compile(r"^-?(\d+|\d{1,3}([.,]\d{3})+)$")

#: Every field of both steps: what a step carries in hidden fields when it shows another.
STEP_ONE = ("year", "age", "partner", "partner_age", "children")
STEP_TWO_FIXED = (
    "income",
    "partner_income",
    "rent",
    "property_value",
    "dogs",
    "assistance_dog",
    "vehicles",
)


def child_fields(count: int) -> list[str]:
    return [f"child_age_{i}" for i in range(count)]


def _whole(value: str, *, required: str, invalid: str, low: int, high: int, range_: str) -> int:
    text = (value or "").replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if not text:
        raise forms.ValidationError(required)
    if not _EUROS.match(text):
        raise forms.ValidationError(invalid)
    number = int(re.sub(r"[.,]", "", text))
    if not low <= number <= high:
        raise forms.ValidationError(range_)
    return number


class HouseholdForm(forms.Form):
    """Step 1: the year, you, your partner, how many children."""

    year = forms.TypedChoiceField(coerce=int, choices=(), widget=forms.RadioSelect)
    age = forms.CharField(required=False)
    partner = forms.ChoiceField(
        choices=(("yes", _("Yes")), ("no", _("No"))),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if you have a partner who lives with you"),
            "invalid_choice": _("Select yes if you have a partner who lives with you"),
        },
    )
    partner_age = forms.CharField(required=False)
    children = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = clock.today().year
        self.fields["year"].choices = [(this_year, this_year), (this_year + 1, this_year + 1)]
        self.fields["year"].error_messages = {
            "required": _("Select the year to calculate for"),
            "invalid_choice": _("Select the year to calculate for"),
        }

    def clean_age(self) -> int:
        age = _whole(
            self.cleaned_data.get("age"),
            required=_("Enter your age"),
            invalid=_("Enter your age as a whole number, like 42"),
            low=0,
            high=120,
            range_=_("Enter an age between 18 and 120"),
        )
        if age < 18:
            raise forms.ValidationError(
                _("You must be 18 or older: the benefits here are for adults and their children")
            )
        return age

    def clean_children(self) -> int:
        return _whole(
            self.cleaned_data.get("children") or "0",
            required=_("Enter how many children under 18 live with you"),
            invalid=_("Enter the number of children as a whole number, like 2"),
            low=0,
            high=MAX_CHILDREN,
            range_=_("Enter a number of children between 0 and 10"),
        )

    def clean(self):
        data = super().clean()
        if data.get("partner") == "yes":
            try:
                age = _whole(
                    data.get("partner_age"),
                    required=_("Enter your partner's age"),
                    invalid=_("Enter your partner's age as a whole number, like 40"),
                    low=18,
                    high=120,
                    range_=_("Enter your partner's age between 18 and 120"),
                )
            except forms.ValidationError as error:
                self.add_error("partner_age", error)
            else:
                data["partner_age"] = age
        else:
            data["partner_age"] = None
        return data


class MoneyForm(forms.Form):
    """Step 2: the children's ages, last year's incomes, rent, home, dogs, vehicles."""

    income = forms.CharField(required=False)
    partner_income = forms.CharField(required=False)
    rent = forms.CharField(required=False)
    property_value = forms.CharField(required=False)
    dogs = forms.CharField(required=False)
    assistance_dog = forms.ChoiceField(
        choices=(("yes", _("Yes")), ("no", _("No"))),
        widget=forms.RadioSelect,
        required=False,
    )
    vehicles = forms.CharField(required=False)

    def __init__(self, *args, children: int = 0, partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.children = children
        for name in child_fields(children):
            self.fields[name] = forms.CharField(required=False)
        if not partner:
            del self.fields["partner_income"]

    def clean(self):
        data = super().clean()
        for i, name in enumerate(child_fields(self.children), start=1):
            try:
                data[name] = _whole(
                    data.get(name),
                    required=_("Enter the age of child %(number)s") % {"number": i},
                    invalid=_("Enter the age of child %(number)s as a whole number, like 7")
                    % {"number": i},
                    low=0,
                    high=17,
                    range_=_("Enter an age between 0 and 17 for child %(number)s") % {"number": i},
                )
            except forms.ValidationError as error:
                self.add_error(name, error)
        checks = [
            (
                "income",
                _("Enter your income last year, or 0"),
                _("Enter your income in whole euros, like 24000 (a loss with a minus sign)"),
                -10_000_000,
                10_000_000,
                _("Enter an income between -10,000,000 and 10,000,000 euros"),
            ),
            (
                "rent",
                _("Enter your rent per month, or 0 if you do not rent"),
                _("Enter your rent in whole euros, like 850"),
                0,
                100_000,
                _("Enter a rent between 0 and 100,000 euros a month"),
            ),
            (
                "property_value",
                _("Enter the value of your home, or 0 if you do not own it"),
                _("Enter the value of your home in whole euros, like 350000"),
                0,
                100_000_000,
                _("Enter a value between 0 and 100,000,000 euros"),
            ),
            (
                "dogs",
                _("Enter how many dogs you keep, or 0"),
                _("Enter the number of dogs as a whole number, like 1"),
                0,
                20,
                _("Enter a number of dogs between 0 and 20"),
            ),
            (
                "vehicles",
                _("Enter how many cars are registered to you, or 0"),
                _("Enter the number of cars as a whole number, like 1"),
                0,
                20,
                _("Enter a number of cars between 0 and 20"),
            ),
        ]
        if self.partner:
            checks.insert(
                1,
                (
                    "partner_income",
                    _("Enter your partner's income last year, or 0"),
                    _(
                        "Enter your partner's income in whole euros, like 24000 (a loss with a minus sign)"
                    ),
                    -10_000_000,
                    10_000_000,
                    _("Enter an income between -10,000,000 and 10,000,000 euros"),
                ),
            )
        for name, required, invalid, low, high, range_ in checks:
            try:
                data[name] = _whole(
                    data.get(name),
                    required=required,
                    invalid=invalid,
                    low=low,
                    high=high,
                    range_=range_,
                )
            except forms.ValidationError as error:
                self.add_error(name, error)
        data["assistance_dog"] = data.get("assistance_dog") == "yes"
        return data

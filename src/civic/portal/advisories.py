"""Warnings about my area: the resident chooses to hear of public advisories (high water,
poor air) for where they live, which rests on their consent to look up their address when an
advisory is sent, and for neighbourhoods they choose (where they work, a parent's street)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.identity.selectors import resident_personal_number
from civic.sensors.selectors import (
    advisories_in_force,
    advisory_subscription_get,
    neighbourhood_choices,
)
from civic.sensors.services import SubscriptionRefused, advisory_subscription_set


class SubscriptionForm(forms.Form):
    home = forms.BooleanField(
        label=_("Warn me about where I live"),
        help_text=_(
            "Each time we send a warning, we look up which neighbourhood you live in. You "
            "will see each look-up under “Who used my data”."
        ),
        required=False,
    )
    neighbourhoods = forms.MultipleChoiceField(
        label=_("Other neighbourhoods"),
        help_text=_("Select any you want to hear about, such as where you work."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].choices = neighbourhood_choices()


@login_required
def subscription(request: HttpRequest) -> HttpResponse:
    number = resident_personal_number(user=request.user)
    if number is None:
        return redirect("home")
    current = advisory_subscription_get(personal_number=number)
    initial = {"home": False, "neighbourhoods": []}
    if current is not None:
        initial = {"home": current.home, "neighbourhoods": current.neighbourhoods}
    form = SubscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            advisory_subscription_set(
                personal_number=number,
                home=form.cleaned_data["home"],
                neighbourhoods=form.cleaned_data["neighbourhoods"],
            )
        except SubscriptionRefused as refusal:
            for field, problem in refusal.problems.items():
                form.add_error(field, problem)
        else:
            messages.success(request, gettext("Your choices are saved."))
            return redirect("portal:advisories")
    return render(
        request,
        "portal/advisories.html",
        {"form": form, "subscribed": current is not None, "in_force": advisories_in_force()},
    )

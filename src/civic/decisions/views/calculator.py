"""The public calculator under /calculator/: a start page, two steps and the results. The
answers travel between steps in the form's own (posted) fields: nothing is stored and no
answer is in a URL. A logged-in resident may start from their own data."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civic.core import clock
from civic.core.errors import CivicError
from civic.decisions.calculator import Entered, outcomes, own_household_read, support_curve
from civic.decisions.calculator_forms import (
    STEP_ONE,
    STEP_TWO_FIXED,
    HouseholdForm,
    MoneyForm,
    child_fields,
)
from civic.decisions.calculator_pages import curve_view, outcome_views
from civic.identity.selectors import resident_personal_number

log = logging.getLogger("civic.decisions")


def _carry(data, keep: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """The posted answers of the other steps, as hidden fields."""
    names = [*STEP_ONE, *STEP_TWO_FIXED, *child_fields(10)]
    return [(n, data.get(n, "")) for n in names if n not in keep and data.get(n, "") != ""]


def _step_one(request, data=None, form=None, *, prefilled: bool = False) -> HttpResponse:
    form = form or HouseholdForm(initial=_initial(data))
    return render(
        request,
        "decisions/calculator/household.html",
        {"form": form, "carry": _carry(data or {}, STEP_ONE), "prefilled": prefilled},
    )


def _step_two(request, data, household: dict, form=None) -> HttpResponse:
    form = form or MoneyForm(
        initial=_initial(data),
        children=household["children"],
        partner=household["partner"] == "yes",
    )
    keep = [*STEP_TWO_FIXED, *child_fields(household["children"])]
    children = [form[name] for name in child_fields(household["children"])]
    return render(
        request,
        "decisions/calculator/money.html",
        {
            "form": form,
            "carry": _carry(data, keep),
            "children": children,
            "year": household["year"],
            "last_year": household["year"] - 1,
        },
    )


def _initial(data) -> dict:
    if not data:
        return {"year": clock.today().year}
    return {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "decisions/calculator/start.html",
        {"resident": resident_personal_number(user=request.user) is not None},
    )


def household(request: HttpRequest) -> HttpResponse:
    """Step 1; posted to it, the answers so far are shown to change (no errors yet)."""
    return _step_one(request, request.POST if request.method == "POST" else None)


def details(request: HttpRequest) -> HttpResponse:
    """Step 2, after step 1 is checked."""
    if request.method != "POST":
        return redirect("calculator:household")
    form = HouseholdForm(request.POST)
    if not form.is_valid():
        return _step_one(request, request.POST, form)
    return _step_two(request, request.POST, form.cleaned_data)


@require_POST
def results(request: HttpRequest) -> HttpResponse:
    first = HouseholdForm(request.POST)
    if not first.is_valid():
        return _step_one(request, request.POST, first)
    household = first.cleaned_data
    second = MoneyForm(
        request.POST, children=household["children"], partner=household["partner"] == "yes"
    )
    if not second.is_valid():
        return _step_two(request, request.POST, household, second)
    money = second.cleaned_data
    entered = Entered(
        year=household["year"],
        age=household["age"],
        partner_age=household["partner_age"],
        children=tuple(money[name] for name in child_fields(household["children"])),
        income=money["income"],
        partner_income=money.get("partner_income") or 0,
        rent_per_month=money["rent"],
        property_value=money["property_value"],
        dogs=money["dogs"],
        assistance_dog=money["assistance_dog"],
        vehicles=money["vehicles"],
    )
    context = {"entered": entered, "carry": _carry(request.POST, ()), "error": ""}
    try:
        found = outcomes(entered)
        curve = support_curve(entered)
    except CivicError as error:
        # No law in force for the year, or the rules not loaded: said plainly, nothing lost.
        log.info("calculator refused a computation for %s: %s", entered.year, type(error).__name__)
        context["error"] = str(error)
        return render(request, "decisions/calculator/results.html", context, status=200)
    context.update(
        {
            "outcomes": outcome_views(found, entered),
            "curve": curve_view(curve, entered),
        }
    )
    return render(request, "decisions/calculator/results.html", context)


@require_POST
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Fill in from the resident's own registers (read and logged), to check and change."""
    number = resident_personal_number(user=request.user)
    if number is None:
        return redirect("calculator:start")
    year = clock.today().year
    try:
        entered = own_household_read(personal_number=number, year=year)
    except CivicError as error:
        return render(
            request, "decisions/calculator/start.html", {"resident": True, "error": str(error)}
        )
    if entered is None:
        return render(
            request,
            "decisions/calculator/start.html",
            {"resident": True, "error": _("The persons register has no current address for you.")},
        )
    data = {
        "year": str(year),
        "age": str(entered.age),
        "partner": "yes" if entered.partner_age is not None else "no",
        "partner_age": "" if entered.partner_age is None else str(entered.partner_age),
        "children": str(len(entered.children)),
        "income": str(entered.income),
        "partner_income": str(entered.partner_income) if entered.partner_age is not None else "",
        "vehicles": str(entered.vehicles),
        **{name: str(age) for name, age in zip(child_fields(10), entered.children, strict=False)},
    }
    return _step_one(request, data, prefilled=True)

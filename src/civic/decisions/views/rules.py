"""Staff pages of the rules: each automatable case type with its mode and, in shadow mode,
how often the rules agree with the caseworkers; a service owner switches the mode here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civic.core.errors import CivicError
from civic.decisions import selectors, services
from civic.decisions.models import RuleSetMode
from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.identity.selectors import staff_has_role


@staff_with(Role.CASEWORKER, Role.SERVICE_OWNER)
def rules_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "decisions/rules.html",
        {
            "rows": selectors.modes_list(user=request.user),
            "may_switch": staff_has_role(user=request.user, role=Role.SERVICE_OWNER),
            "changed": request.GET.get("changed", ""),
        },
    )


@staff_with(Role.CASEWORKER, Role.SERVICE_OWNER)
def rules_case_type(request: HttpRequest, case_type: str) -> HttpResponse:
    row = selectors.mode_of_case_type(case_type=case_type, user=request.user)
    if row is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.mode_set(
                case_type=case_type, mode=request.POST.get("mode", ""), user=request.user
            )
        except CivicError as refusal:
            error = str(refusal)
        else:
            return redirect(f"{reverse('rules:index')}?changed={case_type}")
    return render(
        request,
        "decisions/rules_case_type.html",
        {
            "row": row,
            "report": selectors.shadow_report(case_type=case_type, user=request.user),
            "modes": RuleSetMode.Mode.choices,
            "may_switch": staff_has_role(user=request.user, role=Role.SERVICE_OWNER),
            "error": error,
        },
        status=400 if error else 200,
    )

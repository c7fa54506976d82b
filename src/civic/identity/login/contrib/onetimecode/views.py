"""The one-time-code login pages: ask for a code with a personal number, then enter it.

Switched off (404) unless CIVIC_RESIDENT_LOGIN_METHODS lists `onetimecode`; production refuses
to start with it.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civic.core.middleware import client_address
from civic.identity import services
from civic.identity.forms import OneTimeCodeForm, PersonalNumberForm
from civic.identity.login.contrib.onetimecode import limits
from civic.identity.login.contrib.onetimecode.backend import OneTimeCodeBackend
from civic.identity.login.contrib.onetimecode.delivery import code_deliver
from civic.identity.login.registry import login_method_view
from civic.identity.login.session import SESSION_NEXT, with_preferred_language
from civic.identity.persons import person_is_registered

SESSION_PENDING_NUMBER = "civic.login.personal_number"
#: A secret the asking browser keeps; its code works only together with it.
SESSION_CODE_BINDING = "civic.login.code_binding"
BACKEND = "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend"


def _paused(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/login_paused.html", status=429)


@login_method_view("onetimecode")
def code_request(request: HttpRequest) -> HttpResponse:
    form = PersonalNumberForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        if not limits.address_may_ask_for_codes(address=address):
            return _paused(request)
        number = form.cleaned_data["personal_number"]
        binding = request.session.get(SESSION_CODE_BINDING) or secrets.token_urlsafe(24)
        try:
            code = services.one_time_code_issue(
                personal_number=number, binding=binding, requested_from=address
            )
        except services.LoginRefused as refusal:
            form.add_error("personal_number", str(refusal))
        else:
            # The same answer, after the same work, whether or not the number is registered, so
            # the page cannot be used to find out who lives here; an unregistered number never
            # receives a code.
            code_deliver(
                personal_number=number,
                code=code,
                registered=person_is_registered(personal_number=number),
            )
            request.session[SESSION_PENDING_NUMBER] = number
            request.session[SESSION_CODE_BINDING] = binding
            return redirect("identity:resident-login-code")
    return render(request, "identity/resident_login_code_request.html", {"form": form})


@login_method_view("onetimecode")
def code_enter(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_PENDING_NUMBER)
    if not number:
        return redirect("identity:resident-login-code-request")
    form = OneTimeCodeForm(request.POST or None)
    address = client_address(request)
    if request.method == "POST" and form.is_valid():
        if not limits.address_may_enter_codes(address=address) or limits.code_login_paused():
            return _paused(request)
        # Straight to the code backend, not through authenticate(): django-axes listens there
        # and would lock every resident behind the same address for one person's typos. Codes
        # have their own limits (limits.py, and five guesses burn a code).
        user = OneTimeCodeBackend().authenticate(
            request,
            personal_number=number,
            one_time_code=form.cleaned_data["code"].strip(),
            binding=request.session.get(SESSION_CODE_BINDING, ""),
        )
        if user is not None:
            services.login_event_record(
                method="onetimecode", personal_number=number, outcome="success", ip_address=address
            )
            next_url = request.session.pop(SESSION_NEXT, None)
            login(request, user, backend=BACKEND)
            request.session.pop(SESSION_PENDING_NUMBER, None)
            request.session.pop(SESSION_CODE_BINDING, None)
            return with_preferred_language(redirect(next_url or "portal:dashboard"), user)
        services.login_event_record(
            method="onetimecode",
            personal_number=number,
            outcome=limits.WRONG_CODE,
            ip_address=address,
        )
        form.add_error(
            "code",
            _("That code is not right or has expired. Check the message, or ask for a new code."),
        )
    return render(
        request,
        "identity/resident_login_code.html",
        {"form": form, "masked_number": f"{number[:3]}***{number[-2:]}"},
    )

"""The eID login: off to the provider (state, nonce and PKCE kept in the session), and back.

mozilla-django-oidc's request view starts the flow; the callback is Civic's own, so that every
refusal — the provider's error, a wrong or replayed state, a bad token, an unknown person — gets
a page that says why, a login event and a log line, and so that django-axes (which guards staff
passwords) never counts a resident's failed eID login against everyone behind their address.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from civic.core.middleware import client_address
from civic.identity import services
from civic.identity.login.contrib.oidc.backend import EidRefused, ResidentOIDCBackend
from civic.identity.login.registry import login_method_view
from civic.identity.login.session import SESSION_NEXT, safe_next, with_preferred_language

log = logging.getLogger("civic.identity")
BACKEND = "civic.identity.login.contrib.oidc.backend.ResidentOIDCBackend"
STATES = "oidc_states"  # where the library keeps state, nonce and code verifier


@method_decorator(login_method_view("oidc"), name="dispatch")
class EidLoginStart(OIDCAuthenticationRequestView):
    """Redirect to the provider. `?next=` (or the login page's remembered one) is kept."""

    def get_extra_params(self, request):
        extra = {}
        if settings.OIDC_ACR_VALUES:
            extra["acr_values"] = " ".join(settings.OIDC_ACR_VALUES)
        if settings.OIDC_MAX_AUTH_AGE_SECONDS:
            extra["max_age"] = str(settings.OIDC_MAX_AUTH_AGE_SECONDS)
        return extra

    def get(self, request):
        next_url = safe_next(request, request.GET.get("next"))
        if next_url:
            request.session[SESSION_NEXT] = next_url
        return super().get(request)


@login_method_view("oidc")
def eid_login_callback(request: HttpRequest) -> HttpResponse:
    backend = ResidentOIDCBackend()
    address = client_address(request)
    try:
        user = _authenticate(request, backend)
    except EidRefused as refusal:
        return _refused(request, refusal.reason, str(refusal), address)
    except (requests.RequestException, ValueError) as error:
        # The token or userinfo endpoint refused the code (used twice, expired) or is down.
        return _refused(request, "provider-error", type(error).__name__, address)
    if user is None:
        reason = backend.refusal or "bad-token"
        return _refused(request, reason, backend.refusal_detail or reason, address)
    number = user.resident.personal_number
    services.login_event_record(
        method="oidc", personal_number=number, outcome="success", ip_address=address
    )
    next_url = request.session.pop(SESSION_NEXT, None)
    login(request, user, backend=BACKEND)
    return with_preferred_language(redirect(next_url or "portal:dashboard"), user)


def _authenticate(request: HttpRequest, backend: ResidentOIDCBackend):
    if request.GET.get("error"):
        _forget_state(request)
        raise EidRefused("cancelled", f"the provider answered {request.GET['error'][:40]!r}")
    state = request.GET.get("state")
    if not request.GET.get("code") or not state:
        raise EidRefused("bad-state", "no code or state in the callback")
    flow = request.session.get(STATES, {}).get(state)
    if flow is None:
        # Not started in this browser, started twice, or already used: a replay or a forgery.
        raise EidRefused("bad-state", "the state is not one this session started")
    _forget_state(request)
    try:
        return backend.authenticate(
            request, nonce=flow["nonce"], code_verifier=flow.get("code_verifier")
        )
    except EidRefused:
        raise
    except SuspiciousOperation as error:
        raise EidRefused("bad-token", str(error)) from error


def _forget_state(request: HttpRequest) -> None:
    states = request.session.get(STATES, {})
    states.pop(request.GET.get("state", ""), None)
    request.session[STATES] = states


def _refused(request: HttpRequest, reason: str, detail: str, address: str | None) -> HttpResponse:
    services.login_event_record(
        method="oidc", personal_number="", outcome=f"refused-{reason}", ip_address=address
    )
    # The detail names what was wrong with the token or state, never a personal number.
    log.warning("eID login refused (%s): %s", reason, detail)
    status = 403 if reason in {"not-registered", "weak-assurance"} else 400
    return render(request, "identity/eid_refused.html", {"reason": reason}, status=status)

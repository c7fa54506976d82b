"""The staff login's second step: enrolling an authenticator app, entering its code or a
recovery code, and the recovery codes shown once. Thin: forms validate, services act.

Every page here needs a pending login (the right password, in this session, a few minutes
ago); without one it sends the person back to the password. A wrong code counts towards
django-axes's lockout of the user name at the address, as a wrong password does.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from civic.identity import selectors
from civic.identity.models import User
from civic.identity.second_factor import codes, session
from civic.identity.second_factor.forms import AuthenticatorCodeForm, RecoveryCodeForm
from civic.identity.second_factor.sealing import seal, unseal
from civic.identity.second_factor.services import (
    Check,
    SecondFactorRefused,
    recovery_code_redeem,
    second_factor_check,
    second_factor_enrol,
)


def _axes_credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def _locked_page(request: HttpRequest) -> HttpResponse:
    from civic.identity.views import staff_login_locked

    session.pending_end(request)
    return staff_login_locked(request)


def _refusal(request: HttpRequest, user: User, outcome: Check, *, recovery: bool = False):
    """What to tell the person about a refused code, after counting it towards the lockout;
    None when the login is locked now (the caller shows the locked page)."""
    if outcome in (Check.WRONG, Check.REPLAYED):
        user_login_failed.send(
            sender=__name__, credentials=_axes_credentials(user), request=request
        )
        if getattr(request, "axes_locked_out", False):
            return None
    if outcome == Check.PAUSED:
        return _(
            "Too many wrong codes were entered for this account. Try again in %(minutes)s "
            "minutes. If this was not you, tell your administrator."
        ) % {"minutes": _cooloff_minutes()}
    if outcome == Check.UNREADABLE:
        return _(
            "Your second factor can no longer be checked. Ask your administrator to reset it; "
            "you then set up your app again."
        )
    if recovery:
        if outcome == Check.REPLAYED:
            return _("That recovery code was used already. Each code works once.")
        return _("That is not one of your recovery codes.")
    if outcome == Check.REPLAYED:
        return _("That code was used already. Wait for the app to show a new one and enter that.")
    return _("The code is not right. Check the app shows Civic, and enter the code it shows now.")


def _cooloff_minutes() -> int:
    from django.conf import settings

    return settings.STAFF_LOGIN_COOLOFF_MINUTES


def _pending_or_restart(request: HttpRequest, *, enrolled: bool):
    """(user, None) for the pending login in the state this page expects, or (None, a redirect
    to where it belongs)."""
    user = session.pending_user(request)
    if user is None:
        return None, redirect("identity:staff-login")
    has_factor = selectors.second_factor_get(user=user) is not None
    if has_factor and not enrolled:
        return None, redirect("identity:staff-login-code")
    if enrolled and not has_factor:
        return None, redirect("identity:staff-login-enrol")
    return user, None


def _second_step(request, *, form_class, field: str, check, template: str, recovery: bool):
    """The code step and the recovery-code step: the same login, checked by ``check``."""
    user, elsewhere = _pending_or_restart(request, enrolled=True)
    if elsewhere:
        return elsewhere
    if AxesProxyHandler.is_locked(request, _axes_credentials(user)):
        return _locked_page(request)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, factor = check(user=user, code=form.cleaned_data[field])
        if outcome == Check.ACCEPTED:
            return session.login_finish(request, user, factor)
        message = _refusal(request, user, outcome, recovery=recovery)
        if message is None:
            return _locked_page(request)
        form.add_error(field, message)
    return render(request, template, {"form": form})


@never_cache
@sensitive_post_parameters("code")
def code_enter(request: HttpRequest) -> HttpResponse:
    return _second_step(
        request,
        form_class=AuthenticatorCodeForm,
        field="code",
        check=second_factor_check,
        template="identity/second_factor_code.html",
        recovery=False,
    )


@never_cache
@sensitive_post_parameters("recovery_code")
def recovery_code_enter(request: HttpRequest) -> HttpResponse:
    return _second_step(
        request,
        form_class=RecoveryCodeForm,
        field="recovery_code",
        check=recovery_code_redeem,
        template="identity/second_factor_recovery.html",
        recovery=True,
    )


@never_cache
@sensitive_post_parameters("code")
def enrol(request: HttpRequest) -> HttpResponse:
    user, elsewhere = _pending_or_restart(request, enrolled=False)
    if elsewhere:
        return elsewhere
    secret = unseal(request.session.get(session.ENROLMENT_SECRET, "") or "", user_id=user.pk)
    if secret is None:
        secret = codes.secret_new()
        request.session[session.ENROLMENT_SECRET] = seal(secret, user_id=user.pk)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor, recovery = second_factor_enrol(
                user=user, secret=secret, code=form.cleaned_data["code"]
            )
        except SecondFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            response = session.login_finish(request, user, factor)
            request.session[session.RECOVERY_CODES] = {
                "codes": recovery,
                "next": response["Location"],
            }
            response["Location"] = reverse("identity:staff-recovery-codes")
            return response
    uri = codes.provisioning_uri(secret, account=user.get_username())
    context = {
        "form": form,
        "qr": codes.qr_data_uri(uri),
        "secret": codes.secret_grouped(secret),
        "account": user.get_username(),
    }
    return render(request, "identity/second_factor_enrol.html", context)


@never_cache
@login_required(login_url="identity:staff-login")
def recovery_codes_show(request: HttpRequest) -> HttpResponse:
    """The recovery codes made at enrolment, once: they leave the session as they are shown."""
    shown = request.session.pop(session.RECOVERY_CODES, None)
    if not isinstance(shown, dict) or not selectors.needs_second_factor(user=request.user):
        return redirect("identity:staff-home")
    next_url = shown.get("next") or reverse("identity:staff-home")
    return render(
        request,
        "identity/second_factor_recovery_codes.html",
        {"codes": shown.get("codes", []), "next": next_url},
    )

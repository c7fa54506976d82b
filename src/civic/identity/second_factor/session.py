"""What a staff login's session carries between the password and the code.

After the password the session holds only a *pending* login (``PENDING``: who, through which
backend, where to go, when); Django's ``login()`` happens only once the code is accepted, so a
session that stopped after the password is anonymous to every page. The session then
remembers the factor it passed with (``PASSED``); ``StaffSecondFactorMiddleware`` ends any
staff session without it, or whose factor was reset since.
"""

from __future__ import annotations

import time

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from civic.identity.login.session import with_preferred_language
from civic.identity.models import StaffSecondFactor, User

PENDING = "civic.staff_login.pending"
#: The seed shown on the enrolment page, sealed, until a code confirms it: it lives in this
#: login's session only, so nobody else who gets as far as the password sees it.
ENROLMENT_SECRET = "civic.staff_login.enrolment_secret"  # noqa: S105 (a session key)
PASSED = "civic.staff_login.second_factor"
RECOVERY_CODES = "civic.staff_login.recovery_codes"
#: Minutes between the password and the code (or the end of enrolment, which may include
#: installing an app) before the password must be given again.
PENDING_MINUTES = 10


def pending_start(request: HttpRequest, user: User, next_url: str | None) -> None:
    # A new session key at the change of privilege, as login() itself would make.
    request.session.cycle_key()
    request.session.pop(ENROLMENT_SECRET, None)
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "at": int(time.time()),
        "next": next_url or "",
    }


def pending_user(request: HttpRequest) -> User | None:
    """The user who gave the right password in this session a few minutes ago, or None (no
    such login, too long ago, the account switched off or its password changed since)."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_MINUTES * 60:
        pending_end(request)
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        pending_end(request)
        return None
    return user


def pending_end(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)
    request.session.pop(ENROLMENT_SECRET, None)


def login_finish(
    request: HttpRequest, user: User, factor: StaffSecondFactor | None
) -> HttpResponse:
    """Both steps done (or the second factor is off): log in and go where the person was
    going."""
    pending = request.session.get(PENDING) or {}
    next_url = pending.get("next") or reverse("identity:staff-home")
    backend = pending.get("backend") or getattr(user, "backend", None)
    pending_end(request)
    login(request, user, backend=backend)
    if factor is not None:
        request.session[PASSED] = factor.pk
    return with_preferred_language(redirect(next_url), user)


def session_mark_passed(session, factor: StaffSecondFactor) -> None:
    """Mark a session made outside the login pages (a benchmark's, a test fixture's) as one
    that passed ``factor``."""
    session[PASSED] = factor.pk

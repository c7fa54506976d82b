"""Staff logins in tests: the real two steps through the pages (password, then the code from
the authenticator app), and the fixture behind ``client.force_login`` for staff.

A test that is about something else logs staff in with ``client.force_login``; the autouse
fixture in tests/conftest.py makes that stand for a login through both steps (the staff
member gets a factor with ``KNOWN_SECRET`` if they have none, and the session is marked as
having passed it, as the code page marks it). Tests of the login itself go through the pages
with :func:`staff_log_in`.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from civic.core import clock
from civic.identity import selectors, services
from civic.identity.models import StaffSecondFactor, User
from civic.identity.second_factor import codes
from civic.identity.second_factor.session import session_mark_passed

#: The seed test fixtures give staff members (32 base-32 characters, as an app gets).
KNOWN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STAFF_LOGIN_URL = reverse("identity:staff-login")
CODE_URL = reverse("identity:staff-login-code")
RECOVERY_URL = reverse("identity:staff-login-recovery")
ENROL_URL = reverse("identity:staff-login-enrol")


def with_authenticator(user: User, secret: str = KNOWN_SECRET) -> list[str]:
    """Give ``user`` a factor with ``secret``; returns its recovery codes."""
    _factor, recovery = services.second_factor_install(user=user, secret=secret)
    return recovery


def usable_code(user: User, secret: str = KNOWN_SECRET) -> str:
    """The code the user's app shows now, or the next step's when this step's code was used
    already (the drift window accepts it), as a person would wait for the next one."""
    factor = StaffSecondFactor.objects.get(user=user)
    step = max(codes.step_at(clock.now()), factor.last_used_step + 1)
    return codes.code_at(secret, step)


def session_passes_second_factor(client: Client, user: User) -> None:
    if not selectors.needs_second_factor(user=user):
        return
    factor = selectors.second_factor_get(user=user)
    if factor is None:
        factor, _recovery = services.second_factor_install(user=user, secret=KNOWN_SECRET)
    session = client.session
    session_mark_passed(session, factor)
    session.save()


def staff_log_in(
    client: Client,
    username: str,
    password: str,
    *,
    secret: str = KNOWN_SECRET,
    next_url: str | None = None,
    **extra,
):
    """Log in through the pages: the password, then (when the password was right and the
    account has a factor) the code its app shows. Returns the last response."""
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(STAFF_LOGIN_URL, data, **extra)
    if response.status_code != 302 or response["Location"] != CODE_URL:
        return response
    user = User.objects.get(username=username)
    return client.post(CODE_URL, {"code": usable_code(user, secret)}, **extra)

"""Resident login methods known to Civic, and which ones the settings turn on."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic.identity.login.base import LoginMethod

METHODS: dict[str, LoginMethod] = {
    "onetimecode": LoginMethod(
        key="onetimecode",
        label=_("Log in with a one-time code"),
        description=_("Enter your personal number and we send you a code to log in with."),
        url_name="identity:resident-login-code-request",
    ),
    "oidc": LoginMethod(
        key="oidc",
        label=_("Log in with your national eID"),
        description=_("You are sent to the national eID service and back."),
        url_name="oidc_authentication_init",
    ),
}


def enabled_methods() -> list[LoginMethod]:
    return [METHODS[key] for key in settings.RESIDENT_LOGIN_METHODS if key in METHODS]

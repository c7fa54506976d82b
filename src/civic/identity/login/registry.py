"""Resident login methods known to Civic, and which ones the settings turn on.

A method that CIVIC_RESIDENT_LOGIN_METHODS does not list has no pages: its views answer 404.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from civic.identity.login.base import LoginMethod

METHODS: dict[str, LoginMethod] = {
    "onetimecode": LoginMethod(
        key="onetimecode",
        label=_("Log in with a one-time code"),
        description=_("Enter your personal number and we send you a code to log in with."),
        url_name="identity:resident-login-code-request",
        means=_("a one-time code sent to you"),
    ),
    "oidc": LoginMethod(
        key="oidc",
        label=_("Log in with your national eID"),
        description=_("You are sent to the national eID service and back."),
        url_name="identity:eid-login-start",
        means=_("your national eID"),
    ),
}


def enabled_methods() -> list[LoginMethod]:
    return [METHODS[key] for key in settings.RESIDENT_LOGIN_METHODS if key in METHODS]


def method_enabled(key: str) -> bool:
    return key in settings.RESIDENT_LOGIN_METHODS


def login_method_view(key: str):
    """Decorate a view of login method ``key``: 404 unless the settings turn the method on."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not method_enabled(key):
                raise Http404("this login method is switched off")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""Resident login methods known to Civic (registered by ``contrib/<key>/method.py``), and
which ones the settings turn on.

A method that CIVIC_RESIDENT_LOGIN_METHODS does not list has no pages: its views answer 404.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import Http404

from civic.core.plugins import Registry
from civic.identity.login.base import LoginMethod

login_methods: Registry[type[LoginMethod]] = Registry(
    "resident login method",
    LoginMethod,
    contrib=[
        "civic.identity.login.contrib.onetimecode.method",
        "civic.identity.login.contrib.oidc.method",
    ],
)


def methods_check() -> None:
    """ImproperlyConfigured, naming the known keys, when CIVIC_RESIDENT_LOGIN_METHODS names a
    method nobody registered (checked when Civic starts)."""
    for key in settings.RESIDENT_LOGIN_METHODS:
        login_methods.get(key, setting="CIVIC_RESIDENT_LOGIN_METHODS")


def enabled_methods() -> list[LoginMethod]:
    """The methods offered, in the order CIVIC_RESIDENT_LOGIN_METHODS lists them."""
    return [login_methods.get(key)() for key in settings.RESIDENT_LOGIN_METHODS]


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

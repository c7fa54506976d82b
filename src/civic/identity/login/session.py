"""What every login method shares once it knows who the resident is: where they were going,
and the language they chose on their account."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from civic.identity.models import User

SESSION_NEXT = "civic.login.next"


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` if it is an address on this site, else None (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def with_preferred_language(response: HttpResponse, user: User) -> HttpResponse:
    if user.preferred_language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response

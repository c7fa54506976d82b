"""Errors every app may raise; each carries a message fit to show the person who caused it."""

from __future__ import annotations


class CivicError(Exception):
    """Base of Civic's own refusals. ``str(error)`` is the message for the user."""

    #: A short machine-readable code (used in problem+json ``type`` and in logs).
    code = "civic-error"


class InvalidIdentifier(CivicError, ValueError):
    """A personal number or business number that is malformed or fails its check digit."""

    code = "invalid-identifier"


class NotFound(CivicError, LookupError):
    code = "not-found"


class Conflict(CivicError):
    """The request would mix or overwrite something that already exists."""

    code = "conflict"


def problem_response(request, *, status: int, title: str, detail: str, code: str, **extra):
    """An RFC 9457 problem+json answer, the one shape every API of Civic refuses in (the
    django-ninja APIs, the middleware that refuses before them, the plain JSON views)."""
    from django.http import JsonResponse

    return JsonResponse(
        {
            "type": f"https://civic.invalid/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.path.replace("\x00", ""),
            **extra,
        },
        status=status,
        content_type="application/problem+json",
    )

"""Civic's public HTTP API: one django-ninja instance, errors as RFC 9457 problem+json."""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from civic.core import tracing
from civic.core.errors import CivicError, Conflict, InvalidIdentifier, NotFound
from civic.exchange.api import router as exchange_router
from civic.registers.api import router as registers_router

api = NinjaAPI(
    title="Civic API",
    version="1",
    description="Base registers, the once-only exchange and the services of a public body.",
    urls_namespace="api",
)


def problem(request: HttpRequest, *, status: int, title: str, detail: str, type_: str, **extra):
    body = {
        "type": f"https://civic.invalid/problems/{type_}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")


STATUS_OF = {NotFound: 404, InvalidIdentifier: 400, Conflict: 409}


@api.exception_handler(CivicError)
def civic_error(request, error: CivicError):
    status = getattr(error, "status", None) or next(
        (code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400
    )
    extra = {"items": error.items} if hasattr(error, "items") else {}
    response = problem(
        request,
        status=status,
        title=error.__class__.__name__,
        detail=str(error),
        type_=error.code,
        **extra,
    )
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request, error: ValidationError):
    return problem(
        request,
        status=400,
        title=_("The request is not valid."),
        detail=_("See the errors for each item."),
        type_="invalid-request",
        errors=error.errors,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, error):
    return problem(
        request,
        status=401,
        title=_("Credentials are missing or wrong."),
        detail=_("Send the API client's credentials."),
        type_="unauthenticated",
    )


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    return problem(
        request, status=error.status_code, title=str(error), detail=str(error), type_="http-error"
    )


@api.exception_handler(Exception)
def unexpected_error(request, error: Exception):
    """Anything else: logged once with its traceback (as Django logs a page's 500), answered
    with problem+json and the trace id to quote, and nothing of the error itself."""
    got_request_exception.send(sender=None, request=request)
    response = problem(
        request,
        status=500,
        title=_("Sorry, there is a problem with the service."),
        detail=_("Try again later. If you contact us about this, quote the trace_id."),
        type_="internal-error",
        trace_id=tracing.trace_id(),
    )
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=sys.exc_info() if sys.exc_info()[1] is error else error,
        extra={"status_code": 500, "request": request},
    )
    response._has_been_logged = True  # so that Django does not log it a second time
    return response


api.add_router("/registers/", registers_router)
api.add_router("/exchange/v1/", exchange_router)

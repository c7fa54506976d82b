"""Civic's public HTTP API: one django-ninja instance, errors as RFC 9457 problem+json."""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from civic.cases.api import router as cases_router
from civic.compliance.api import router as privacy_router
from civic.core import tracing
from civic.core.errors import CivicError, Conflict, InvalidIdentifier, NotFound, problem_response
from civic.core.fieldcrypt import FieldDecryptError
from civic.decisions.api import router as rules_router
from civic.decisions.reform_api import router as reforms_router
from civic.exchange.api import router as exchange_router
from civic.exchange.catalogue_api import router as registers_router
from civic.insights.api import router as insights_router

PROBLEM_JSON = "application/problem+json"


class Problem(Schema):
    """RFC 9457 problem details: the body of every refusal."""

    type: str = Field(..., description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(..., description="What went wrong, for the person who sent the request")
    instance: str = Field(..., description="The path that was asked for")
    items: list[str] | None = Field(
        None, description="What was refused: the fields, subjects or purposes named in the request"
    )
    errors: list[dict] | None = Field(
        None, description="For an invalid request: what is wrong with each part of it"
    )


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


class CivicAPI(NinjaAPI):
    """django-ninja documents only the answers a route returns itself; the refusals come from
    the handlers below, so the document adds them here, once for every operation: a client
    generated from it knows that every error is problem+json."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = document.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for operations in document["paths"].values():
            for operation in operations.values():
                # ninja keys its responses by int, an operation's openapi_extra by str: one
                # code twice is a duplicated key once serialised, which Swagger UI refuses.
                responses = {
                    str(code): answer
                    for code, answer in operation["responses"].items()
                    if not (isinstance(code, int) and str(code) in operation["responses"])
                }
                operation["responses"] = responses
                if operation.get("parameters") or "requestBody" in operation:
                    responses.setdefault("400", _problem_response("The request is not valid."))
                if operation.get("security"):
                    responses.setdefault(
                        "401", _problem_response("Credentials are missing, wrong or revoked.")
                    )
                responses.setdefault(
                    "default", _problem_response("Refused: the problem says why and what.")
                )
        return document


api = CivicAPI(
    title="Civic API",
    version="1",
    description="Base registers, the once-only exchange and the services of a public body.",
    urls_namespace="api",
)


def problem(request: HttpRequest, *, status: int, title: str, detail: str, type_: str, **extra):
    return problem_response(request, status=status, title=title, detail=detail, code=type_, **extra)


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
    if isinstance(error.__cause__, CivicError):
        # django-ninja wraps whatever the parser raises in a 400 "Cannot parse request body";
        # a refusal of Civic's own keeps its words.
        return civic_error(request, error.__cause__)
    return problem(
        request, status=error.status_code, title=str(error), detail=str(error), type_="http-error"
    )


def integrity_problem(request: HttpRequest) -> JsonResponse:
    """A stored value failed its integrity check (core.fieldcrypt): 500, named as such, with
    nothing of the row or the person; the operators were alerted where it was found."""
    return problem(
        request,
        status=500,
        title=_("Stored data failed its integrity check."),
        detail=_(
            "A value Civic holds did not pass its integrity check, so nothing was released. "
            "The operators have been alerted. If you contact us about this, quote the trace_id."
        ),
        type_="data-integrity",
        trace_id=tracing.trace_id(),
    )


@api.exception_handler(FieldDecryptError)
def field_integrity_error(request, error: FieldDecryptError):
    return integrity_problem(request)


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
api.add_router("/cases/v1/", cases_router)
api.add_router("/rules/v1/", rules_router)
api.add_router("/reforms/v1/", reforms_router)
api.add_router("/privacy/v1/", privacy_router)
api.add_router("/insights/v1/", insights_router)


def _plain_problem(request: HttpRequest, response) -> JsonResponse:
    status = response.status_code
    if status == 404:
        title, detail = (
            _("There is nothing at this address."),
            _("Check the path against the API's OpenAPI document."),
        )
    elif status == 405:
        title = _("This address does not take that method.")
        detail = _("Use %(methods)s.") % {"methods": response.get("Allow", "")}
    elif status >= 500:
        title, detail = (
            _("Something went wrong on our side."),
            _("It has been logged; try again later."),
        )
    else:
        title, detail = (
            _("The request could not be answered."),
            _("Check the request and try again."),
        )
    answer = problem(request, status=status, title=title, detail=detail, type_=f"http-{status}")
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


class ProblemMiddleware:
    """Some refusals under the API are made by Django or django-ninja rather than by a handler
    above: an unknown path (Django's HTML page), a method the path does not take (ninja's plain
    text) or a crash (the HTML error page). The client of an API gets problem+json for those too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.root = None

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if self.root is None:
            # Reversed here, not at start-up: the URLconf imports this module.
            self.root = reverse("api:api-root")
        if (
            response.status_code >= 400
            and request.path.startswith(self.root)
            and not response.get("Content-Type", "").startswith(PROBLEM_JSON)
            # An API with an error format of its own (CKAN's envelope, opendata.ckan).
            and not getattr(response, "own_error_envelope", False)
        ):
            return _plain_problem(request, response)
        return response

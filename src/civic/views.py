"""Project-level pages: the home page, health and error pages."""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from civic.core import tracing
from civic.core.errors import CivicError
from civic.core.metrics import CONTENT_TYPE_LATEST, exposition, may_scrape
from civic.exchange import selectors as exchange
from civic.identity import selectors as identity
from civic.observability import readiness


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "jurisdiction": exchange.jurisdiction_get(),
            "agencies": identity.agency_list(),
            "resident_number": identity.resident_personal_number(user=request.user),
        },
    )


def health(request: HttpRequest) -> JsonResponse:
    """Liveness, for load balancers and benchmarks: answers without touching register data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database, the signing key, the cache and (when background work
    goes to Celery) the broker all answer; 503 naming what does not."""
    checks = readiness()
    ok = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "failing", "checks": checks}, status=200 if ok else 503
    )


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the allowed networks (and token) only; 404 for anyone else."""
    if not may_scrape(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request's trace id to quote. Rendered without the request's
    context processors (they may need the database that just failed); if even that fails, a
    line of text with the reference."""
    from django.http import HttpResponseServerError
    from django.template import loader
    from django.utils.translation import get_language

    trace_id = tracing.trace_id()
    try:
        page = loader.get_template("500.html").render(
            {"trace_id": trace_id, "LANGUAGE_CODE": get_language() or "en"}
        )
    except Exception:  # the error page must not fail in its turn
        page = f"Sorry, there is a problem with the service. Reference: {trace_id}"
    return HttpResponseServerError(page)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """The 400 page; a refusal of Civic's own (a page number out of range, an id that is not a
    number) is named on it. Django's own (a forged host, say) are not repeated to the sender."""

    detail = str(exception) if isinstance(exception, CivicError) else ""
    return render(request, "400.html", {"detail": detail}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (often: the page was open too long)."""
    return render(request, "403_csrf.html", status=403)

"""Request middleware of the shared kernel: a trace id and a log line per request, the client's
address behind a trusted proxy, and pages holding personal data kept out of every cache.

Imports nothing of Civic's apps.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.translation import gettext as _

from civic.core import traces, tracing
from civic.core.errors import problem_response
from civic.core.logs import route_of
from civic.core.params import BadParameter

request_log = logging.getLogger("civic.request")
TRACE_HEADER = "X-Trace-Id"


class TraceMiddleware:
    """First of all: the request's trace id (the caller's W3C ``traceparent``, or fresh) for
    everything the request does, returned in the ``X-Trace-Id`` header; and one log line when
    it is answered, with the method, the route (not the path, which may hold personal
    numbers; never the query string), the status and the time taken.

    With traces on (CIVIC_TRACES_EXPORTER), the request is also a server span named by its
    method and route, and the span's trace id is the one the logs carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if traces.enabled():
            return self._spanned(request)
        trace_id = tracing.from_traceparent(request.headers.get("traceparent", ""))
        token = tracing.trace_start(trace_id)
        try:
            return self._answered(request, time.perf_counter())
        finally:
            tracing.trace_end(token)

    def _spanned(self, request: HttpRequest) -> HttpResponse:
        method = request.method if request.method in _KNOWN_METHODS else "_OTHER"
        with traces.span(
            method,
            {
                "http.request.method": method,
                "url.scheme": request.scheme or "http",
                "network.protocol.version": request.META.get("SERVER_PROTOCOL", "").split("/")[-1],
            },
            kind=traces.SpanKind.SERVER,
            context=traces.parent_from(request.headers),
        ) as span:
            token = tracing.trace_start(traces.trace_id_of(span))
            try:
                response = self._answered(request, time.perf_counter())
            finally:
                tracing.trace_end(token)
            route = _route(request)
            if route != "(no route)":
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                traces.failed(span, str(response.status_code))
            return response

    def _answered(self, request: HttpRequest, started: float) -> HttpResponse:
        response = self.get_response(request)
        response[TRACE_HEADER] = tracing.trace_id()
        route = _route(request)
        request_log.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


#: Methods a span names as they are; anything else is "_OTHER" (OpenTelemetry's conventions).
_KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
)


def _route(request: HttpRequest) -> str:
    route = route_of(request)
    if request.resolver_match is None and request.path.startswith(settings.STATIC_URL):
        route = settings.STATIC_URL + "*"  # a file WhiteNoise served before any URL
    return route


@cache
def _trusted_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks())


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent ``request`` (after TrustedProxyMiddleware, REMOTE_ADDR).
    django-axes asks this (AXES_CLIENT_IP_CALLABLE), so staff logins lock per real client."""
    return request.META.get("REMOTE_ADDR") or None


class TrustedProxyMiddleware:
    """Believe ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only from CIVIC_TRUSTED_PROXIES.

    The client is the right-most address in ``X-Forwarded-For`` that is not itself a trusted
    proxy (addresses further left were written by the client and prove nothing). From any other
    sender both headers are dropped, so nobody can claim to be another address or HTTPS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if _trusted_networks() and _is_trusted(meta.get("REMOTE_ADDR", "")):
            hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                if not _is_trusted(hop):
                    # Not an address: keep the proxy's rather than believe garbage.
                    with contextlib.suppress(ValueError):
                        meta["REMOTE_ADDR"] = str(ipaddress.ip_address(hop))
                    break
        else:
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer that may hold personal data: anything served
    to a logged-in user, every API answer and every answer that set a cookie. Public pages and
    static files keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (
            (user is not None and user.is_authenticated)
            or request.path.startswith("/api/")
            or "HTTP_AUTHORIZATION" in request.META
            or bool(response.cookies)
        )
        if personal:
            response["Cache-Control"] = "no-store"
        return response


def _problem(request: HttpRequest, *, status: int, title: str, detail: str, code: str, **extra):
    """Problem+json, as the API answers (for refusals made before the API is reached)."""
    return problem_response(request, status=status, title=title, detail=detail, code=code, **extra)


class RequestSizeMiddleware:
    """413 for a request whose body is larger than CIVIC_REQUEST_MAX_MB, before any of it is
    parsed, stored or held: a 200 MB file must not grow a worker (LimitedUploadHandler stops
    each file at CIVIC_UPLOAD_MAX_MB within that). What was saved before is untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        in_memory = not request.content_type.startswith("multipart/")
        if length <= settings.REQUEST_MAX_MB * 1024 * 1024 and not (
            # A body without files is read whole into memory (JSON, a form's fields): Django
            # refuses one past DATA_UPLOAD_MAX_MEMORY_SIZE with a bare 400 deep inside.
            in_memory and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            return self.get_response(request)
        # Read what was sent and drop it, 64 KiB at a time (no memory, no disk): a server that
        # answers and hangs up mid-upload makes the browser show "connection reset", not why.
        with contextlib.suppress(OSError):
            while request.read(65_536):
                pass
        limits = {"file": settings.UPLOAD_MAX_MB, "request": settings.REQUEST_MAX_MB}
        detail = (
            _("What you sent is too large: at most %(file)s MB a file and %(request)s MB in all.")
            % limits
        )
        if in_memory and length <= settings.REQUEST_MAX_MB * 1024 * 1024:
            detail = _("What you sent is too large: at most %(size)s MB without files.") % {
                "size": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f}"
            }
        if request.path.startswith("/api/"):
            return _problem(
                request,
                status=413,
                title=_("The request is too large."),
                detail=detail,
                code="too-large",
            )
        return render(request, "413.html", {"detail": detail}, status=413)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    ):
        return True
    if request.method != "POST":
        return False
    if request.content_type == "application/json":
        return b"\x00" in request.body or b"\\u0000" in request.body
    try:
        posted = request.POST.lists()
    except MultiPartParserError:
        return False  # not a form after all: what parses the body refuses it as it should
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in posted)


class NulRefusalMiddleware:
    """A 400 for a request with a NUL character in its path, query string, form fields or JSON
    body. No page or client sends one, and PostgreSQL can neither store nor compare it: each
    view that filtered on such a value answered 500. After the locale is set (the 400 page is
    in the reader's language); before CSRF and the views read the form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _holds_nul(request):
            return self.get_response(request)
        refusal = BadParameter(_("The request holds a character that is not allowed (NUL)."))
        if request.path.startswith("/api/"):
            return _problem(
                request,
                status=400,
                title=_("The request is not valid."),
                detail=str(refusal),
                code=refusal.code,
            )
        raise refusal


class PlainHttpApiRefusalMiddleware:
    """Where HTTPS is enforced, an API call over plain HTTP is refused, not redirected: a
    redirect would hide that the partner's credentials already crossed the network in clear."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SECURE_SSL_REDIRECT
            and request.path.startswith("/api/")
            and not request.is_secure()
        ):
            return _problem(
                request,
                status=403,
                title=_("HTTPS required"),
                detail=_(
                    "Call the API over https://. This request went in clear: if it carried "
                    "credentials, have them replaced."
                ),
                code="https-required",
            )
        return self.get_response(request)


class PageGZipMiddleware(GZipMiddleware):
    """Pages (HTML) sent gzip-compressed to browsers that accept it; Django's gzip adds random
    bytes to each response, its mitigation of BREACH on pages carrying secrets. API answers are
    left as they are: machine clients differ in what they decode, and their bodies are small."""

    def process_response(self, request: HttpRequest, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class FieldIntegrityMiddleware:
    """A read that met a stored value failing its integrity check (core.fieldcrypt: tampered,
    or moved to another row): Civic's error page saying so, or problem+json under /api/ (the
    API's own handler answers first there), naming neither the row nor the person. The
    failure itself was logged and counted for the operators where it was found."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        from civic.core.fieldcrypt import FieldDecryptError

        if not isinstance(exception, FieldDecryptError):
            return None
        if request.path.startswith("/api/"):
            response = _problem(
                request,
                status=500,
                title=_("Stored data failed its integrity check."),
                detail=_(
                    "A value Civic holds did not pass its integrity check, so nothing was "
                    "released. The operators have been alerted. If you contact us about this, "
                    "quote the trace_id."
                ),
                code="data-integrity",
                trace_id=tracing.trace_id(),
            )
            return response
        return render(request, "integrity.html", {"trace_id": tracing.trace_id()}, status=500)

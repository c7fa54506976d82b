"""Prometheus metrics: requests by route and status with their latency, and the gauges each app
registers (queue depths, the access log's lag, run progress), read when /metrics is scraped.

With several gunicorn workers the request metrics are shared through files in
PROMETHEUS_MULTIPROC_DIR (`civic serve` sets it); the gauges are computed at scrape time, so
they need no sharing. Imports nothing of Civic's apps: apps register their collectors here.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUESTS = Counter(
    "civic_http_requests",
    "HTTP requests answered, by route (the URL pattern, never the path), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "civic_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10),
)
FIELD_INTEGRITY_FAILURES = Counter(
    "civic_field_integrity_failures",
    "Encrypted register values that did not open (tampered, moved to another row or field, or "
    "their key missing), by table, column and reason: alert on any.",
    ["table", "column", "reason"],
)

#: Functions that yield gauge families when /metrics is scraped; apps add theirs in ready().
GAUGES: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def gauges_register(collect: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    if collect not in GAUGES:
        GAUGES.append(collect)


class _AppGauges:
    def collect(self):
        for collect in GAUGES:
            try:
                yield from collect()
            except Exception:  # noqa: S112 (a broken gauge must not hide the others)
                continue


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return "/" + (match.route or match.view_name or "unknown").lstrip("^").rstrip("$")


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
        return response


@cache
def _allowed_networks():
    return tuple(ipaddress.ip_network(n, strict=False) for n in settings.METRICS_ALLOWED)


def may_scrape(request: HttpRequest) -> bool:
    """From an allowed network, and with the token when one is set: metrics show volumes and
    names of routes that are nobody else's business."""
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if not any(client in network for network in _allowed_networks()):
        return False
    token = settings.METRICS_TOKEN
    return not token or request.META.get("HTTP_AUTHORIZATION", "") == f"Bearer {token}"


_APP_GAUGES = _AppGauges()


def exposition() -> bytes:
    """The text Prometheus scrapes: every worker's request metrics and the apps' gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry) + generate_latest(_gauges_only())
    return generate_latest(REGISTRY) + generate_latest(_gauges_only())


def _gauges_only() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(_APP_GAUGES)
    return registry


__all__ = [
    "CONTENT_TYPE_LATEST",
    "CounterMetricFamily",
    "GaugeMetricFamily",
    "exposition",
    "gauges_register",
]

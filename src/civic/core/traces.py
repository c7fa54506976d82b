"""OpenTelemetry traces (CIVIC_TRACES_EXPORTER): a server span per request, a consumer span per
Celery task and spans for the steps of the exchange, exported by the official SDK.

Off by default: then nothing of the SDK is imported and :func:`span` hands back one shared
no-op context, so a request pays a function call. On, each process sets the SDK up for itself
(:func:`traces_start`: gunicorn's ``post_fork``, Celery's ``worker_process_init``, the ``civic``
command), because the exporting thread of a span processor does not survive a fork.

The trace id of a span is the trace id of Civic's log lines and access-log entries
(``core.tracing``): the middleware and the task take it from the span when traces are on, so one
id finds a request's spans, its lines and what it read. The W3C ``traceparent`` header (in
requests and in task headers) is read and written by the SDK's own propagator.

What a span may hold: route templates, methods, status codes, register and purpose codes,
counts, an error's type. Never a path, a query string, a client address, an error's message or
a personal number: span names and attributes are chosen here and by the callers of :func:`span`,
not copied from the request. Imports nothing of Civic's apps.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

#: Civic's services as a collector lists them, unless OTEL_SERVICE_NAME names one.
WEB, WORKER, COMMAND = "civic-web", "civic-worker", "civic-command"
#: W3C trace context only: the header Civic has always read and sent (no vendor formats).
PROPAGATOR = TraceContextTextMapPropagator()

_NO_SPAN = contextlib.nullcontext()
#: This process's tracer provider and the process it was made in (a fork makes a new one).
_provider: Any = None
_provider_pid = 0
_tracer: trace.Tracer | None = None
_starting = threading.Lock()


def enabled() -> bool:
    """Whether this process records spans (its SDK was set up by :func:`traces_start`)."""
    return _tracer is not None and _provider_pid == os.getpid()


def traces_start(
    *,
    default_service: str,
    exporter: str | None = None,
    sample_ratio: float | None = None,
) -> bool:
    """Set the SDK up in this process when the exporter is not ``off``; True when traces are on.

    Called again in the same process it does nothing; in a forked child it sets up anew. The
    exporter and ratio default to CIVIC_TRACES_EXPORTER and CIVIC_TRACES_SAMPLE_RATIO (read from
    ``core.conf``, as gunicorn's hooks run before Django's settings are loaded)."""
    from civic.core import conf

    if enabled():
        return True
    exporter = conf.TRACES_EXPORTER if exporter is None else exporter
    if exporter == "off":
        return False
    ratio = conf.TRACES_SAMPLE_RATIO if sample_ratio is None else sample_ratio
    with _starting:  # a threads pool's first tasks arrive together
        if not enabled():
            _sdk_start(default_service, exporter, ratio)
    return True


def _sdk_start(default_service: str, exporter: str, ratio: float) -> None:
    global _provider, _provider_pid, _tracer
    from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    if exporter == "otlp":
        # Endpoint, headers, timeout, compression and certificate from OTEL_EXPORTER_OTLP_*.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter()
    else:
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        span_exporter = ConsoleSpanExporter()
    # Resource.create adds OTEL_RESOURCE_ATTRIBUTES; the service name given here wins over it.
    resource = Resource.create(
        {
            SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME") or default_service,
            SERVICE_VERSION: _version(),
        }
    )
    provider = TracerProvider(resource=resource, sampler=ParentBased(TraceIdRatioBased(ratio)))
    provider.add_span_processor(BatchSpanProcessor(span_exporter))
    if _provider_pid == 0:
        # The global provider is for libraries that look there; it is set once a process.
        trace.set_tracer_provider(provider)
    _provider, _provider_pid = provider, os.getpid()
    _tracer = provider.get_tracer("civic", _version())


def traces_flush(timeout_millis: int = 5_000) -> None:
    """Send what is buffered now (a Celery child exits without running atexit handlers)."""
    if enabled():
        _provider.force_flush(timeout_millis)


def traces_stop() -> None:
    """Flush and shut the exporter down; :func:`span` is a no-op again in this process."""
    global _provider, _provider_pid, _tracer
    if enabled():
        _provider.shutdown()
    _provider, _provider_pid, _tracer = None, 0, None


def span(
    name: str,
    attributes: Mapping[str, Any] | None = None,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    context: Context | None = None,
) -> contextlib.AbstractContextManager:
    """A span around a block, current inside it (``with traces.span("exchange.check"):``).

    An exception leaving the block marks the span failed with ``error.type``, its class name;
    the message (which may quote what a user typed) is not recorded. Traces off: a no-op."""
    if not enabled():
        return _NO_SPAN
    return _recorded(name, attributes, kind, context)


@contextlib.contextmanager
def _recorded(
    name: str, attributes: Mapping[str, Any] | None, kind: SpanKind, context: Context | None
) -> Iterator[trace.Span]:
    assert _tracer is not None
    with _tracer.start_as_current_span(
        name,
        context=context,
        kind=kind,
        attributes=attributes,
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield current
        except BaseException as error:
            failed(current, type(error).__name__)
            raise


def annotate(attributes: Mapping[str, Any]) -> None:
    """Add attributes to the current span (learnt after it began); nothing when traces are off."""
    if enabled():
        trace.get_current_span().set_attributes(attributes)


def failed(current: trace.Span, error_type: str) -> None:
    current.set_attribute("error.type", error_type)
    current.set_status(Status(StatusCode.ERROR))


def trace_id_of(current: trace.Span) -> str:
    """The span's trace id as 32 hex digits, as Civic's logs write it ("" for none)."""
    context = current.get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else ""


def parent_from(carrier: Mapping[str, str]) -> Context:
    """The caller's context from a ``traceparent`` (an empty context when there is none or it is
    not valid: the span then starts a trace of its own)."""
    return PROPAGATOR.extract(carrier)


def traceparent() -> str:
    """The ``traceparent`` header naming the current span as parent ("" when there is none)."""
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    return carrier.get("traceparent", "")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("civic")
    except PackageNotFoundError:
        return "0"

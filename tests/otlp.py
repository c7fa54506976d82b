"""A real OTLP/HTTP receiver for tests: what an OpenTelemetry Collector accepts on
``POST /v1/traces`` (a protobuf ExportTraceServiceRequest, gzip or not), decoded with the
official opentelemetry-proto, kept as plain spans to look at, and the raw bodies to scan."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

#: opentelemetry.proto.trace.v1.Span.SpanKind, by number.
KINDS = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


@dataclass
class Span:
    name: str
    service: str
    trace_id: str
    span_id: str
    parent_span_id: str
    kind: str
    attributes: dict[str, Any]
    status: str  # unset, ok, error


@dataclass
class Receiver:
    url: str
    spans: list[Span] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def wait_for(self, condition, timeout: float = 20.0) -> list[Span]:
        """The spans once ``condition(spans)`` holds; fails the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not condition(self.spans):
            if time.monotonic() > deadline:
                names = sorted({s.name for s in self.spans})
                raise AssertionError(f"the spans never came; received: {names}")
            time.sleep(0.05)
        return self.spans

    def named(self, name: str) -> list[Span]:
        return [s for s in self.spans if s.name == name]


def _value(any_value) -> Any:
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [_value(v) for v in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def _spans(request: ExportTraceServiceRequest) -> list[Span]:
    found = []
    for resource_spans in request.resource_spans:
        resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append(
                    Span(
                        name=span.name,
                        service=resource.get("service.name", ""),
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_span_id=span.parent_span_id.hex(),
                        kind=KINDS[span.kind],
                        attributes={a.key: _value(a.value) for a in span.attributes},
                        status={0: "unset", 1: "ok", 2: "error"}[span.status.code],
                    )
                )
    return found


def receiver_start() -> tuple[Receiver, ThreadingHTTPServer]:
    """Listening on 127.0.0.1 (a free port) in a thread; shut the server down when done."""
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/v1/traces":
                receiver.refused.append(self.path)
                self.send_response(404)
                self.end_headers()
                return
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            receiver.bodies.append(body)
            receiver.spans.extend(_spans(request))
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args) -> None:  # quiet in the test's output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server

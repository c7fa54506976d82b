"""OpenTelemetry traces, exported for real to an OTLP/HTTP receiver in the test: a page is a
server span named by its route, an exchange query shows its steps, a task run by a real Celery
worker on RabbitMQ joins the request's trace, the trace id is the one in the logs, no span names
anyone, and with the exporter off (the default) no SDK is set up and nothing is sent."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path
from opentelemetry import trace

from civic.core import traces
from civic.core.logs import ContextFilter
from civic.exchange.models import AccessLogEntry
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.conftest import require_service
from tests.exchange.builders import PERSON_FIELDS, create_partner, create_purpose
from tests.exchange.test_api import QUERY, basic
from tests.otlp import receiver_start

ROOT = Path(__file__).resolve().parents[2]
CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def receiver():
    receiver, server = receiver_start()
    yield receiver
    server.shutdown()
    server.server_close()


def _global_provider_forget() -> None:
    """The API lets a process set its provider once; a test that set one puts that back."""
    from opentelemetry.util._once import Once

    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None


@pytest.fixture
def tracing_to(receiver, monkeypatch):
    """Start traces in this process towards the receiver (as a web worker's post_fork does)."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    started: list[bool] = []

    def start(ratio: float = 1.0):
        started.append(
            traces.traces_start(default_service=traces.WEB, exporter="otlp", sample_ratio=ratio)
        )
        return receiver

    yield start
    traces.traces_stop()
    _global_provider_forget()


def _sent(receiver):
    traces.traces_flush()
    return receiver.spans


def _no_personal_number_in(receiver, number: str) -> None:
    assert receiver.bodies, "nothing was exported"
    assert not any(number.encode() in body for body in receiver.bodies)
    for span in receiver.spans:
        assert number not in span.name and number not in json.dumps(span.attributes)


def test_a_page_is_a_server_span_named_by_its_route_with_status_and_the_logs_trace_id(
    client, db, tracing_to
):
    receiver = tracing_to()
    response = client.get("/services/child-benefit/")
    missing = client.get("/services/no-such-service/")
    followed = client.get("/services/child-benefit/", HTTP_TRACEPARENT=CALLER)

    spans = _sent(receiver)
    page, _, caller_s = [s for s in spans if s.kind == "server"]
    assert page.name == "GET /services/<slug:code>/"
    assert page.service == "civic-web"
    assert page.attributes["http.route"] == "/services/<slug:code>/"
    assert page.attributes["http.request.method"] == "GET"
    assert page.attributes["http.response.status_code"] == 200
    assert page.status == "unset"
    # The id the response (and so every log line of the request) gives is the span's.
    assert page.trace_id == response["X-Trace-Id"] and page.parent_span_id == ""
    not_found = [s for s in spans if s.attributes.get("http.response.status_code") == 404]
    assert not_found and not_found[0].trace_id == missing["X-Trace-Id"]
    # A caller's W3C traceparent makes the page a child of the caller's span.
    assert caller_s.trace_id == followed["X-Trace-Id"] == CALLER.split("-")[1]
    assert caller_s.parent_span_id == CALLER.split("-")[2]
    # Paths are not in spans: they may hold a reference or a personal number.
    assert not any(
        b"child-benefit" in body or b"no-such-service" in body for body in receiver.bodies
    )


def _broken(request):
    raise RuntimeError("lost the personal number 123456789")


urlpatterns = [path("broken-on-purpose/", _broken), path("", include("civic.urls"))]


def test_a_failing_page_is_a_failed_span_that_says_only_the_status(db, settings, tracing_to):
    receiver = tracing_to()
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/broken-on-purpose/")
    assert response.status_code == 500
    (span,) = [s for s in _sent(receiver) if s.kind == "server"]
    assert span.name == "GET /broken-on-purpose/" and span.status == "error"
    assert span.attributes["error.type"] == "500"
    assert not any(b"123456789" in body for body in receiver.bodies)


@pytest.fixture
def partner(db):
    purpose = create_purpose(code="child-benefit")
    client, secret, _actor = create_partner(purpose=purpose)
    return purpose, basic(client.client_id, secret)


def test_an_exchange_query_shows_its_steps_under_the_request_and_names_nobody(
    client, partner, tracing_to
):
    receiver = tracing_to()
    purpose, credentials = partner
    number = a_registered_resident()
    response = client.post(
        QUERY,
        {"subjects": [number], "fields": ["identity.birth_date"], "purpose": purpose.code},
        content_type="application/json",
        **credentials,
    )
    assert response.status_code == 200, response.content

    spans = {s.name: s for s in _sent(receiver)}
    (request,) = [s for s in spans.values() if s.kind == "server"]
    assert request.attributes["http.route"] == "/api/exchange/v1/<register>/query"
    query = spans["exchange.query"]
    assert query.parent_span_id == request.span_id
    assert query.attributes["civic.register"] == "persons"
    assert query.attributes["civic.purpose"] == "child-benefit"
    assert query.attributes["civic.actor.kind"] == "api_client"
    assert query.attributes["civic.subjects"] == 1
    steps = ["exchange.check", "exchange.register_read", "exchange.access_log_append"]
    for step in [*steps, "exchange.release"]:
        assert spans[step].parent_span_id == query.span_id, step
        assert spans[step].trace_id == request.trace_id
    assert spans["exchange.access_log_append"].attributes["civic.entries"] == 1
    # One id finds the request's spans, its log lines and the access-log entry it wrote.
    assert AccessLogEntry.objects.get().trace_id == request.trace_id == response["X-Trace-Id"]
    _no_personal_number_in(receiver, number)


def test_a_refused_query_is_a_failed_check_with_the_refusals_kind_and_reads_nothing(
    client, partner, tracing_to
):
    receiver = tracing_to()
    purpose, credentials = partner
    number = a_registered_resident()
    refused = client.post(
        QUERY,
        {"subjects": [number], "fields": ["identity.nationality"], "purpose": purpose.code},
        content_type="application/json",
        **credentials,
    )
    unknown = client.post(
        QUERY,
        {"subjects": [number], "fields": PERSON_FIELDS, "purpose": "hunt-for-987654321"},
        content_type="application/json",
        **credentials,
    )
    assert (refused.status_code, unknown.status_code) == (403, 400)

    spans = _sent(receiver)
    checks = [s for s in spans if s.name == "exchange.check"]
    assert [c.status for c in checks] == ["error", "error"]
    assert [c.attributes["error.type"] for c in checks] == ["NotGranted", "UnknownPurpose"]
    assert not [s for s in spans if s.name == "exchange.register_read"]
    servers = [s for s in spans if s.kind == "server"]
    assert [s.attributes["http.response.status_code"] for s in servers] == [403, 400]
    assert all(s.status == "unset" for s in servers)  # a refusal is not a server fault
    # What the caller typed (here a purpose holding a number) is not copied into a span.
    assert "civic.purpose" not in spans[-1].attributes
    _no_personal_number_in(receiver, number)
    _no_personal_number_in(receiver, "987654321")


def test_a_task_a_request_queues_runs_on_a_real_worker_in_the_requests_trace_with_its_log_line(
    committed_data, client, settings, tracing_to, mailoutbox
):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    import civic.notify.tasks  # noqa: F401 (registers the task with the app)
    from civic.celery import app
    from civic.notify.services import preference_set
    from tests.forms.test_applying import _walk_parking_permit

    receiver = tracing_to()
    settings.NOTIFY_DELIVERY = "celery"
    app.conf.broker_url = settings.BROKER_URL
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    preference_set(personal_number=number, email="jan@example.org", by_email=True)
    client.force_login(identity.resident_account_ensure(personal_number=number))
    _walk_parking_permit(client)  # the prefill reads the registers through the exchange

    lines: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = lines.append
    handler.addFilter(ContextFilter())  # what gives production's log lines their trace id
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        # After the worker's start, which configures logging anew.
        logging.getLogger("civic.celery").addHandler(handler)
        try:
            sent = client.post("/my/apply/parking-permit/check/")
            assert sent.status_code == 302
            receiver.wait_for(lambda spans: any(s.kind == "consumer" for s in _sent(receiver)))
        finally:
            logging.getLogger("civic.celery").removeHandler(handler)

    assert mailoutbox and mailoutbox[0].to == ["jan@example.org"]
    spans = receiver.spans
    (request,) = [s for s in spans if s.kind == "server" and s.trace_id == sent["X-Trace-Id"]]
    assert request.name == "POST /my/apply/<slug:service_code>/check/"
    (task,) = [s for s in spans if s.kind == "consumer"]
    assert task.name == "civic.notify.message_deliver"
    assert task.trace_id == request.trace_id and task.parent_span_id == request.span_id
    assert task.attributes["messaging.system"] == "rabbitmq"
    assert task.attributes["messaging.destination.name"] == settings.INSTANCE
    ran = [r for r in lines if "civic.notify.message_deliver ran" in r.getMessage()]
    assert len(ran) == 1, [r.getMessage() for r in lines]
    line = ran[0]
    assert line.trace_id == task.trace_id
    # The prefill's exchange reads are steps of the page that showed them.
    pages = {s.span_id: s for s in spans if s.kind == "server"}
    prefill = [s for s in spans if s.name == "exchange.query"]
    assert prefill and all(q.parent_span_id in pages for q in prefill)
    _no_personal_number_in(receiver, number)


def test_a_proactive_run_started_by_the_command_is_one_trace_of_chunks_each_read_and_logged(
    jurisdiction, tracing_to
):
    from civic import cli
    from civic.decisions.proactive import proactive_setup, run_start
    from civic.decisions.proactive_runner import run_execute

    receiver = tracing_to()
    with cli._traced("proactive"):  # what `civic proactive run` runs under
        run = run_execute(run_start(chunk_size=1000))
    chunks = run.chunks.count()

    spans = _sent(receiver)
    (command,) = [s for s in spans if s.name == "civic proactive"]
    assert command.service == "civic-web"  # this process's; a `civic` process is civic-command
    chunk_spans = [s for s in spans if s.name == "proactive.chunk"]
    assert len(chunk_spans) == chunks > 1
    by_id = {s.span_id: s for s in spans}
    for chunk in chunk_spans:
        assert chunk.trace_id == command.trace_id and chunk.parent_span_id == command.span_id
        steps = {s.name for s in spans if s.parent_span_id == chunk.span_id}
        assert steps == {"exchange.population_read", "proactive.compute", "proactive.offers_write"}
    reads = [s for s in spans if s.name == "exchange.population_read"]
    assert all(by_id[r.parent_span_id].name == "proactive.chunk" for r in reads)
    assert {s.name for s in spans if s.parent_span_id == reads[0].span_id} == {
        "exchange.check",
        "exchange.register_read",
        "exchange.access_log_append",
        "exchange.release",
    }
    assert reads[0].attributes["civic.purpose"] == proactive_setup().purpose
    # The entries the run wrote carry the run's trace id: the access log leads to the trace.
    logged = set(
        AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.CHECK).values_list(
            "trace_id", flat=True
        )
    )
    assert logged == {command.trace_id}
    _no_personal_number_in(receiver, a_registered_resident())


def test_with_sampling_at_zero_new_traces_are_not_recorded_but_a_callers_sampled_one_is(
    client, db, tracing_to
):
    receiver = tracing_to(ratio=0.0)
    unsampled = client.get("/services/child-benefit/")
    followed = client.get("/services/child-benefit/", HTTP_TRACEPARENT=CALLER)
    spans = _sent(receiver)
    assert [s.trace_id for s in spans] == [CALLER.split("-")[1]]
    # Not recorded, the request still has its own trace id for its log lines.
    assert len(unsampled["X-Trace-Id"]) == 32 and unsampled["X-Trace-Id"] != followed["X-Trace-Id"]


def test_with_the_exporter_off_no_sdk_is_set_up_and_nothing_is_sent(
    client, db, receiver, monkeypatch, tmp_path
):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    assert traces.traces_start(default_service=traces.WEB) is False  # the default: off
    assert traces.traces_start(default_service=traces.WEB, exporter="off") is False
    response = client.get("/services/child-benefit/", HTTP_TRACEPARENT=CALLER)
    assert response["X-Trace-Id"] == CALLER.split("-")[1]  # the logs' trace id as ever
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    assert receiver.bodies == []

    # In a process of its own, the SDK is not even imported by serving a request.
    script = (
        "import sys, django; django.setup()\n"
        "from django.test import Client\n"
        "from civic.core import traces\n"
        "print(Client().get('/health').status_code, traces.traces_start(default_service='x'),"
        " traces.enabled(), 'opentelemetry.sdk' in sys.modules)\n"
    )
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "DATABASE_URL"))
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **environment,
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
            "CIVIC_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.stdout.splitlines()[-1].split() == ["200", "False", "False", "False"], (
        result.stdout + result.stderr
    )
    assert receiver.bodies == []


def test_a_command_with_the_console_exporter_prints_its_span_under_the_service_name_given(
    tmp_path,
):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "DATABASE_URL", "OTEL_", "DJANGO_"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "civic", "config", "check"],
        env={
            **environment,
            "CIVIC_VAR_DIR": str(tmp_path),
            "CIVIC_TRACES_EXPORTER": "console",
            "OTEL_SERVICE_NAME": "havenstad-civic",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "settings load without error" in result.stdout
    assert '"name": "civic config"' in result.stdout
    assert '"service.name": "havenstad-civic"' in result.stdout

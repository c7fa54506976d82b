"""Logs: one JSON object a line on standard output, a trace id per request (the caller's W3C
traceparent or a fresh one) in every line, in a response header and on the 500 page, each
unhandled exception logged once with its type and traceback, and no personal data: no query
strings, no form data, the URL pattern instead of the path, 9-digit numbers masked."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.test import Client

from civic.core import logs, tracing

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # an all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # an all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # one digit short
    ],
)
def test_a_traceparent_that_is_not_w3c_gives_no_trace_id(header):
    assert tracing.from_traceparent(header) is None


def test_a_w3c_traceparent_gives_its_trace_id_and_a_fresh_one_is_32_hex_digits():
    assert tracing.from_traceparent(TRACEPARENT) == TRACE_ID
    assert re.fullmatch(r"[0-9a-f]{32}", tracing.trace_id_new())
    assert tracing.trace_id_new() != tracing.trace_id_new()


def test_the_trace_id_is_a_context_variable_that_is_put_back_afterwards():
    assert tracing.trace_id() == ""
    with tracing.traced(TRACE_ID):
        assert tracing.trace_id() == TRACE_ID
        with tracing.traced():
            assert (
                re.fullmatch(r"[0-9a-f]{32}", tracing.trace_id()) and tracing.trace_id() != TRACE_ID
            )
        assert tracing.trace_id() == TRACE_ID
    assert tracing.trace_id() == ""


def capture(name: str, formatter: logging.Formatter | None = None):
    """A handler on logger ``name`` as production configures it, writing into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter or logs.JsonFormatter())
    handler.addFilter(logs.ContextFilter())
    return stream, handler


@pytest.fixture
def logged():
    """The JSON lines every logger writes while the test runs."""
    stream, handler = capture("")
    loggers = [logging.getLogger(n) for n in ("civic", "django", "")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_line_is_one_json_object_with_time_level_logger_message_and_trace_id():
    stream, handler = capture("civic.test")
    logger = logging.getLogger("civic.test")
    logger.addHandler(handler)
    try:
        with tracing.traced(TRACE_ID):
            logger.warning("refused %s of %s", "123456789", "case AP-1 at 1234.56.782")
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "civic.test"
    assert entry["trace_id"] == TRACE_ID
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert entry["message"] == "refused ********* of case AP-1 at *********"


def test_an_exception_is_logged_with_its_type_and_traceback_and_numbers_masked():
    stream, handler = capture("civic.test")
    logger = logging.getLogger("civic.test")
    logger.addHandler(handler)
    try:
        try:
            raise LookupError("no person 123456789")
        except LookupError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["exception"]["type"] == "LookupError"
    assert "Traceback (most recent call last)" in entry["exception"]["traceback"]
    assert "123456789" not in stream.getvalue() and "no person *********" in stream.getvalue()


def test_the_plain_format_for_development_has_the_trace_id_and_masks_numbers_too():
    stream, handler = capture("civic.test", logs.PlainFormatter())
    logger = logging.getLogger("civic.test")
    logger.addHandler(handler)
    try:
        with tracing.traced(TRACE_ID):
            logger.info("person 123456789")
    finally:
        logger.removeHandler(handler)
    assert re.search(rf"INFO civic\.test \[{TRACE_ID}\] person \*{{9}}$", stream.getvalue().strip())


def test_every_request_gets_a_trace_id_in_a_header_and_one_log_line_with_its_route(db, logged):
    response = Client().get("/services/?q=123456789", HTTP_TRACEPARENT=TRACEPARENT)
    assert response.status_code == 200 and response["X-Trace-Id"] == TRACE_ID
    fresh = Client().get("/services/")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh["X-Trace-Id"]) and fresh["X-Trace-Id"] != TRACE_ID
    lines = [e for e in logged() if e["logger"] == "civic.request"]
    assert [(e["trace_id"], e["method"], e["route"], e["status"]) for e in lines] == [
        (TRACE_ID, "GET", "/services/", 200),
        (fresh["X-Trace-Id"], "GET", "/services/", 200),
    ]
    assert all(isinstance(e["duration_ms"], int | float) for e in lines)
    assert "123456789" not in json.dumps(logged()) and "q=" not in json.dumps(logged())


def test_the_route_is_logged_not_the_path_that_holds_a_reference(db, logged, settings):
    from civic.identity import services as identity
    from tests.builders import a_registered_resident
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    client = Client()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    assert client.get(f"/my/cases/AP-{number}/").status_code == 404
    lines = logged()
    assert any(e.get("route") == "/my/cases/<str:reference>/" for e in lines)
    assert number not in json.dumps(lines)
    warning = next(e for e in lines if e["logger"] == "django.request")
    assert warning["message"] == "Not Found: /my/cases/<str:reference>/"


@pytest.fixture
def broken_home(monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("the register for 123456789 is gone")

    monkeypatch.setattr("civic.views.exchange.jurisdiction_get", broken)


def test_an_unhandled_error_is_logged_once_and_the_500_page_gives_the_trace_id(
    db, logged, broken_home
):
    client = Client(raise_request_exception=False)
    response = client.get("/?bsn=123456789", HTTP_TRACEPARENT=TRACEPARENT)
    assert response.status_code == 500 and response["X-Trace-Id"] == TRACE_ID
    page = response.content.decode()
    assert "quote this reference" in page and TRACE_ID in page
    errors = [e for e in logged() if e["level"] == "ERROR"]
    assert len(errors) == 1
    (error,) = errors
    assert error["logger"] == "django.request" and error["trace_id"] == TRACE_ID
    assert error["exception"]["type"] == "RuntimeError" and error["status"] == 500
    assert error["route"] == "/" and error["method"] == "GET"
    assert "123456789" not in json.dumps(logged()) and "bsn" not in json.dumps(logged())


def test_the_500_page_is_in_dutch_for_a_dutch_reader(db, broken_home):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "nl"
    page = client.get("/").content.decode()
    assert "Noem deze code" in page


def test_an_unhandled_error_in_the_api_is_problem_json_with_the_trace_id_logged_once(
    db, logged, monkeypatch
):
    def broken():
        raise RuntimeError("checkpoint store unreachable")

    monkeypatch.setattr("civic.exchange.auditlog.checkpoint_latest", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/exchange/v1/log/checkpoint", HTTP_TRACEPARENT=TRACEPARENT)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["trace_id"] == TRACE_ID and response["X-Trace-Id"] == TRACE_ID
    assert "unreachable" not in response.content.decode()
    errors = [e for e in logged() if e["level"] == "ERROR"]
    assert len(errors) == 1 and errors[0]["exception"]["type"] == "RuntimeError"
    assert errors[0]["route"] == "/api/exchange/v1/log/checkpoint"


def test_an_exchange_query_in_a_request_carries_the_requests_trace_id(db, settings):
    from civic.exchange.actors import Actor
    from civic.exchange.models import AccessLogEntry
    from civic.exchange.query import register_query
    from tests.builders import a_registered_resident
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    with tracing.traced(TRACE_ID):
        register_query(
            actor=Actor.resident(number),
            register="persons",
            subjects=[number],
            fields=["identity.given_names"],
            purpose=settings.OWN_DATA_PURPOSE,
        )
    assert AccessLogEntry.objects.get().trace_id == TRACE_ID

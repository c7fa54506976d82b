"""Production's log, as it runs: `civic serve` (gunicorn) with CIVIC_ENV=production writes one
JSON object a line to standard output, a 500 included (Django's `django.request` logger and
`handler500`, not only `mail_admins`), with the trace id that the page and the header show, and
nothing personal: no query string, no path, no 9-digit number. The database here has no tables,
so every page that reads one fails as a broken database would."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.test_config import PRODUCTION, ROOT

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
HOST = "civic.example.org"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(var: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "DATABASE_URL", "DJANGO_"))
    }
    return {
        **clean,
        **PRODUCTION,
        "CIVIC_VAR_DIR": str(var),
        "CIVIC_TRUSTED_PROXIES": "127.0.0.1",
        "CIVIC_WEB_WORKERS": "1",
        "CIVIC_WEB_THREADS": "1",
    }


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("production")
    environment = _environment(var)
    collected = subprocess.run(
        [sys.executable, "-m", "civic", "collectstatic", "--noinput", "-v", "0"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    out = (var / "stdout.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "civic", "serve", "--bind", f"127.0.0.1:{port}"],
        env=environment,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail(f"civic serve did not answer: {server.stderr.read()}")
    yield port, var / "stdout.log"
    server.terminate()
    server.wait(timeout=30)
    out.close()


def get(port: int, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
    )
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, dict(response.getheaders()), body


def lines_of(log: Path, trace_id: str) -> list[dict]:
    """The JSON lines the server wrote for ``trace_id`` (every line must be JSON)."""
    time.sleep(0.5)  # the worker flushes after answering
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [e for e in entries if e.get("trace_id") == trace_id]


@pytest.mark.slow
def test_a_500_in_production_is_logged_once_as_json_with_the_trace_id_the_page_shows(
    production_server,
):
    port, log = production_server
    status, headers, page = get(port, "/?bsn=123456789&name=Jansen", {"traceparent": TRACEPARENT})
    assert status == 500 and headers["X-Trace-Id"] == TRACE_ID
    assert "quote this reference" in page and TRACE_ID in page
    entries = lines_of(log, TRACE_ID)
    errors = [e for e in entries if e["level"] == "ERROR"]
    assert len(errors) == 1, entries
    assert errors[0]["logger"] == "django.request" and errors[0]["status"] == 500
    assert errors[0]["exception"]["type"] == "OperationalError"
    assert "Traceback (most recent call last)" in errors[0]["exception"]["traceback"]
    request = next(e for e in entries if e["logger"] == "civic.request")
    assert (request["method"], request["route"], request["status"]) == ("GET", "/", 500)
    text = log.read_text()
    assert "123456789" not in text and "bsn=" not in text and "Jansen" not in text


@pytest.mark.slow
def test_without_a_traceparent_production_makes_a_trace_id_and_logs_the_route_not_the_path(
    production_server,
):
    port, log = production_server
    status, headers, _page = get(port, "/my/cases/AP-123456789/")
    trace_id = headers["X-Trace-Id"]
    assert status == 302 and re.fullmatch(r"[0-9a-f]{32}", trace_id)  # to the login page
    (request,) = [e for e in lines_of(log, trace_id) if e["logger"] == "civic.request"]
    assert request["route"] == "/my/cases/<str:reference>/" and request["status"] == 302
    assert "123456789" not in log.read_text()

"""What operators and orchestrators read off a running Civic: readiness of its dependencies,
Prometheus metrics (not public), and the background tasks that failed for good."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import require_service


def test_readiness_names_each_dependency_and_is_ok_when_all_answer(client, db):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "signing_key": "ok", "cache": "ok"},
    }


def test_readiness_fails_naming_the_signing_key_when_it_cannot_be_read(
    client, db, settings, tmp_path
):
    from civic.exchange import signing

    bad = tmp_path / "auditlog.pem"
    bad.write_text("not a key")
    settings.AUDITLOG_KEY_FILE = str(bad)
    signing.private_key.cache_clear()
    try:
        response = client.get("/ready")
    finally:
        signing.private_key.cache_clear()
    assert response.status_code == 503
    assert response.json()["checks"]["signing_key"] == "failing: ValueError"


def test_readiness_checks_the_broker_when_background_work_goes_to_celery(client, db, settings):
    settings.NOTIFY_DELIVERY = "celery"
    require_service("RabbitMQ", "127.0.0.1", 5672)
    assert client.get("/ready").json()["checks"]["broker"] == "ok"
    settings.BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("failing:")


def test_metrics_count_requests_by_route_not_by_path_and_show_the_apps_gauges(client, db):
    client.get("/services/child-benefit/")
    text = client.get("/metrics").content.decode()
    assert (
        'civic_http_requests_total{method="GET",route="/services/<slug:code>/",status="200"}'
        in text
    )
    assert "civic_http_request_duration_seconds_bucket" in text
    assert "child-benefit" not in text  # paths (which may hold personal numbers) never appear
    for gauge in (
        "civic_auditlog_entries_total",
        "civic_auditlog_waiting_entries",
        "civic_auditlog_checkpoint_lag_entries",
        'civic_webhook_deliveries{status="dead"}',
        'civic_notify_deliveries{channel="email",status="given-up"}',
        "civic_proactive_run_chunks",
    ):
        assert gauge in text, gauge


def test_metrics_are_not_public(db, settings):
    assert Client(REMOTE_ADDR="203.0.113.5").get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "scrape-me"
    from civic.core.metrics import _allowed_networks

    _allowed_networks.cache_clear()
    local = Client()
    assert local.get("/metrics").status_code == 404
    assert local.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me").status_code == 200


def test_a_task_that_fails_for_good_is_kept_as_a_dead_letter_and_can_be_replayed(settings, capsys):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    from civic.celery import app

    attempts: list[str] = []
    mended = {"yet": False}

    @app.task(name="tests.core.fragile", max_retries=0)
    def fragile(word: str) -> None:
        attempts.append(word)
        if not mended["yet"]:
            raise ConnectionError("the mail server is down")

    _dead_letters_cleared(app, settings.INSTANCE)
    fragile.delay("hello")
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="CRITICAL"):
        _wait_for(lambda: len(attempts) == 1)
        time.sleep(0.5)
    call_command("tasks", "dead")
    listed = capsys.readouterr().out
    assert "tests.core.fragile" in listed and "reason=rejected" in listed

    mended["yet"] = True
    call_command("tasks", "replay", "--all")
    assert "sent 1 task(s) back" in capsys.readouterr().out
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="CRITICAL"):
        _wait_for(lambda: len(attempts) == 2)
    call_command("tasks", "dead")
    assert "no dead letters" in capsys.readouterr().out


def _wait_for(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)


def _dead_letters_cleared(app, instance: str) -> None:
    """Other tests of the session may have left dead letters (a refused task, say)."""
    from civic.celery import DEAD_LETTER_SUFFIX, dead_letter_queue_declare

    dead_letter_queue_declare(app, instance)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(instance + DEAD_LETTER_SUFFIX)

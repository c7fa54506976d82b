"""With CIVIC_EVENT_DELIVERY=celery nothing waits for the next event: Celery beat sweeps the due
deliveries every few seconds, so a delivery refused with 503 is retried, and one held by a
worker that died is sent after its lease. Checked with a real worker and a real beat on
RabbitMQ and a real receiver (these tests commit, so pytest-django runs them after the
others)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from civic.exchange import services
from civic.exchange.delivery.attempt import _claim
from civic.exchange.models import Delivery
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.conftest import require_service
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.receivers import Receiver
from tests.exchange.test_events import MOVE_FIELDS, move

SWEEP = "civic.exchange.deliveries_sweep"


def wait_until(condition: Callable[[], object], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(0.2)


class Sweeps:
    """What each beat-driven sweep task returned, as the worker ran them."""

    def __init__(self) -> None:
        self.results: list[dict] = []

    def __call__(self, sender=None, retval=None, **_kwargs) -> None:
        if sender is not None and sender.name == SWEEP:
            self.results.append(retval or {})


@pytest.fixture
def celery_on_rabbitmq(committed_data, settings, tmp_path) -> Iterator[Callable]:
    """Start (when the test says) a worker and beat on the test run's own queue."""
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery import signals
    from celery.beat import EmbeddedService
    from celery.contrib.testing.worker import start_worker

    import civic.exchange.tasks  # noqa: F401 (registers the tasks with the app)
    from civic.celery import app

    app.conf.broker_url = settings.BROKER_URL
    sweeps = Sweeps()
    signals.task_postrun.connect(sweeps, weak=False)

    @contextmanager
    def running() -> Iterator[Sweeps]:
        beat = EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat"))
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ):
            beat.start()
            try:
                yield sweeps
            finally:
                beat.stop()

    yield running
    signals.task_postrun.disconnect(sweeps)


def a_subscriber(receiver: Receiver, code: str):
    purpose = create_purpose(code=code)
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    return services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url=receiver.url(),
    )


def test_a_delivery_refused_with_503_is_retried_by_the_beat_sweep_and_arrives_once(
    celery_on_rabbitmq, settings
):
    settings.EVENT_DELIVERY = "celery"
    settings.WEBHOOK_RETRY_SCHEDULE = ["1"]
    with Receiver([503]) as receiver:
        subscription = a_subscriber(receiver, "address-updates-beat-retry")
        with celery_on_rabbitmq() as sweeps:
            event = move(a_registered_resident())
            wait_until(lambda: receiver.accepted, "the retry to be accepted")
            swept = len(sweeps.results)
            wait_until(lambda: len(sweeps.results) >= swept + 2, "two more sweeps")
    assert [r.status for r in receiver.requests] == [503, 204]
    assert [r.webhook_id for r in receiver.accepted] == [event.id]
    assert {r.webhook_id for r in receiver.requests} == {event.id}  # the same on the re-send
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert any(result.get("delivered") for result in sweeps.results), sweeps.results


def test_a_delivery_held_by_a_worker_that_died_is_sent_by_the_sweep_after_its_lease(
    celery_on_rabbitmq, settings
):
    settings.EVENT_DELIVERY = "off"  # nobody delivers yet
    settings.WEBHOOK_TIMEOUT_SECONDS = 1  # a short lease
    with Receiver() as receiver:
        subscription = a_subscriber(receiver, "address-updates-abandoned")
        event = move(a_registered_resident())
        held, _ = _claim(Delivery.objects.get(subscription=subscription).pk)
        assert held is not None  # claimed by a worker that then died, before it sent anything
        settings.EVENT_DELIVERY = "celery"
        with celery_on_rabbitmq() as sweeps:
            wait_until(lambda: receiver.accepted, "the abandoned delivery")
    assert [r.webhook_id for r in receiver.requests] == [event.id]
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert any(result.get("delivered") for result in sweeps.results), sweeps.results

"""In production, event deliveries run in Celery workers on RabbitMQ: checked with a real
broker and a real worker (this test commits, so pytest-django runs it after the others)."""

from __future__ import annotations

import time

from civic.exchange import services
from civic.exchange.models import Delivery
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.conftest import require_service
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_events import MOVE_FIELDS, Subscriber, move


def test_a_celery_worker_on_rabbitmq_delivers_a_move_to_the_subscriber(committed_data, settings):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    import civic.exchange.tasks  # noqa: F401 (registers the tasks with the app)
    from civic.celery import app

    settings.EVENT_DELIVERY = "celery"
    app.conf.broker_url = settings.BROKER_URL
    purpose = create_purpose(code="address-updates-on-rabbitmq")
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    endpoint = Subscriber()
    endpoint.start()
    subscription = services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url=endpoint.url,
    )
    endpoint.secret = subscription.secret
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ):
            event = move(a_registered_resident())
            deadline = time.monotonic() + 30
            while not endpoint.received and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        endpoint.stop()
    assert [e["id"] for e in endpoint.received] == [event.id]
    assert Delivery.objects.get().status == "delivered"

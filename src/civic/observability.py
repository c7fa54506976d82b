"""What operators and orchestrators ask of a running Civic: is it ready (database, broker,
signing key, cache), how deep are its queues. Project-level, beside civic/celery.py, because it
looks at every part; the pages are in civic/views.py."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from civic.core.metrics import GaugeMetricFamily, gauges_register


def uses_broker() -> bool:
    return "celery" in {
        settings.EVENT_DELIVERY,
        settings.NOTIFY_DELIVERY,
        settings.PROACTIVE_RUNNER,
    }


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1)


def _signing_key() -> None:
    from civic.exchange.signing import private_key

    private_key()


def _cache() -> None:
    cache.set("civic:ready", "1", 5)
    if cache.get("civic:ready") != "1":
        raise RuntimeError("the cache did not keep a value")


def readiness() -> dict[str, str]:
    """Each dependency and "ok", or what went wrong with it (the exception's type only: the
    answer is public to the load balancer)."""
    checks: dict[str, Callable[[], None]] = {
        "database": _database,
        "signing_key": _signing_key,
        "cache": _cache,
    }
    if uses_broker():
        checks["broker"] = _broker
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:
            results[name] = f"failing: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results


_queue_cache: dict[str, tuple[float, dict[str, int]]] = {}


def queue_gauges():
    """Messages waiting in this installation's Celery queue (and its dead letters), asked of
    the broker at most every 15 s so that scrapes do not hammer it."""
    if not uses_broker():
        return
    cached = _queue_cache.get("depths")
    if cached is None or time.monotonic() - cached[0] > 15:
        from civic.core.background import DEAD_LETTER_SUFFIX, app

        depths = {}
        with app.connection_for_write() as broker:
            channel = broker.default_channel
            for queue in (settings.INSTANCE, settings.INSTANCE + DEAD_LETTER_SUFFIX):
                try:
                    depths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except Exception:  # the queue does not exist (yet): nothing waits in it
                    depths[queue] = 0
                    channel = broker.channel()
        _queue_cache["depths"] = (time.monotonic(), depths)
        cached = _queue_cache["depths"]
    family = GaugeMetricFamily(
        "civic_queue_messages", "Messages waiting in a Celery queue.", labels=["queue"]
    )
    for queue, depth in cached[1].items():
        family.add_metric([queue], depth)
    yield family


# Registered when the pages are (civic.views imports this module): /metrics is served there.
gauges_register(queue_gauges)

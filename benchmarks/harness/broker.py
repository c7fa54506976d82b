"""A Celery queue of the benchmark's own on the machine's shared RabbitMQ.

Civic names its queue after CIVIC_INSTANCE, and its workers refuse tasks another instance
sent. A full run uses the benchmark's fixed name (``load``, ``faults``); a smoke run a name
with its process id in it, so two smoke runs on one machine, a full run and the test suite's
own workers (``civic-test-PID``) never take each other's tasks. ``own_instance`` deletes a
smoke run's queues afterwards, so runs leave no queues behind on the shared broker.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from benchmarks.harness import context

SHARED_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
DEAD_LETTER_SUFFIX = ".dead"  # as civic.core.background names the dead-letter queue


def instance_name(base: str) -> str:
    """``base`` in a full run; ``base_smoke_PID`` in a smoke run."""
    return f"{base}_smoke_{os.getpid()}" if context.current().smoke else base


def queues_delete(instance: str, broker_url: str = SHARED_BROKER) -> None:
    """The instance's queue, its dead-letter queue and its exchange, gone from the broker."""
    from kombu import Connection

    with contextlib.suppress(Exception), Connection(broker_url, connect_timeout=5) as connection:
        channel = connection.default_channel
        for queue in (instance, instance + DEAD_LETTER_SUFFIX):
            with contextlib.suppress(Exception):
                channel.queue_delete(queue)
        with contextlib.suppress(Exception):
            channel.exchange_delete(instance)


@contextlib.contextmanager
def own_instance(base: str, broker_url: str = SHARED_BROKER) -> Iterator[str]:
    """The instance name to run under (``instance_name``); a smoke run's queues are deleted
    when the block ends (a full run keeps its fixed queue, as an installation does)."""
    name = instance_name(base)
    try:
        yield name
    finally:
        if context.current().smoke:
            queues_delete(name, broker_url)

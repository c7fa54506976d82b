"""The Celery application (production background work on RabbitMQ): `celery -A civic worker`.

Imported by ``civic/__init__.py``, so every process — web, CLI, worker — sends its tasks through
this app and its settings (broker, queue), never Celery's default app.

Installations may share a broker: each has its own queue, named by CIVIC_INSTANCE, and every
task message carries the instance that sent it; a worker refuses (and logs) a task from
another instance rather than run it against its own database, whose ids mean other things.
"""

from __future__ import annotations

import logging
import os
import secrets
import time

from celery import Celery, Task, signals
from celery.exceptions import Reject
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

INSTANCE_HEADER = "civic_instance"
#: The W3C trace context of the work that sent a task: the task's log lines (and the access-log
#: entries it writes) carry the same trace id as the request that caused it.
TRACE_HEADER = "traceparent"
#: Where a task goes when it fails for good, or is refused: ``<queue>.dead``, kept for an
#: operator to see (`civic tasks dead`) and replay (`civic tasks replay`).
DEAD_LETTER_SUFFIX = ".dead"
log = logging.getLogger("civic.celery")


def _instance() -> str:
    from django.conf import settings

    return settings.INSTANCE


class CivicTask(Task):
    """Every task of Civic: refuses to run work sent by another installation, and retries a
    failure with a growing wait (5 s, 10 s, 20 s … at most 10 min, five times) before it is
    rejected into the dead-letter queue. Every task is idempotent, so a retry or a replay
    never does anything twice."""

    autoretry_for = (Exception,)
    dont_autoretry_for = (Reject,)
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def __call__(self, *args, **kwargs):
        sent_by = getattr(self.request, INSTANCE_HEADER, None)
        # Called in-process (directly, or eagerly) the work is this instance's own.
        in_process = self.request.called_directly or self.request.is_eager
        if not in_process and sent_by != _instance():
            log.error(
                "refused task %s sent by instance %r (this worker serves %r)",
                self.name,
                sent_by,
                _instance(),
            )
            raise Reject(f"task from instance {sent_by!r}", requeue=False)
        from civic.core import traces

        # A worker whose pool does not fork (solo, threads) sets traces up at its first task.
        traces.traces_start(default_service=traces.WORKER)
        if traces.enabled():
            return self._spanned(in_process, args, kwargs)
        from civic.core import tracing

        sent_with = tracing.from_traceparent(getattr(self.request, TRACE_HEADER, "") or "")
        with tracing.traced(sent_with):
            return self._timed(args, kwargs)

    def _spanned(self, in_process: bool, args, kwargs):
        """The task as a consumer span, child of the span that sent it; run in-process it is a
        step of the work that called it."""
        from civic.core import traces, tracing

        sent_with = getattr(self.request, TRACE_HEADER, "") or ""
        delivery = getattr(self.request, "delivery_info", None) or {}
        with (
            traces.span(
                self.name,
                {
                    "messaging.system": "rabbitmq",
                    "messaging.operation.type": "process",
                    "messaging.destination.name": delivery.get("routing_key") or _instance(),
                    "messaging.message.id": self.request.id or "",
                    "celery.task.retries": self.request.retries or 0,
                },
                kind=traces.SpanKind.INTERNAL if in_process else traces.SpanKind.CONSUMER,
                context=None if in_process else traces.parent_from({TRACE_HEADER: sent_with}),
            ) as span,
            tracing.traced(traces.trace_id_of(span)),
        ):
            return self._timed(args, kwargs)

    def _timed(self, args, kwargs):
        started = time.perf_counter()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # One line per task run, under the trace id of the request that caused it.
            log.info(
                "task %s ran in %d ms",
                self.name,
                (time.perf_counter() - started) * 1000,
            )


def queues_configure(celery: Celery, instance: str) -> None:
    """The instance's queue, whose rejected messages RabbitMQ moves to its dead-letter queue."""
    celery.conf.task_default_queue = instance
    celery.conf.task_queues = [
        Queue(
            instance,
            Exchange(instance, type="direct"),
            routing_key=instance,
            queue_arguments={
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": instance + DEAD_LETTER_SUFFIX,
            },
        )
    ]


def dead_letter_queue_declare(celery: Celery, instance: str) -> None:
    """Declared before any message can be dead-lettered (RabbitMQ drops what has no queue)."""
    with celery.connection_for_write() as connection:
        Queue(
            instance + DEAD_LETTER_SUFFIX, Exchange(""), routing_key=instance + DEAD_LETTER_SUFFIX
        )(connection.default_channel).declare()


app = Celery("civic", task_cls=CivicTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _queues(sender: Celery, **_kwargs) -> None:
    queues_configure(sender, _instance())


@signals.worker_init.connect
def _dead_letters_ready(sender=None, **_kwargs) -> None:
    dead_letter_queue_declare(app, app.conf.task_default_queue)


@signals.worker_ready.connect
def _worker_ready(sender=None, **_kwargs) -> None:
    # Celery's own "ready." line is below the level Civic logs other libraries at; operators
    # (and deploy/compose-smoke) wait for this one.
    log.info("worker %s ready on queue %s", sender.hostname, app.conf.task_default_queue)


@signals.beat_init.connect
def _beat_started(sender=None, **_kwargs) -> None:
    log.info("beat started; its schedule is kept in %s", getattr(sender, "schedule_filename", "?"))


@signals.before_task_publish.connect
def _stamp_instance(headers=None, **_kwargs) -> None:
    if headers is not None:
        from civic.core import traces, tracing

        headers[INSTANCE_HEADER] = _instance()
        # With traces on, the current span is the task's parent (with none, the task starts a
        # trace of its own). Otherwise the sender's trace id (a fresh one for work started
        # outside any request), under a parent id of its own.
        if traces.enabled():
            sent_by = traces.traceparent()
        else:
            trace = tracing.trace_id() or tracing.trace_id_new()
            sent_by = f"00-{trace}-{secrets.token_hex(8)}-01"
        if sent_by:
            headers[TRACE_HEADER] = sent_by


@signals.worker_process_init.connect
def _traces_start(**_kwargs) -> None:
    """Each forked worker process sets traces up for itself (no exporting thread survives a
    fork) and sends what it holds before it exits (a child exits without atexit handlers)."""
    from civic.core import traces

    traces.traces_start(default_service=traces.WORKER)


@signals.worker_process_shutdown.connect
def _traces_flush(**_kwargs) -> None:
    from civic.core import traces

    traces.traces_flush()

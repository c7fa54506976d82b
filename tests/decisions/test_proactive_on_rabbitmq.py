"""In production a proactive run's chunks are Celery tasks on RabbitMQ: checked with a real
broker and a real worker (this test commits, so pytest-django runs it after the others)."""

from __future__ import annotations

from civic.decisions.models import Offer, ProactiveChunk, ProactiveRun
from civic.decisions.proactive import run_start
from civic.decisions.proactive_runner import run_execute
from tests.conftest import eventually, require_service


def test_a_celery_worker_on_rabbitmq_evaluates_every_chunk(committed_data, empty_queue, settings):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    import civic.decisions.tasks  # noqa: F401 (registers the tasks with the app)
    from civic.celery import app

    settings.PROACTIVE_RUNNER = "celery"
    app.conf.broker_url = settings.BROKER_URL
    seen: list[int] = []
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        run = run_execute(
            run_start(chunk_size=500), progress=lambda done, _total: seen.append(done)
        )
    assert run.status == ProactiveRun.Status.DONE
    assert not ProactiveChunk.objects.filter(run=run, done_at__isnull=True).exists()
    assert seen[-1] == run.chunks.count()
    assert Offer.objects.filter(run=run).exists()


def test_a_run_with_no_worker_listening_stops_and_says_so_instead_of_waiting_forever(
    committed_data, empty_queue, settings
):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    import pytest

    from civic.decisions.proactive import RunStalled

    settings.PROACTIVE_RUNNER = "celery"
    settings.PROACTIVE_STALL_SECONDS = 2
    run = run_start(chunk_size=5000)
    with pytest.raises(RunStalled, match=f"consuming queue '{settings.INSTANCE}'"):
        run_execute(run)
    run.refresh_from_db()
    # Marked stopped with why, and resumable: nothing lost.
    assert run.status == ProactiveRun.Status.STOPPED and "no Celery worker" in run.error
    assert run_start(chunk_size=5000).pk == run.pk


def test_a_nightly_run_is_announced_and_closed_by_the_task_of_its_last_chunk(
    committed_data, empty_queue, settings
):
    """Beat starts the nightly run and nobody watches it: the worker that finishes the last
    chunk tells each resident once about all their new offers and marks the run done."""
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    from civic.celery import app
    from civic.decisions.tasks import proactive_run_nightly
    from civic.notify.models import Message

    settings.PROACTIVE_RUNNER = "celery"
    settings.PROACTIVE_CHUNK_SIZE = 500
    app.conf.broker_url = settings.BROKER_URL
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        sent = proactive_run_nightly()  # as beat does: the chunks go to the worker
        run = ProactiveRun.objects.get(trigger=ProactiveRun.Trigger.NIGHTLY)
        eventually(
            lambda: ProactiveRun.objects.get(pk=run.pk).status == ProactiveRun.Status.DONE,
            timeout=120,
            every=0.5,
        )
        run.refresh_from_db()
    assert sent == run.chunks.count() > 1
    assert run.status == ProactiveRun.Status.DONE
    residents = Offer.objects.filter(run=run).values_list("personal_number", flat=True)
    told = Message.objects.filter(template_code="offers-available")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(set(residents))

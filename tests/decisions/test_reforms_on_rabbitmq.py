"""In production a reform run's chunks are Celery tasks on RabbitMQ, the last one combining the
figures: checked with a real broker and a real worker (this test commits, so pytest-django runs
it after the others)."""

from __future__ import annotations

import time

from civic.core import clock
from civic.decisions.models import ReformRun
from civic.decisions.reform_runner import run_in_background
from civic.decisions.reform_runs import reform_save, run_start
from civic.decisions.reforms import reform_parse
from tests.conftest import require_service


def test_a_reform_started_as_the_page_does_is_computed_by_a_celery_worker(committed_data, settings):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker
    from django.db import transaction

    import civic.decisions.tasks  # noqa: F401 (registers the tasks with the app)
    from civic.celery import app

    settings.PROACTIVE_RUNNER = "celery"
    app.conf.broker_url = settings.BROKER_URL
    spec = reform_parse(
        "name: more per child\nparameters:\n  school_clothing_grant.amount_per_child: {add: 50}\n"
    )
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        with transaction.atomic():
            reform = reform_save(agency="havenstad", spec=spec)
            run = run_start(reform=reform, year=clock.today().year, chunk_size=500)
            run_in_background(run)  # the tasks go out once this commits
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status == ReformRun.Status.DONE:
                break
            time.sleep(0.5)
    assert run.status == ReformRun.Status.DONE
    assert not run.chunks.filter(done_at__isnull=True).exists()
    assert run.result["cost_change"] > 0 and run.result["households_gaining"] > 0
    assert run.result["households_losing"] == 0

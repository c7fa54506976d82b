"""Running a reform's chunks to the end: here, one after the other, or as Celery tasks; in the
background for the page and the API. Above the tasks (which compute one chunk with
``reform_runs``), so that nothing imports round in a circle."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, transaction

from civic.core.errors import CivicError
from civic.decisions.models import ReformRun
from civic.decisions.proactive_runner import chunks_wait
from civic.decisions.reform_runs import chunk_evaluate, chunks_pending, run_finish, run_stop
from civic.decisions.tasks import reform_chunk_task

logger = logging.getLogger(__name__)


def run_execute(run: ReformRun, *, progress: Callable[[int, int], None] | None = None) -> ReformRun:
    """Compute the run's pending chunks here (one after the other) or, with
    CIVIC_PROACTIVE_RUNNER=celery, as one task per chunk, watched until done; then combine."""
    try:
        if run.status == ReformRun.Status.STOPPED:
            run.status, run.error = ReformRun.Status.RUNNING, ""
            run.save(update_fields=["status", "error"])
        pending = chunks_pending(run)
        total = run.chunks.count()
        if settings.PROACTIVE_RUNNER == "celery":
            for chunk_id in pending:
                reform_chunk_task.delay(chunk_id)
            chunks_wait(
                lambda: chunks_pending(run),
                total,
                progress,
                lambda _left: CivicError(
                    f"no Celery worker finished a chunk of reform run {run.pk}"
                ),
            )
        else:
            for i, chunk_id in enumerate(pending, start=total - len(pending) + 1):
                chunk_evaluate(chunk_id=chunk_id)
                if progress:
                    progress(i, total)
    except BaseException as error:
        run_stop(run, error=error)
        raise
    return run_finish(run)


def run_in_background(run: ReformRun) -> None:
    """Start computing ``run`` once the transaction commits, without waiting: each chunk a
    Celery task (CIVIC_PROACTIVE_RUNNER=celery; the last one combines the figures), or a
    thread of this process in the embedded default. A page shows its progress meanwhile."""
    if settings.PROACTIVE_RUNNER == "celery":

        def send() -> None:
            for chunk_id in chunks_pending(run):
                reform_chunk_task.delay(chunk_id)

        transaction.on_commit(send)
        return

    def work() -> None:
        try:
            run_execute(run)
        except Exception:
            logger.exception("reform run %s stopped", run.pk)
        finally:
            close_old_connections()

    transaction.on_commit(lambda: threading.Thread(target=work, daemon=True).start())

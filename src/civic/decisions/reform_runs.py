"""Reform runs: a saved reform computed over every address in chunks, like a proactive run.

Each chunk reads its residents through the exchange under the ``policy-simulation`` purpose
(as the job ``policy-simulation`` of the reform's agency, each resident logged), computes the
law as it is and the reform with the same engine, and stores only the chunk's figures. A
stopped run resumes at the first chunk not done. In the embedded default a page starts the run
in a background thread of its process; with CIVIC_PROACTIVE_RUNNER=celery each chunk is a task.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction

from civic.core import clock
from civic.core.errors import NotFound
from civic.decisions.models import Reform, ReformChunk, ReformRun
from civic.decisions.reforms import (
    ReformSpec,
    chunk_compare,
    reform_parse,
    reformed_system,
    results_combine,
)
from civic.exchange.selectors import Actor, address_ranges, neighbourhoods_of, population_read

logger = logging.getLogger(__name__)

#: The job's name in the access log and its grants, and the purpose it reads under.
JOB = "policy-simulation"
PURPOSE = "policy-simulation"
#: What a simulation reads (no vehicles: no entitlement uses them).
READS = ("persons", "family", "income")


def reform_save(*, agency: str, spec: ReformSpec, user: str = "") -> Reform:
    return Reform.objects.create(
        agency=agency,
        name=spec.name,
        description=spec.description,
        parameters=spec.as_data()["parameters"],
        created_by=user[:150],
        created_at=clock.now(),
    )


def reform_spec(reform: Reform) -> ReformSpec:
    return reform_parse(
        {"name": reform.name, "description": reform.description, "parameters": reform.parameters}
    )


def reform_get(*, agency: str, pk: int) -> Reform:
    """A reform of ``agency``; another agency's is not found (never revealed)."""
    found = Reform.objects.filter(agency=agency, pk=pk).first()
    if found is None:
        raise NotFound("There is no such reform.")
    return found


def run_get(*, agency: str, pk: int) -> ReformRun:
    """A run of a reform of ``agency``; another agency's is not found."""
    found = ReformRun.objects.select_related("reform").filter(reform__agency=agency, pk=pk).first()
    if found is None:
        raise NotFound("There is no such run.")
    return found


def runs_of(*, agency: str, limit: int = 50) -> list[ReformRun]:
    """The latest runs of ``agency``'s reforms, newest first."""
    return list(
        ReformRun.objects.filter(reform__agency=agency)
        .select_related("reform")
        .order_by("-started_at")[:limit]
    )


def reforms_of(*, agency: str, limit: int = 100) -> list[Reform]:
    return list(Reform.objects.filter(agency=agency).order_by("-created_at")[:limit])


def run_start(*, reform: Reform, year: int, chunk_size: int | None = None) -> ReformRun:
    """A new run of ``reform`` over every address for ``year`` (its chunks made at once)."""
    reformed_system(reform_spec(reform), year)  # refused here, before any chunk, if invalid
    size = chunk_size or settings.PROACTIVE_CHUNK_SIZE
    with transaction.atomic():
        run = ReformRun.objects.create(
            reform=reform, year=year, on=clock.today(), chunk_size=size, started_at=clock.now()
        )
        ReformChunk.objects.bulk_create(
            [
                ReformChunk(run=run, index=i, first_address=first, last_address=last)
                for i, (first, last) in enumerate(address_ranges(size))
            ],
            batch_size=1000,
        )
    return run


def chunk_evaluate(*, chunk_id: int) -> None:
    """Compute one chunk if it is not done yet, and store its figures."""
    with transaction.atomic():
        chunk = (
            ReformChunk.objects.select_for_update()
            .select_related("run__reform")
            .filter(pk=chunk_id, done_at__isnull=True)
            .first()
        )
        if chunk is None:
            return
        run = chunk.run
        started = time.perf_counter()
        population = population_read(
            actor=Actor.job(JOB, agency=run.reform.agency),
            purpose=PURPOSE,
            first_address=chunk.first_address,
            last_address=chunk.last_address,
            on=run.on,
            registers=READS,
        )
        places = neighbourhoods_of(chunk.first_address, chunk.last_address)
        read = time.perf_counter() - started
        system = reformed_system(reform_spec(run.reform), run.year)
        chunk.result = chunk_compare(population, run.year, system, places)
        chunk.timings = {
            "read": round(read, 4),
            "compute": round(time.perf_counter() - started - read, 4),
        }
        chunk.done_at = clock.now()
        chunk.save(update_fields=["result", "timings", "done_at"])


def chunks_pending(run: ReformRun) -> list[int]:
    return list(
        run.chunks.filter(done_at__isnull=True).order_by("index").values_list("pk", flat=True)
    )


def run_progress(run: ReformRun) -> tuple[int, int]:
    total = run.chunks.count()
    return total - run.chunks.filter(done_at__isnull=True).count(), total


def run_finish(run: ReformRun) -> ReformRun:
    if run.chunks.filter(done_at__isnull=True).exists():
        return run
    parts = list(run.chunks.order_by("index").values_list("result", flat=True))
    run.result = results_combine(parts)
    timings = run.chunks.values_list("timings", flat=True)
    run.result["seconds"] = {
        "read": round(sum(t.get("read", 0) for t in timings), 2),
        "compute": round(sum(t.get("compute", 0) for t in timings), 2),
    }
    run.status, run.finished_at = ReformRun.Status.DONE, clock.now()
    run.save(update_fields=["result", "status", "finished_at"])
    return run


def run_stop(run: ReformRun, *, error: BaseException) -> None:
    why = f"{type(error).__name__}: {error}"[:2000]
    ReformRun.objects.filter(pk=run.pk, status=ReformRun.Status.RUNNING).update(
        status=ReformRun.Status.STOPPED, error=why
    )
    run.status, run.error = ReformRun.Status.STOPPED, why

"""The maturity benchmark's Django side, run in a ``civic shell`` (``django_call.ask``)."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any


def residents() -> int:
    """How many residents the database's jurisdiction holds (0: none generated)."""
    from django.db import DatabaseError

    from civic.registers.selectors import jurisdiction_get

    try:
        jurisdiction = jurisdiction_get()
    except DatabaseError:  # not migrated
        return 0
    return jurisdiction.residents if jurisdiction else 0


def maturity(spec: dict[str, Any]) -> dict[str, Any]:
    """The index recomputed ``repeats`` times as the daily task does (``maturity_record``),
    then once under tracemalloc for the peak memory; each input's counts of the last run."""
    from civic.insights.services import maturity_record

    seconds, snapshot = [], None
    for _ in range(spec["repeats"]):
        began = time.perf_counter()
        snapshot = maturity_record()
        seconds.append(time.perf_counter() - began)
    tracemalloc.start()  # a run of its own: tracing slows Python, which timed runs must not pay
    maturity_record()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": sorted(seconds),
        "peak_mib": peak / 2**20,
        "index": snapshot.index,
        "dimensions": {d["key"]: d["score"] for d in snapshot.dimensions},
        "inputs": snapshot.inputs,
    }

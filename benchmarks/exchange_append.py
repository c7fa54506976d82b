"""Access-log appends and the integrator, in one process, through the real code paths.

Three ways of appending, each timed over many calls (entries per second of wall time, and the
latency of one call):

- ``log_entries_write`` for 20 subjects inside ``transaction.atomic()``: what a query for 20
  subjects adds to its transaction, the log's own cost;
- the same for one subject per transaction: each entry pays a commit of its own (on
  PostgreSQL with ``synchronous_commit on`` that is a WAL flush), as single-subject API calls do;
- ``register_query`` for 20 subjects: the whole in-process query path (checks, the register
  reads, the log), as staff pages and jobs call it.

Then the integrator (``civic.exchange.auditlog.integrate``, as the web processes' background
thread runs it) takes everything waiting: entries per second, checkpoints signed, and the split
of its time (cProfile of one batch). Run by the orchestrator as a child process
(``append_run``); prints its figures as JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import time
from pathlib import Path
from typing import Any

from databases import Target
from exchange_common import (
    FIELDS,
    PURPOSE,
    child_json,
    django_setup,
    emit,
    partner_credentials_here,
    usage_of,
)
from point_query import latency_summary

CALLS = 1_000  # calls of each kind
BATCH = 20  # subjects per call (the API's maximum)
SEED = 20_261_130


def append_run(target: Target, *, calls: int = CALLS) -> dict[str, Any]:
    figures, child = child_json(target, Path(__file__).resolve(), ["--calls", str(calls)])
    figures["process"] = usage_of(child)
    return figures


# --- the child's side --------------------------------------------------------------------


def _timed(calls: list[Any], call: Any) -> tuple[float, list[float]]:
    """Wall seconds for all ``calls`` and milliseconds of each."""
    each: list[float] = []
    began = time.perf_counter()
    for argument in calls:
        start = time.perf_counter_ns()
        call(argument)
        each.append((time.perf_counter_ns() - start) / 1e6)
    return time.perf_counter() - began, each


def _rate(entries: int, wall: float, each: list[float], cpu: float) -> dict[str, Any]:
    return {
        "entries": entries,
        "wall_s": wall,
        "entries_per_s": entries / wall,
        "cpu_s": cpu,
        "call_ms": latency_summary(each),
    }


def measure(*, calls: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from civic.core import clock
    from civic.exchange import auditlog
    from civic.exchange.actors import Actor
    from civic.exchange.entries import log_entries_write
    from civic.exchange.models import AccessLogEntry, Checkpoint, Purpose
    from civic.exchange.query import register_query
    from civic.identity.models import ApiClient
    from civic.registers.catalogue import REGISTERS
    from civic.registers.models import Person

    rng = random.Random(seed)
    client_id, _secret = partner_credentials_here()
    actor = Actor.api_client(ApiClient.objects.select_related("agency").get(client_id=client_id))
    purpose = Purpose.objects.select_related("controller").get(code=PURPOSE)
    released = sorted(set(FIELDS) | set(REGISTERS["persons"].always_delivered))
    numbers = list(Person.objects.values_list("personal_number", flat=True))
    batches = [rng.sample(numbers, BATCH) for _ in range(calls)]
    waiting_before = AccessLogEntry.objects.filter(position__isnull=True).count()

    def write(subjects: list[str]) -> None:
        with transaction.atomic():
            log_entries_write(
                actor=actor,
                purpose=purpose,
                register="persons",
                subjects=subjects,
                fields=released,
                case="",
                kind="lookup",
                trace_id=f"{rng.getrandbits(128):032x}",
                at=clock.now(),
            )

    figures: dict[str, Any] = {"vendor": connection.vendor, "subjects_per_call": BATCH}
    cpu = time.process_time()
    wall, each = _timed(batches, write)
    figures["write_20"] = _rate(calls * BATCH, wall, each, time.process_time() - cpu)

    singles = [[b[0]] for b in batches]
    cpu = time.process_time()
    wall, each = _timed(singles, write)
    figures["write_1"] = _rate(calls, wall, each, time.process_time() - cpu)

    def query(subjects: list[str]) -> None:
        register_query(
            actor=actor, register="persons", subjects=subjects, fields=list(FIELDS), purpose=PURPOSE
        )

    some = batches[: max(1, calls // 4)]
    cpu = time.process_time()
    wall, each = _timed(some, query)
    figures["register_query_20"] = _rate(len(some) * BATCH, wall, each, time.process_time() - cpu)

    # The integrator: one batch under cProfile (where its time goes), then the rest timed.
    waiting = AccessLogEntry.objects.filter(position__isnull=True).count()
    checkpoints_before = Checkpoint.objects.count()
    profile = cProfile.Profile()
    began = time.perf_counter()
    cpu = time.process_time()
    profile.enable()
    auditlog.integrate()
    profile.disable()
    profiled_s = time.perf_counter() - began
    signed = 1 + auditlog.integrate_all()
    wall = time.perf_counter() - began
    cpu = time.process_time() - cpu
    left = AccessLogEntry.objects.filter(position__isnull=True).count()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(12)
    figures["integrate"] = {
        "entries": waiting - left,
        "waiting_before_appends": waiting_before,
        "wall_s": wall,
        "cpu_s": cpu,
        "entries_per_s": (waiting - left) / wall,
        "checkpoints": Checkpoint.objects.count() - checkpoints_before,
        "signed_calls": signed,
        "profiled_batch_s": profiled_s,
        "profile": _profile_split(profile),
        "profile_text": text.getvalue().splitlines()[:40],
    }
    return figures


def _profile_split(profile: cProfile.Profile) -> dict[str, float]:
    """Seconds of one integrate() batch by where they went (own time of functions, grouped)."""
    stats = pstats.Stats(profile)
    groups = {
        "database driver": 0.0,
        "hashing": 0.0,
        "signing": 0.0,
        "Django ORM": 0.0,
        "other Python": 0.0,
    }
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own, where = row[2], f"{filename} {name}"
        if "psycopg" in where or "sqlite3" in where:
            groups["database driver"] += own
        elif "sha256" in where or "_hashlib" in where or "merkle.py" in where:
            groups["hashing"] += own
        elif "Ed25519" in where or "signing.py" in where or "cryptography" in where:
            groups["signing"] += own
        elif "django" in where:
            groups["Django ORM"] += own
        else:
            groups["other Python"] += own
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=CALLS)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    django_setup()
    emit(measure(calls=options.calls, seed=options.seed))


if __name__ == "__main__":
    main()

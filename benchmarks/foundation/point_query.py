"""The bitemporal point query: one person's address on a date, as known on a date.

Times ``civic.registers.selectors.address_at`` for random persons, random ``valid_at`` dates
in the ten-year history and random timezone-aware ``known_at`` moments, after a warm-up on
other persons; records the calling process's CPU time per call too, which waiting for a
busy CPU does not inflate. Then times the very SQL the ORM sends, on the driver's own cursor,
for the same samples, so that ORM overhead and database time can be told apart; and records
the query plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

The orchestrator calls ``point_query_run``, which runs this file in a child process
configured for the target database (Django's settings are read once per process); the
child prints its figures as JSON. ``CIVIC_DEBUG=false`` as in production, so Django does not
log every query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.harness.meter import child_run
from benchmarks.harness.targets import ROOT, Target

Statement = tuple[str, tuple[Any, ...]]  # SQL with %s placeholders, and its parameters

SAMPLES = 2_000
WARMUP = 200
SEED = 20_261_130


def latency_summary(milliseconds: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(milliseconds, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "mean": statistics.fmean(milliseconds),
        "max": max(milliseconds),
    }


# --- the orchestrator's side -------------------------------------------------------------


def point_query_run(
    target: Target, *, samples: int = SAMPLES, warmup: int = WARMUP
) -> dict[str, Any]:
    """Run the measurement in a child process against ``target``."""
    database = target.postgres_database
    argv = [
        sys.executable,
        "-m",
        "benchmarks.foundation.point_query",
        "--samples",
        str(samples),
        "--warmup",
        str(warmup),
    ]
    child = child_run(
        argv, env=target.env(CIVIC_DEBUG="false"), cwd=ROOT, postgres_database=database
    )
    if child.returncode:
        raise RuntimeError(f"point query failed on {target.label}:\n{child.stderr}")
    figures: dict[str, Any] = json.loads(child.stdout)
    figures.update(
        wall_s=child.wall_s,
        cpu_s=child.cpu_s,
        server_cpu_s=child.usage.server_cpu_s,
        busy_cores=child.usage.busy_cores,
        other_cores=child.other_cores,
        steal_cores=child.usage.steal_cores,
    )
    return figures


# --- the child's side --------------------------------------------------------------------


def _sample(rng: random.Random, count: int) -> list[tuple[str, dt.date, dt.datetime]]:
    """``count`` (personal number, valid_at, known_at) triples for random persons."""
    from django.db.models import Max

    from civic.registers.models import Jurisdiction, Person

    jurisdiction = Jurisdiction.objects.get()
    top = Person.objects.aggregate(top=Max("id"))["top"]
    ids = rng.sample(range(1, top + 1), count)
    numbers = dict(Person.objects.filter(id__in=ids).values_list("id", "personal_number"))
    start, until = jurisdiction.history_from, jurisdiction.history_until
    first = dt.datetime.combine(start, dt.time(), dt.UTC)
    seconds = int((until - start).days * 86_400 + 86_399)
    return [
        (
            numbers[i],
            start + dt.timedelta(days=rng.randint(0, (until - start).days)),
            first + dt.timedelta(seconds=rng.randint(0, seconds)),
        )
        for i in ids
        if i in numbers
    ]


def _compiled(personal_number: str, valid_at: dt.date, known_at: dt.datetime) -> Statement:
    """The SQL and parameters ``address_at`` sends (one fixed statement), built without running it."""
    from django.db import connection

    from civic.registers.selectors import ADDRESS_AT_SQL

    ops = connection.ops
    day, moment = ops.adapt_datefield_value(valid_at), ops.adapt_datetimefield_value(known_at)
    return ADDRESS_AT_SQL, (personal_number, day, day, moment, moment)


def _sent_by_orm(call: Callable[[], object]) -> Statement:
    """The SQL and parameters the ORM actually sent during ``call``."""
    from django.db import connection

    sent: list[Statement] = []

    def capture(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        sent.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        call()
    if len(sent) != 1:
        raise RuntimeError(f"address_at sent {len(sent)} queries, expected one")
    return sent[0]


def _plan(sql: str, params: tuple[Any, ...]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def measure(*, samples: int, warmup: int, seed: int) -> dict[str, Any]:
    from django.db import connection

    from civic.registers.models import Jurisdiction
    from civic.registers.selectors import address_at

    rng = random.Random(seed)
    chosen = _sample(rng, samples + warmup)
    warm, timed = chosen[:warmup], chosen[warmup:]
    for number, valid_at, known_at in warm:
        address_at(personal_number=number, valid_at=valid_at, known_at=known_at)

    number, valid_at, known_at = timed[0]
    sent_sql, _params = _sent_by_orm(
        lambda: address_at(personal_number=number, valid_at=valid_at, known_at=known_at)
    )
    compiled = [_compiled(*triple) for triple in timed]
    if compiled[0][0] != sent_sql:
        raise RuntimeError(
            f"the compiled SQL differs from what address_at sends:\n{compiled[0][0]}\n{sent_sql}"
        )

    # Wall time is what a caller waits; the process's CPU time leaves out the time spent
    # waiting for the database server or for a CPU that other processes hold.
    orm_ms: list[float] = []
    orm_cpu_ms: list[float] = []
    found = 0
    for number, valid_at, known_at in timed:
        cpu_began = time.process_time_ns()
        began = time.perf_counter_ns()
        address = address_at(personal_number=number, valid_at=valid_at, known_at=known_at)
        orm_ms.append((time.perf_counter_ns() - began) / 1e6)
        orm_cpu_ms.append((time.process_time_ns() - cpu_began) / 1e6)
        found += address is not None

    # The same statements on the driver's cursor: no query building, no model instances.
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    connection.ensure_connection()
    raw = connection.connection.cursor()
    sql_ms: list[float] = []
    sql_found = 0
    for sql, params in compiled:
        statement = sql.replace("%s", placeholder)
        began = time.perf_counter_ns()
        raw.execute(statement, params)
        row = raw.fetchone()
        sql_ms.append((time.perf_counter_ns() - began) / 1e6)
        sql_found += row is not None
    raw.close()
    if sql_found != found:
        raise RuntimeError(f"raw SQL found {sql_found} addresses, the ORM {found}")

    # The plan of the slowest ORM sample, which is where a bad plan would show.
    slowest = max(range(len(timed)), key=orm_ms.__getitem__)
    jurisdiction = Jurisdiction.objects.get()
    return {
        "residents": jurisdiction.residents,
        "persons": jurisdiction.summary.get("persons"),
        "vendor": connection.vendor,
        "samples": len(timed),
        "warmup": len(warm),
        "found": found,
        "orm_ms": latency_summary(orm_ms),
        "orm_cpu_ms": latency_summary(orm_cpu_ms),
        "sql_ms": latency_summary(sql_ms),
        "sql": sent_sql,
        "plan": _plan(*compiled[slowest]),
        "plan_of": "slowest sample",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    import django

    django.setup()
    figures = measure(samples=options.samples, warmup=options.warmup, seed=options.seed)
    json.dump(figures, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()

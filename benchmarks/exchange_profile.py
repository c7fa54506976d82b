"""Where a single-subject query's CPU goes: cProfile over requests run in one process.

Sends POST /api/exchange/v1/persons/query through Django's whole stack (the test client: the
middleware, django-ninja's parsing and rendering, the view) for random living residents, one
thread, no server, and splits the CPU time of a request among the steps of the query path:
authentication, the purpose and grant checks, the existence check of the subjects, the
register reads, writing the access-log entry and the commit, and the rest (the framework).
The orchestrator runs it as a child (``profile_run``); it prints its figures as JSON.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
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
)

REQUESTS = 300
WARMUP = 50

#: Steps of the query path: a label and the (file suffix, function) whose cumulative time it is.
STEPS = (
    (
        "authentication (the API client, by id and secret)",
        ("identity/services.py", "api_client_authenticate"),
    ),
    ("rate limit on calls (cache)", ("exchange/limits.py", "calls_count")),
    ("purpose and grant checks", ("exchange/query.py", "_preflight")),
    ("walk watch (cache)", ("exchange/watch.py", "asked")),
    ("subjects exist", ("exchange/fetch.py", "subjects_missing")),
    ("limits on subjects (cache)", ("exchange/limits.py", "subjects_take")),
    ("register reads", ("exchange/fetch.py", "records_read")),
    ("access-log entry", ("exchange/entries.py", "log_entries_write")),
    ("commit", ("django/db/transaction.py", "__exit__")),
)


def profile_run(target: Target, *, requests: int = REQUESTS) -> dict[str, Any]:
    figures, _child = child_json(target, Path(__file__).resolve(), ["--requests", str(requests)])
    return figures


def measure(*, requests: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from exchange_load import living_residents

    client_id, secret = partner_credentials_here()
    auth = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    residents = living_residents(2_000)
    rng = random.Random(seed)
    client = Client()

    def one() -> None:
        body = {"subjects": [rng.choice(residents)], "fields": list(FIELDS), "purpose": PURPOSE}
        answer = client.post(
            "/api/exchange/v1/persons/query",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=auth,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"{answer.status_code}: {answer.content[:300]!r}")

    for _ in range(WARMUP):
        one()
    statements: list[str] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):  # (the test client's request resets queries_log)
        one()
    cpu, began = time.process_time(), time.perf_counter()
    for _ in range(requests):
        one()
    cpu_ms = 1000 * (time.process_time() - cpu) / requests
    wall_ms = 1000 * (time.perf_counter() - began) / requests
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        one()
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in stats.values())
    steps: dict[str, float] = {}
    for label, (suffix, name) in STEPS:
        steps[label] = (
            sum(
                row[3]
                for (filename, _line, function), row in stats.items()
                if function == name and filename.endswith(suffix)
            )
            / total
        )
    steps["the rest: middleware, django-ninja, the view, rendering"] = 1 - sum(steps.values())
    return {
        "vendor": connection.vendor,
        "requests": requests,
        "cpu_ms": cpu_ms,
        "wall_ms": wall_ms,
        "queries": len(statements),
        "statements": [sql[:90] for sql in statements],
        "share": steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    django_setup()
    emit(measure(requests=options.requests, seed=options.seed))


if __name__ == "__main__":
    main()

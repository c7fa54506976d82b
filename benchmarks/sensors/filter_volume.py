"""A day's readings out of a very long datastream (issue 19): ``observations`` readings of one
datastream, one a second (100 million is over three years), in the monthly partitions of
PostgreSQL, and SensorThings ``$filter`` requests for one day of them over HTTP.
``python -m benchmarks --section sensors_volume [--smoke]``

The readings are loaded with the table's indexes and constraints set aside (INSERT … SELECT
from generate_series, a month at a time) and then made again under Django's names: loading is
not what is measured here (the sensors section measures ingest). Each sample asks a random
day's readings, first page (the API's default page size) with ``@iot.nextLink``, and again
with ``$count=true``. Writes the "sensors_volume" section of docs/benchmarks.md and
benchmarks/results/sensors_volume.json."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import subprocess
import time
from typing import Any

import psycopg
import requests

from benchmarks.harness import context, report
from benchmarks.harness.django_call import ask
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.servers import WebServer, civic_env
from benchmarks.harness.targets import postgres_database_drop, postgres_database_ensure

NAME = "sensors_volume"
SIDE = "benchmarks.sensors.django_side"
START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
#: What Django made on the table (migration sensors 0006), set aside while loading.
INDEXES = {
    "sensors_observation_datastream_id_511f374b": "(datastream_id)",
    "sensors_observation_feature_of_interest_id_f563bd79": "(feature_of_interest_id)",
}


def _load(url: str, datastream: int, n: int) -> dict[str, float]:
    """``n`` readings, one a second from START, month by month; seconds per step."""
    end = START + dt.timedelta(seconds=n)
    timings = {}
    with psycopg.connect(url, autocommit=True) as conn:
        began = time.perf_counter()
        conn.execute(
            "ALTER TABLE sensors_observation DROP CONSTRAINT sensors_observation_one_per_instant"
        )
        (primary,) = conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'sensors_observation'::regclass "
            "AND contype = 'p'"
        ).fetchone()
        conn.execute(f'ALTER TABLE sensors_observation DROP CONSTRAINT "{primary}"')
        for name in INDEXES:
            conn.execute(f'DROP INDEX "{name}"')
        month = START
        while month < end:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            conn.execute(
                f'CREATE TABLE "sensors_observation_p{month:%Y_%m}" PARTITION OF '
                f"sensors_observation FOR VALUES FROM ('{month.isoformat()}') "
                f"TO ('{following.isoformat()}')"
            )
            first = int((month - START).total_seconds())
            last = min(n, int((following - START).total_seconds()))
            conn.execute(
                "INSERT INTO sensors_observation (id, datastream_id, phenomenon_time, "
                "result_number) SELECT g + 1, %s, %s::timestamptz + g * interval '1 second', "
                "round((2 + sin(g / 43200.0) + (g %% 97) / 970.0)::numeric, 3) "
                "FROM generate_series(%s, %s) AS g",
                [datastream, START, first, last - 1],
            )
            month = following
        timings["load"] = time.perf_counter() - began
        began = time.perf_counter()
        conn.execute(
            "ALTER TABLE sensors_observation ADD CONSTRAINT sensors_observation_pkey "
            "PRIMARY KEY (id, phenomenon_time)"
        )
        conn.execute(
            "ALTER TABLE sensors_observation ADD CONSTRAINT sensors_observation_one_per_instant "
            "UNIQUE (datastream_id, phenomenon_time)"
        )
        for name, columns in INDEXES.items():
            conn.execute(f'CREATE INDEX "{name}" ON sensors_observation {columns}')
        conn.execute(f"SELECT setval('sensors_observation_id_seq', {n})")
        conn.execute(
            "UPDATE sensors_datastream SET phenomenon_time_start = %s, phenomenon_time_end = %s, "
            "latest_phenomenon_time = %s WHERE id = %s",
            [START, end, end, datastream],
        )
        timings["index"] = time.perf_counter() - began
        began = time.perf_counter()
        conn.execute("ANALYZE sensors_observation")
        timings["analyze"] = time.perf_counter() - began
        size = conn.execute(
            "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
            "WHERE inhparent = 'sensors_observation'::regclass"
        ).fetchone()[0]
    timings["bytes"] = float(size)
    return timings


def _day_requests(base: str, datastream: int, n: int, samples: int) -> dict[str, list[float]]:
    days = max(1, n // 86_400 - 1)
    rng = random.Random(7)
    session = requests.Session()
    out: dict[str, list[float]] = {"page": [], "count": []}
    for _ in range(samples):
        day = START + dt.timedelta(days=rng.randrange(days))
        after = (day + dt.timedelta(days=1)).isoformat().replace("+00:00", "Z")
        window = f"phenomenonTime ge {day.isoformat().replace('+00:00', 'Z')} and phenomenonTime lt {after}"
        for key, counted in (("page", False), ("count", True)):
            params = {"$filter": window, "$orderby": "phenomenonTime asc"}
            if counted:
                params["$count"] = "true"
            began = time.perf_counter()
            answer = session.get(
                f"{base}/sta/v1.1/Datastreams({datastream})/Observations",
                params=params,
                timeout=120,
            )
            elapsed = (time.perf_counter() - began) * 1000
            answer.raise_for_status()
            body = answer.json()
            if not body["value"] or (counted and body["@iot.count"] != min(86_400, n)):
                raise RuntimeError(f"a day of readings came back wrong: {len(body['value'])}")
            out[key].append(elapsed)
    return out


def measure(sizes: dict[str, Any]) -> dict[str, Any]:
    run = context.current()
    name = run.database("sensors_volume_bench")
    postgres_database_drop(name)
    postgres_database_ensure(name)
    url = f"{POSTGRES_SERVER}/{name}"
    env = civic_env(
        var_dir=run.var_dir(NAME),
        database_url=url,
        broker_url="amqp://guest:guest@127.0.0.1:5672//",
    )
    run.var_dir(NAME).mkdir(parents=True, exist_ok=True)
    subprocess.run([str(CIVIC), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    [datastream] = ask(env, "datastreams_make", {"count": 1}, module=SIDE)
    n = sizes["observations"]
    report.say(f"sensors_volume: loading {n:,} readings of one datastream …")
    timings = _load(url, datastream, n)
    server = WebServer(
        env=env, port=run.port(8021), workers=2, threads=1, log=run.var_dir(NAME) / "serve.log"
    )
    server.start()
    try:
        server.wait_ready()
        _day_requests(server.base, datastream, n, 3)  # warm: connections, plans
        samples = _day_requests(server.base, datastream, n, sizes["samples"])
    finally:
        server.stop()
    postgres_database_drop(name)  # tens of gigabytes: not kept between runs
    return {"observations": n, **timings, **samples}


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def render(results: dict[str, Any]) -> str:
    f, machine = results["figures"], results["machine"]
    return "\n".join(
        [
            report.begin(NAME, "benchmarks/sensors/filter_volume.py"),
            "## A day out of a very long datastream (issue 19)",
            "",
            f"Machine: {machine.get('cpu', '?')}; PostgreSQL {machine.get('postgresql', '?')}. "
            f"Date: {machine.get('date', '?')}; load average {machine.get('load_at_start', '?')} at start "
            "(the machine is shared). "
            f"{f['observations']:,} readings of one datastream, one a second from 2023-01-01, in "
            f"monthly partitions ({f['bytes'] / 2**30:.1f} GiB with indexes; loaded in "
            f"{f['load']:.0f} s and indexed in {f['index']:.0f} s with the indexes set aside). "
            f"`civic serve` with 2 workers; {len(f['page'])} random days, each asked as "
            "`Datastreams(id)/Observations?$filter=phenomenonTime ge D and phenomenonTime lt D+1`"
            " ordered by time (86,400 readings match).",
            "",
            "| Request | Median | p95 | Max |",
            "|---|---:|---:|---:|",
            f"| First page with `@iot.nextLink` | {statistics.median(f['page']):.0f} ms | "
            f"{_p95(f['page']):.0f} ms | {max(f['page']):.0f} ms |",
            f"| The same with `$count=true` | {statistics.median(f['count']):.0f} ms | "
            f"{_p95(f['count']):.0f} ms | {max(f['count']):.0f} ms |",
            "",
            "Goal (issue 19): p95 under 200 ms for a `$filter` over 100 million observations of "
            "one datastream for one day.",
            report.end(NAME),
        ]
    )


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    return report.postgres_section(
        NAME,
        sizes,
        measure,
        render,
        lambda f: (
            f"{f['observations']:,} readings, a day's first page p95 {_p95(f['page']):.0f} ms, "
            f"with $count {_p95(f['count']):.0f} ms"
        ),
    )

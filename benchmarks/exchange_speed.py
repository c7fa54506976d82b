"""Exchange speed: the partner query against /health and a bare probe, in the same run.

One ``civic serve`` (gunicorn, gthread workers, as production runs it) on PostgreSQL with the
demo jurisdiction, and beside it a bare gunicorn with the same workers and threads whose WSGI
application answers 200 with two bytes and does nothing else (``probe`` below: the ceiling of
gunicorn and wrk on this machine, no Django). wrk drives each in turn, closed loop, at the same
connections: the probe, GET /health (Django's whole middleware stack and one SELECT 1) and
POST /api/exchange/v1/persons/query (one living resident a request, HTTP Basic, the access log
written before every release, the integrator thread on), ``--rounds`` times in turn so that
what else the shared machine does falls on all three alike. The report gives each one's rate,
latency and CPU per request, and the query's rate as a share of /health's and of the probe's.

    .venv/bin/python benchmarks/exchange_speed.py --prepare      # once: a fresh demo database
    .venv/bin/python benchmarks/exchange_speed.py --workers 4 --threads 2 --connections 8

The database is ``civic_bench_speed`` (``--database`` to change it), its files under
var/bench-speed-postgres; CIVIC_CACHE_URL is passed on (production's Redis) when set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from databases import POSTGRES_SERVER, ROOT, Target
from exchange_common import demo_prepare, log_counts, say
from exchange_load import (
    QUERY_PATH,
    Server,
    Setting,
    _tree_ticks,
    lua_write,
    query_script,
    subjects_write,
    wrk_run,
)

PORT, PROBE_PORT = 8170, 8171
RESULTS = ROOT / "benchmarks" / "results" / "exchange_speed.json"


def probe(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The bare probe: a WSGI application that does nothing (gunicorn imports it by name)."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


class Probe:
    """A bare gunicorn serving ``probe`` with the same workers and threads as civic serve."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{PROBE_PORT}"

    def __enter__(self) -> Probe:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "exchange_speed:probe",
                "--bind",
                f"127.0.0.1:{PROBE_PORT}",
                "--workers",
                str(self.setting.workers),
                "--threads",
                str(self.setting.threads),
                "--worker-class",
                "gthread",
                "--log-level",
                "warning",
            ],
            cwd=Path(__file__).resolve().parent,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url, timeout=2):
                return self
            time.sleep(0.2)
        raise RuntimeError("the bare probe did not answer within 30 s")

    def ticks(self) -> int:
        assert self.process is not None
        return _tree_ticks(self.process.pid)

    def __exit__(self, *_exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs of one request kind together: rate over all, the median run's latencies."""
    ok = sum(r["ok"] for r in runs)
    wall = sum(r["duration_us"] for r in runs) / 1e6
    by_p95 = sorted(runs, key=lambda r: r["latency_ms"]["p95"])
    median = by_p95[len(by_p95) // 2]
    cpu = sum(r["gunicorn_cpu_cores"] * r["wall_s"] for r in runs)
    pg = sum(r["postgres_cpu_cores"] * r["wall_s"] for r in runs)
    return {
        "rate": ok / wall,
        "requests": ok,
        "latency_ms": median["latency_ms"],
        "p95_each_ms": [r["latency_ms"]["p95"] for r in runs],
        "rate_each": [r["rate"] for r in runs],
        "server_cpu_ms": 1000 * cpu / ok,
        "postgres_cpu_ms": 1000 * pg / ok,
        "wrk_cpu_cores": sum(r["wrk_cpu_cores"] for r in runs) / len(runs),
        "other_cores": sum(r["other_cores"] for r in runs) / len(runs),
    }


def run(target: Target, options: argparse.Namespace) -> dict[str, Any]:
    setting = Setting(options.workers, options.threads, not options.no_integrator)
    subjects = subjects_write(target)
    scripts = {
        "query": query_script(target, subjects),
        "health": lua_write(
            target.var_dir / "wrk-health.lua", lines=subjects, method="GET", headers={}
        ),
    }
    scripts["probe"] = scripts["health"]
    entries_before, _ = log_counts(target)
    runs: dict[str, list[dict[str, Any]]] = {"probe": [], "health": [], "query": []}
    with Probe(setting) as bare, Server(target, setting, port=PORT, tag="speed") as server:
        urls = {
            "probe": (bare.url + "/", bare),
            "health": (server.url + "/health", server),
            "query": (server.url + QUERY_PATH, server),
        }
        for round_ in range(options.rounds):
            for what in ("probe", "health", "query"):
                url, process = urls[what]
                common = {"script": scripts[what], "connections": options.connections}
                wrk_run(url, seconds=options.warmup, target=target, server=process, **common)  # type: ignore[arg-type]
                figures = wrk_run(
                    url, seconds=options.seconds, target=target, server=process, **common
                )  # type: ignore[arg-type]
                if figures["status_errors"]:
                    raise RuntimeError(f"{what}: {figures['status_errors']} answers were not 2xx")
                runs[what].append(figures)
                lat = figures["latency_ms"]
                say(
                    f"  round {round_ + 1} {what}: {figures['rate']:,.0f}/s, p50/p95/p99 "
                    f"{lat['p50']:.1f}/{lat['p95']:.1f}/{lat['p99']:.1f} ms; cores: server "
                    f"{figures['gunicorn_cpu_cores']:.2f}, PostgreSQL "
                    f"{figures['postgres_cpu_cores']:.2f}, wrk {figures['wrk_cpu_cores']:.2f}, "
                    f"other {figures['other_cores']:.2f}"
                )
    answered = server.answers("/api/exchange/v1/<register>/query").get("200", 0)
    entries_after, _ = log_counts(target)
    summary = {what: _summary(found) for what, found in runs.items()}
    query, health, bare_probe = summary["query"], summary["health"], summary["probe"]
    return {
        "setting": setting.label(),
        "connections": options.connections,
        "seconds": options.seconds,
        "rounds": options.rounds,
        "cache": "redis" if os.environ.get("CIVIC_CACHE_URL") else "local memory",
        "summary": summary,
        "query_to_health": query["rate"] / health["rate"],
        "query_to_probe": query["rate"] / bare_probe["rate"],
        "health_to_probe": health["rate"] / bare_probe["rate"],
        "entries_added": entries_after - entries_before,
        "answered_200": answered,
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="a fresh demo database first")
    parser.add_argument("--database", default="civic_bench_speed")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-integrator", action="store_true")
    parser.add_argument("--label", default="", help="a name for this run in the results file")
    options = parser.parse_args()
    target = Target(
        "postgres",
        "PostgreSQL",
        ROOT / "var" / "bench-speed-postgres",
        f"{POSTGRES_SERVER}/{options.database}",
    )
    if options.prepare:
        say(f"preparing {options.database}: {demo_prepare(target)}")
    figures = run(target, options)
    figures["label"] = options.label
    s = figures["summary"]
    for what in ("probe", "health", "query"):
        lat = s[what]["latency_ms"]
        say(
            f"{what}: {s[what]['rate']:,.0f}/s, p50/p95/p99 {lat['p50']:.1f}/{lat['p95']:.1f}/"
            f"{lat['p99']:.1f} ms, server CPU {s[what]['server_cpu_ms']:.2f} ms/request, "
            f"PostgreSQL {s[what]['postgres_cpu_ms']:.2f} ms/request"
        )
    say(
        f"query/health {figures['query_to_health']:.0%}, query/probe "
        f"{figures['query_to_probe']:.0%}, health/probe {figures['health_to_probe']:.0%}; "
        f"log entries added {figures['entries_added']} for {figures['answered_200']} answers"
    )
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*previous, figures], indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()

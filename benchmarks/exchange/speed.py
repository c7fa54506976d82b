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

A section of the benchmarks (``python -m benchmarks --section exchange_speed``; sizes in
benchmarks/harness/registry.py): a fresh demo installation per database (the harness's
builder; the database ``civic_bench_speed``, files under var/bench-speed-*), one measurement,
appended to benchmarks/results/exchange_speed.json, and the latest run of each database
written between the ``exchange_speed`` markers of docs/benchmarks.md (speed_report.py; the
history and what changed around it are prose). Alone, on a database already prepared:

    .venv/bin/python -m benchmarks.exchange.speed --prepare      # once: a fresh demo database
    .venv/bin/python -m benchmarks.exchange.speed --workers 4 --threads 2 --connections 8

CIVIC_CACHE_URL is passed on (production's Redis) when set.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.exchange import speed_report
from benchmarks.exchange.common import demo_prepare, log_counts, say
from benchmarks.exchange.load import QUERY_PATH, query_script, subjects_write
from benchmarks.exchange.server import Server, Setting, lua_write, tree_ticks, wrk_run
from benchmarks.harness import context
from benchmarks.harness.targets import POSTGRES_SERVER, ROOT, Target, speed_targets

PORT, PROBE_PORT = 8170, 8171


def probe(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The bare probe: a WSGI application that does nothing (gunicorn imports it by name)."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


class Probe:
    """A bare gunicorn serving ``probe`` with the same workers and threads as civic serve."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.process: subprocess.Popen[bytes] | None = None
        self.port = context.current().port(PROBE_PORT)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Probe:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "benchmarks.exchange.speed:probe",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.setting.workers),
                "--threads",
                str(self.setting.threads),
                "--worker-class",
                "gthread",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
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
        return tree_ticks(self.process.pid)

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


def measure(target: Target, options: argparse.Namespace) -> dict[str, Any]:
    """One measurement on ``target`` (its demo in place); the figures of the results file."""
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
    port = context.current().port(PORT)
    with Probe(setting) as bare, Server(target, setting, port=port, tag="speed") as server:
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
        "database": target.key,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "smoke": context.current().smoke,
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


#: The options of a measurement, full size (the registry's sizes override them).
DEFAULTS = {
    "workers": 4,
    "threads": 2,
    "connections": 8,
    "seconds": 15,
    "warmup": 3,
    "rounds": 2,
    "residents": 50_000,
}


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The exchange_speed section: per database, a fresh demo of ``sizes["residents"]`` and
    one measurement at ``sizes``' workers, threads, connections, seconds, warm-up and
    rounds; returns the databases that failed."""
    chosen = {**DEFAULTS, **sizes}
    measured = argparse.Namespace(**chosen, no_integrator=False)
    failed: list[str] = []
    for target in speed_targets(options.only):
        try:
            say(f"{target.label}: a fresh demo jurisdiction …")
            say("  " + str(demo_prepare(target, residents=chosen["residents"])))
            figures = measure(target, measured)
            figures["label"] = "make bench" if not context.current().smoke else "smoke"
            _log(figures)
            speed_report.results_append(figures)
        except Exception as error:  # report it, go on with the other database
            say(f"{target.label}: FAILED: {error}")
            failed.append(target.label)
    speed_report.doc_write()
    return failed


def _log(figures: dict[str, Any]) -> None:
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
    if figures["entries_added"] < figures["answered_200"]:
        raise RuntimeError("fewer access-log entries than answered queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="a fresh demo database first")
    parser.add_argument("--database", default="civic_bench_speed")
    for name in ("workers", "threads", "connections", "seconds", "warmup", "rounds"):
        parser.add_argument(f"--{name}", type=int, default=DEFAULTS[name])
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
    figures = measure(target, options)
    figures["label"] = options.label
    _log(figures)
    speed_report.results_append(figures)


if __name__ == "__main__":
    main()

"""One measurement of the load benchmark (``run_one``): the Celery worker and ``civic serve``
started at a ``Place``, locust run against them while the CPU time of each process tree and
the machine's load average are sampled, then the checks that nothing was lost or done twice
(``problems``), the same in a full run and in a smoke run."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.harness import django_call as in_django
from benchmarks.harness.meter import Meter
from benchmarks.harness.servers import BIN, ROOT, CeleryWorker, WebServer, say

USERS_FILE = Path(__file__).with_name("locustfile.py")
THREADS = 4
CELERY_CONCURRENCY = 2
THROUGHPUT = 1.0  # tasks a second per user; about 1.5 requests a task in this mix
SPAWN_RATE = 20
LOAD_LIMIT = 1.5
LOAD_WAIT_S = 300
SETTLE_S = 60  # the e-mails and receipts of the last requests, at most


@dataclass(frozen=True)
class Place:
    """Where a load run runs: its var folder (CIVIC_VAR_DIR), PostgreSQL database, port and
    the environment of its Civic processes (with the Celery instance of its own)."""

    var: Path
    database: str
    port: int
    env: dict[str, str] = field(repr=False)
    #: Wait for a quiet machine before each measurement (a full run; a smoke run proves the
    #: benchmark works and measures nothing worth waiting for).
    wait_quiet: bool = True


class Sampler(threading.Thread):
    """Every second: the load average, and the CPU time of each process of each tree."""

    def __init__(self, trees: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.trees = trees  # name -> object with .pid, or a callable giving pids
        self.cpu: dict[str, dict[int, float]] = {name: {} for name in trees}
        self.load: list[float] = []
        self.stop_event = threading.Event()

    def sample(self) -> None:
        self.load.append(os.getloadavg()[0])
        for name, tree in self.trees.items():
            try:
                top = psutil.Process(tree.pid)
                processes = [top, *top.children(recursive=True)]
            except (psutil.NoSuchProcess, AttributeError):
                continue
            for process in processes:
                try:
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                used = times.user + times.system
                self.cpu[name][process.pid] = max(used, self.cpu[name].get(process.pid, 0.0))

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.sample()

    def totals(self, began: dict[str, dict[int, float]]) -> dict[str, float]:
        return {
            name: sum(t - began.get(name, {}).get(pid, 0.0) for pid, t in pids.items())
            for name, pids in self.cpu.items()
        }


def wait_for_quiet(limit: float = LOAD_LIMIT, patience: float = LOAD_WAIT_S) -> dict[str, Any]:
    """Wait (up to ``patience``) until the 1-minute load average is under ``limit``."""
    began = time.monotonic()
    while os.getloadavg()[0] > limit and time.monotonic() - began < patience:
        say(f"  load average {os.getloadavg()[0]:.2f} > {limit}: waiting …")
        time.sleep(20)
    return {"load_before": list(os.getloadavg()), "waited_s": time.monotonic() - began}


def stats_read(prefix: Path) -> dict[str, Any]:
    """Per kind of request: count, failures, p50/p95/p99 (ms), requests a second."""
    kinds: dict[str, Any] = {}
    with open(f"{prefix}_stats.csv", newline="") as file:
        for row in csv.DictReader(file):
            kinds[row["Name"] if row["Name"] != "Aggregated" else "all"] = {
                "method": row["Type"],
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "mean": float(row["Average Response Time"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    failures = []
    with open(f"{prefix}_failures.csv", newline="") as file:
        for row in csv.DictReader(file):
            failures.append(
                {"name": row["Name"], "error": row["Error"][:300], "count": int(row["Occurrences"])}
            )
    return {"kinds": kinds, "failures": failures}


def problems(checks: dict[str, int]) -> list[str]:
    """What the counts after a run show lost or done twice (none: nothing)."""
    found = []
    if not checks["submissions"]:
        found.append("no application was sent, so nothing could be checked")
    if checks["submissions without a case"] or checks["cases for them"] != checks["submissions"]:
        found.append(
            f"{checks['submissions']} submissions, {checks['cases for them']} cases for them "
            f"({checks['submissions without a case']} without one)"
        )
    if checks["receipts in the inbox"] != checks["cases for them"]:
        found.append(
            f"{checks['cases for them']} cases but {checks['receipts in the inbox']} receipts"
        )
    for twice in ("drafts sent twice", "receipts twice"):
        if checks[twice]:
            found.append(f"{twice}: {checks[twice]}")
    if checks["e-mails sent"] != checks["e-mail deliveries"]:
        found.append(f"{checks['e-mail deliveries'] - checks['e-mails sent']} e-mails not sent")
    return found


def _settled(env: dict[str, str], since: dt.datetime) -> dict[str, int]:
    """The counts once the receipts and e-mails of the last requests are in (or ``SETTLE_S``
    passed: what is missing then is reported as missing)."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        checks = in_django.ask(env, "counts", {"since": since.isoformat()})
        if not problems(checks) or time.monotonic() > deadline:
            return checks
        time.sleep(2)


def run_one(
    place: Place, *, workers: int, users: int, seconds: int, files: dict[str, str]
) -> dict[str, Any]:
    """One measurement with ``workers`` web processes."""
    env, logs = place.env, place.var / "logs"
    if place.wait_quiet:
        quiet = wait_for_quiet()
    else:
        quiet = {"load_before": list(os.getloadavg()), "waited_s": 0.0}
    shutil.rmtree(place.var / "outbox", ignore_errors=True)  # the login codes of this run only
    celery = CeleryWorker(
        env=env,
        name=env.get("CIVIC_INSTANCE", "load"),
        concurrency=CELERY_CONCURRENCY,
        log=logs / "celery.log",
    )
    web = WebServer(
        env=env, port=place.port, workers=workers, threads=THREADS, log=logs / "web.log"
    )
    celery.start()
    web.start()
    try:
        web.wait_ready()
        for path in ("/", "/services/", "/services/parking-permit/", "/staff/login/"):
            for _ in range(2 * workers):  # every worker loads its templates before the clock
                subprocess.run(["curl", "-s", "-o", "/dev/null", web.base + path], check=False)
        prefix = place.var / f"locust-{workers}"
        spawn_s = users / SPAWN_RATE
        argv = [str(BIN / "locust"), "-f", str(USERS_FILE), "--headless", "--host", web.base]
        argv += ["-u", str(users), "-r", str(SPAWN_RATE), "-t", f"{int(spawn_s + seconds)}s"]
        argv += ["--reset-stats", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
        since = dt.datetime.now(dt.UTC)
        locust = subprocess.Popen(
            argv,
            env={**env, **files},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "locust.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        sampler = Sampler({"locust": locust, "web": web, "celery": celery})
        sampler.sample()
        began = {name: dict(pids) for name, pids in sampler.cpu.items()}
        sampler.start()
        time.sleep(spawn_s)  # the machine's figures from the end of the ramp on
        sampler.sample()
        steady = {name: dict(pids) for name, pids in sampler.cpu.items()}
        with Meter(postgres_database=place.database) as meter:
            locust.wait(timeout=spawn_s + seconds + 120)
            sampler.sample()
        sampler.stop_event.set()
        cpu_steady = sampler.totals(steady)
        usage = meter.usage
        assert usage is not None
        figures = stats_read(prefix)
        figures.update(
            workers=workers,
            threads=THREADS,
            users=users,
            seconds=seconds,
            offered_rps=users * THROUGHPUT,
            cpu_s=cpu_steady,
            cpu_s_with_ramp=sampler.totals(began),
            postgres_cpu_s=usage.server_cpu_s,
            wall_s=usage.wall_s,
            busy_cores=usage.busy_cores,
            steal_cores=usage.steal_cores,
            load_during=[min(sampler.load), max(sampler.load)],
            load_after=list(os.getloadavg()),
            **quiet,
        )
        figures["checks"] = _settled(env, since)
        figures["problems"] = problems(figures["checks"])
        return figures
    finally:
        web.stop()
        celery.stop()

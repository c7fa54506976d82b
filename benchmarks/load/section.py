"""The load benchmark: a realistic mix of residents, caseworkers and partners against the real
server, with 1, 2 and 4 web processes. ``benchmarks/load.py [--processes 1 2 4] [--seconds S]
[--users N] [--smoke]``, or ``benchmarks/run.py --section load``.

On the shared PostgreSQL with the kept 50,000-resident demo (``servers.load_database_ensure``),
Celery on the machine's RabbitMQ under a queue of its own (CIVIC_INSTANCE=load): ``civic serve``
with N gunicorn workers × 4 threads and one Celery worker (2 processes) handling the e-mail,
events and proactive work the requests cause. locust (``load_users.py``) runs headless on the
same two-core machine: its CPU time, the server's, the worker's and PostgreSQL's are sampled
through each run, with the machine's load average before and during it (other engineers share
the machine: a run waits while the load average is above LOAD_LIMIT). Figures per kind of
request from locust's CSV after its ramp (``--reset-stats``); afterwards every submission must
have its case and receipt, none twice. Writes benchmarks/results/load.json and the "load"
section of docs/benchmarks.md (load_report.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.harness import context, report
from benchmarks.harness import django_call as in_django
from benchmarks.harness.build import demo_build
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.meter import Meter
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.servers import (
    BIN,
    LOAD_DATABASE,
    LOAD_VAR,
    ROOT,
    SHARED_BROKER,
    CeleryWorker,
    WebServer,
    civic_env,
    load_database_ensure,
    say,
)
from benchmarks.harness.targets import Target

USERS_FILE = Path(__file__).with_name("locustfile.py")
PORT = 8130
THREADS = 4
CELERY_CONCURRENCY = 2
USERS = 200
THROUGHPUT = 1.0  # tasks a second per user; about 1.5 requests a task in this mix
SPAWN_RATE = 20
SECONDS = 60
LOAD_LIMIT = 1.5
LOAD_WAIT_S = 300
# The load's own caseworkers in its own kept demo database, like the demo's known passwords.
STAFF_PASSWORD = "load-caseworker-2026"  # noqa: S105
STAFF_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (their second factor's seed)


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


def run_one(
    *, workers: int, users: int, seconds: int, env: dict[str, str], files: dict[str, str]
) -> dict[str, Any]:
    """One measurement with ``workers`` web processes."""
    logs = LOAD_VAR / "logs"
    quiet = wait_for_quiet()
    shutil.rmtree(LOAD_VAR / "outbox", ignore_errors=True)  # the login codes of this run only
    celery = CeleryWorker(
        env=env, name="load", concurrency=CELERY_CONCURRENCY, log=logs / "celery.log"
    )
    web = WebServer(env=env, port=PORT, workers=workers, threads=THREADS, log=logs / "web.log")
    celery.start()
    web.start()
    try:
        web.wait_ready()
        for path in ("/", "/services/", "/services/parking-permit/", "/staff/login/"):
            for _ in range(2 * workers):  # every worker loads its templates before the clock
                subprocess.run(["curl", "-s", "-o", "/dev/null", web.base + path], check=False)
        prefix = LOAD_VAR / f"locust-{workers}"
        spawn_s = users / SPAWN_RATE
        argv = [
            str(BIN / "locust"),
            "-f",
            str(USERS_FILE),
            "--headless",
            "--host",
            web.base,
            "-u",
            str(users),
            "-r",
            str(SPAWN_RATE),
            "-t",
            f"{int(spawn_s + seconds)}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
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
        with Meter(postgres_database=LOAD_DATABASE) as meter:
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
        time.sleep(5)  # the e-mails and events of the last requests
        figures["checks"] = in_django.ask(env, "counts", {"since": since.isoformat()})
        return figures
    finally:
        web.stop()
        celery.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--smoke", action="store_true", help="a short run, 1 process, no report")
    parser.add_argument(
        "--profile-only", action="store_true", help="only where a request's time goes"
    )
    options = parser.parse_args(argv)
    if options.smoke:
        options.processes, options.seconds, options.users = [1], 25, 40
    url = load_database_ensure()
    env = civic_env(
        var_dir=LOAD_VAR,
        database_url=url,
        broker_url=SHARED_BROKER,
        CIVIC_INSTANCE="load",
        CIVIC_TRUSTED_PROXIES="127.0.0.1",  # locust stands in for the reverse proxy
    )
    people = in_django.ask(env, "residents", {"adults": 20_000, "subjects": 5_000})
    staff = in_django.ask(
        env, "caseworkers", {"count": 60, "password": STAFF_PASSWORD, "secret": STAFF_SECRET}
    )
    (LOAD_VAR / "caseworkers.txt").write_text("\n".join(staff) + "\n")
    (LOAD_VAR / "residents.txt").write_text("\n".join(people["adults"]) + "\n")
    (LOAD_VAR / "subjects.txt").write_text("\n".join(people["subjects"]) + "\n")
    files = {
        "LOAD_RESIDENTS": str(LOAD_VAR / "residents.txt"),
        "LOAD_SUBJECTS": str(LOAD_VAR / "subjects.txt"),
        "LOAD_OUTBOX": str(LOAD_VAR / "outbox"),
        "LOAD_SECRET_KEY": (LOAD_VAR / "keys" / "secret-key").read_text().strip(),
        "LOAD_PARTNER": (LOAD_VAR / "demo-partner.json").read_text(),
        "LOAD_THROUGHPUT": str(THROUGHPUT),
        "LOAD_CASEWORKERS": str(LOAD_VAR / "caseworkers.txt"),
        "LOAD_STAFF_PASSWORD": STAFF_PASSWORD,
        "LOAD_STAFF_SECRET": STAFF_SECRET,
    }
    results: dict[str, Any] = report.results_load("load")
    results.setdefault("runs", {})
    if not options.smoke:
        say("load: where a request's time goes (one process, no load) …")
        results["profile"] = in_django.ask(
            env,
            "profile",
            {
                "resident": people["adults"][0],
                "subject": people["subjects"][0],
                "partner": str(LOAD_VAR / "demo-partner.json"),
                "profile": ["service page", "my page: dashboard"],
            },
            module="benchmarks.load.profile",
        )
        say(f"  {results['profile']['kinds']}")
    if options.profile_only:
        report.results_save("load", results, indent=1, sort_keys=True)
        from benchmarks.load import report as load_report

        load_report.write(results)
        return 0
    results["machine"] = machine_describe(postgres_url=url)
    for workers in options.processes:
        say(f"load: {workers} web process(es), {options.users} users, {options.seconds} s …")
        figures = run_one(
            workers=workers, users=options.users, seconds=options.seconds, env=env, files=files
        )
        every = figures["kinds"]["all"]
        say(
            f"  {every['rps']:.0f} req/s, p50 {every['p50']:.0f} / p95 {every['p95']:.0f} / "
            f"p99 {every['p99']:.0f} ms, {every['failures']} failures of {every['count']}; "
            f"CPU s: {', '.join(f'{k} {v:.0f}' for k, v in figures['cpu_s'].items())}, "
            f"PostgreSQL {figures['postgres_cpu_s'] or 0:.0f}; load {figures['load_during']}"
        )
        say(f"  checks: {figures['checks']}")
        if not options.smoke:
            # A run at another number of users is kept beside the default one.
            key = str(workers) if options.users == USERS else f"{workers}, {options.users} users"
            results["runs"][key] = figures
    if options.smoke:
        return 0
    results["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report.results_save("load", results, indent=1, sort_keys=True)
    from benchmarks.load import report as load_report

    load_report.write(results)
    return 0


def smoke_build() -> dict[str, Any]:
    """What a smoke run can do of the load benchmark: build its data (the demo at a tiny size
    on a database of the run's own) and ask the questions the locust users start from."""
    run = context.current()
    database = run.database(LOAD_DATABASE)
    target = Target("postgres", "PostgreSQL", run.var_dir("bench-load"), "")
    url = f"{POSTGRES_SERVER}/{database}"
    target = Target("postgres", "PostgreSQL", target.var_dir, url)
    env = civic_env(var_dir=target.var_dir, database_url=url, broker_url=SHARED_BROKER)
    env["CIVIC_PROACTIVE_RUNNER"] = "inline"
    demo_build(target, residents=300, env=env)
    people = in_django.ask(env, "residents", {"adults": 5, "subjects": 5})
    staff = in_django.ask(
        env, "caseworkers", {"count": 2, "password": STAFF_PASSWORD, "secret": STAFF_SECRET}
    )
    return {"adults": len(people["adults"]), "caseworkers": len(staff)}


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The load section (PostgreSQL). In a smoke run: the data only (see ``smoke_build``)."""
    if sizes["skip"]:
        say(f"load: built {smoke_build()}; the locust run is skipped: {sizes['skip']}")
        return []
    argv = ["--processes", *map(str, sizes["processes"])]
    argv += ["--seconds", str(sizes["seconds"]), "--users", str(sizes["users"])]
    return ["load"] if main(argv) else []


if __name__ == "__main__":
    sys.exit(main())

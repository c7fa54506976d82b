"""Fault tests: what residents see and what is kept when a part of production fails mid-work.
``python -m benchmarks --section faults`` (or ``python -m benchmarks.faults.section [--only
worker restarts disk web]``).

A full run (as root) runs everything against PRIVATE servers started here (servers.py): a
PostgreSQL cluster on 55432 and a RabbitMQ node on 55672, in var/bench-faults, so that stopping
them disturbs nobody else on the machine; Civic as production runs it (``civic serve``, Celery
workers and beat on RabbitMQ, e-mail, events and proactive runs through Celery) on a
3,000-resident demo.

1. worker: a Celery worker SIGKILLed during a proactive run (a chunk in hand, e-mails queued),
   then a new one started: every chunk done once, every offer made again (as many as before),
   one inbox message and one e-mail per resident;
2. restarts: RabbitMQ, then PostgreSQL, restarted while residents send applications and a
   register feed moves residents (its events go to a partner's webhook): the errors residents
   saw and for how long; afterwards every accepted submission has its case, receipt and
   e-mail, every accepted event its delivery, and nothing is there twice;
3. disk: the media folder on a 5 MB tmpfs, filled up: an upload is refused with a clear page
   and nothing is half stored; a submission while the disk is full;
4. web: the gunicorn worker, then the whole server, SIGKILLed while applications are being
   sent: each application is either complete or absent, and sending again gives one case.

Writes benchmarks/results/faults.json and the "faults" section of docs/benchmarks.md.

A smoke run (``--smoke``; no root needed) runs faults 1 and 4 with the same checks, small, on
the machine's shared servers (smoke.py: a copy of the smoke run's demo, a Celery instance of
the run's own, free ports); 2 and 3 say why they do not run there. The section passes when
what ran passed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.faults import disk as faults_disk
from benchmarks.faults import report as faults_report
from benchmarks.faults import restarts as faults_restarts
from benchmarks.faults import scenarios
from benchmarks.harness import context, report
from benchmarks.harness import django_call as in_django
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.servers import (
    CIVIC,
    ROOT,
    PrivatePostgres,
    PrivateRabbit,
    civic_env,
    say,
)

VAR = ROOT / "var" / "bench-faults"
RESIDENTS = 3_000


def stage_env(var: Path, database_url: str, broker_url: str, instance: str) -> dict[str, str]:
    """Every Civic process's environment on a stage: production's background work, small
    proactive chunks and quick retries (so a fault's aftermath settles within the run)."""
    return civic_env(
        var_dir=var,
        database_url=database_url,
        broker_url=broker_url,
        CIVIC_INSTANCE=instance,
        CIVIC_PROACTIVE_CHUNK_SIZE="150",
        CIVIC_NOTIFY_RETRY_SECONDS="5",
        CIVIC_WEBHOOK_RETRY_SCHEDULE="2,5,10,20,60",
    )


class Stage:
    """The private PostgreSQL and RabbitMQ with a demo jurisdiction, and the environment of
    every Civic process that uses them."""

    web_port = scenarios.WEB_PORT
    hook_port = scenarios.HOOK_PORT
    sizes = scenarios.FULL

    def __init__(self) -> None:
        self.postgres = PrivatePostgres(VAR / "postgres", port=55432)
        self.rabbit = PrivateRabbit(VAR / "rabbitmq", name="loadfaults", port=55672)
        self.env: dict[str, str] = {}

    def __enter__(self) -> Stage:
        import shutil
        import subprocess

        for folder in ("media", "outbox", "logs"):
            shutil.rmtree(VAR / folder, ignore_errors=True)
        say("faults: a private PostgreSQL (55432) and RabbitMQ (55672) …")
        try:
            self.postgres.init()
            self.postgres.start()
            self.postgres.create_database("faults")
            self.rabbit.init()
            self.rabbit.start()
        except BaseException:
            self.__exit__()
            raise
        self.env = stage_env(VAR, self.postgres.url("faults"), self.rabbit.url, "faults")
        say(f"faults: the {RESIDENTS:,}-resident demo …")
        subprocess.run(
            [str(CIVIC), "demo", "--no-serve", "--residents", str(RESIDENTS)],
            env={**self.env, "CIVIC_PROACTIVE_RUNNER": "inline", "CIVIC_NOTIFY_DELIVERY": "off"},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.rabbit.remove()
        self.postgres.remove()

    def ask(self, function: str, spec: Any = None) -> Any:
        return in_django.ask(self.env, function, spec, module="benchmarks.faults.django_side")


FAULTS = {
    "worker": scenarios.worker_killed,
    "restarts": faults_restarts.broker_and_database_restarted,
    "disk": faults_disk.media_disk_full,
    "web": scenarios.web_server_killed,
}


def faults_run(stage: Any, names: list[str], not_run: dict[str, str]) -> list[str]:
    """Each fault of ``names`` against ``stage``, and for each of ``not_run`` why it did not
    run; the outcomes are saved (results/faults.json and the page: in a smoke run, the run's
    scratch copies). Returns the faults that did not pass."""
    results: dict[str, Any] = report.results_load("faults")
    results.setdefault("faults", {})
    results["machine"] = machine_describe(postgres_url=stage.env["DATABASE_URL"])
    failed = []
    for name in FAULTS:
        if name in not_run:
            say(f"  {name}: not run: {not_run[name]}")
            results["faults"][name] = {"result": "not run", "why": not_run[name]}
            continue
        if name not in names:
            continue
        say(f"faults: {name} …")
        began = time.monotonic()
        try:
            outcome = FAULTS[name](stage)
        except Exception as error:  # report it and go on with the next fault
            outcome = {"result": "failed to run", "error": f"{type(error).__name__}: {error}"}
        outcome["took_s"] = time.monotonic() - began
        outcome["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        outcome["load_average"] = list(os.getloadavg())
        results["faults"][name] = outcome
        say(f"  {name}: {outcome.get('result')} ({outcome['took_s']:.0f} s)")
        if outcome.get("result") != "passed":
            failed.append(name)
        report.results_save("faults", results, indent=1, sort_keys=True)
    faults_report.write(results)
    return failed


def main(argv: list[str] | None = None) -> int:
    """The full run (as root; see above)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(FAULTS), default=list(FAULTS))
    options = parser.parse_args(argv)
    if os.geteuid() != 0:
        say("faults: needs root (a private PostgreSQL and RabbitMQ run as their users; tmpfs)")
        return 1
    with Stage() as stage:
        failed = faults_run(stage, options.only, {})
    return 1 if failed else 0


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The fault section. A full run needs root (a private PostgreSQL and RabbitMQ run as
    their users, a tmpfs for the full disk); without it, it says why and skips. A smoke run
    runs what it can on the shared servers (smoke.py)."""
    if context.current().smoke:
        from benchmarks.faults import smoke

        return smoke.run(sizes)
    if os.geteuid() != 0:
        say("faults: SKIPPED: needs root (a private PostgreSQL and RabbitMQ; tmpfs)")
        return []
    return ["faults"] if main([]) else []


if __name__ == "__main__":
    sys.exit(main())

"""The load benchmark: a realistic mix of residents, caseworkers and partners against the real
server, with 1, 2 and 4 web processes. ``python -m benchmarks --section load`` (or
``python -m benchmarks.load.section [--processes 1 2 4] [--seconds S] [--users N]``).

A full run: on the shared PostgreSQL with the kept 50,000-resident demo
(``servers.load_database_ensure``), Celery on the machine's RabbitMQ under a queue of its own
(CIVIC_INSTANCE=load): ``civic serve`` on port 8130 with N gunicorn workers × 4 threads and one
Celery worker (2 processes) handling the e-mail, events and proactive work the requests cause.
locust (``locustfile.py``) runs headless on the same two-core machine: its CPU time, the
server's, the worker's and PostgreSQL's are sampled through each run, with the machine's load
average before and during it (other engineers share the machine: a run waits while the load
average is above LOAD_LIMIT). Figures per kind of request from locust's CSV after its ramp
(``--reset-stats``); afterwards every submission must have its case and receipt, none twice
(``measure.problems``: a run that finds otherwise fails). Writes benchmarks/results/load.json
and the "load" section of docs/benchmarks.md (report.py).

A smoke run (``--smoke``) runs the same measurement and the same checks, small: on a copy of
the smoke run's shared 300-resident demo (harness/build.py) instead of the kept database, a
Celery instance named after the run's process (``load_smoke_PID``, its queues deleted
afterwards), a free port, no waiting for a quiet machine, one web process, a few users for a
few seconds, each resident sending one application first (so there is something to check).
It writes no figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness import django_call as in_django
from benchmarks.harness.broker import SHARED_BROKER, own_instance
from benchmarks.harness.build import SMOKE_RESIDENTS, demo_build
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.servers import (
    LOAD_DATABASE,
    LOAD_VAR,
    civic_env,
    load_database_ensure,
    say,
)
from benchmarks.harness.targets import Target
from benchmarks.load.measure import THROUGHPUT, Place, run_one

PORT = 8130
USERS = 200
SECONDS = 60
# The load's own caseworkers in its own kept demo database, like the demo's known passwords.
STAFF_PASSWORD = "load-caseworker-2026"  # noqa: S105
STAFF_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (their second factor's seed)
#: Who the locust users are, in a full run and in a smoke run.
PEOPLE = {"adults": 20_000, "subjects": 5_000, "caseworkers": 60}
SMOKE_PEOPLE = {"adults": 20, "subjects": 20, "caseworkers": 4}


def place_env(var: Any, url: str, instance: str) -> dict[str, str]:
    return civic_env(
        var_dir=var,
        database_url=url,
        broker_url=SHARED_BROKER,
        CIVIC_INSTANCE=instance,
        CIVIC_TRUSTED_PROXIES="127.0.0.1",  # locust stands in for the reverse proxy
    )


def people_ready(place: Place, people: dict[str, int]) -> tuple[dict[str, Any], dict[str, str]]:
    """The residents, partner subjects and caseworkers the locust users are, in files of the
    place's var folder; returns them and the environment locust reads them from."""
    var, env = place.var, place.env
    found = in_django.ask(
        env, "residents", {"adults": people["adults"], "subjects": people["subjects"]}
    )
    staff = in_django.ask(
        env,
        "caseworkers",
        {"count": people["caseworkers"], "password": STAFF_PASSWORD, "secret": STAFF_SECRET},
    )
    (var / "caseworkers.txt").write_text("\n".join(staff) + "\n")
    (var / "residents.txt").write_text("\n".join(found["adults"]) + "\n")
    (var / "subjects.txt").write_text("\n".join(found["subjects"]) + "\n")
    files = {
        "LOAD_RESIDENTS": str(var / "residents.txt"),
        "LOAD_SUBJECTS": str(var / "subjects.txt"),
        "LOAD_OUTBOX": str(var / "outbox"),
        "LOAD_SECRET_KEY": (var / "keys" / "secret-key").read_text().strip(),
        "LOAD_PARTNER": (var / "demo-partner.json").read_text(),
        "LOAD_THROUGHPUT": str(THROUGHPUT),
        "LOAD_CASEWORKERS": str(var / "caseworkers.txt"),
        "LOAD_STAFF_PASSWORD": STAFF_PASSWORD,
        "LOAD_STAFF_SECRET": STAFF_SECRET,
    }
    return found, files


def measured(
    place: Place, files: dict[str, str], *, processes: list[int], users: int, seconds: int
) -> dict[int, dict[str, Any]]:
    """One locust run per number of web processes, each checked afterwards."""
    runs = {}
    for workers in processes:
        say(f"load: {workers} web process(es), {users} users, {seconds} s …")
        figures = run_one(place, workers=workers, users=users, seconds=seconds, files=files)
        every = figures["kinds"]["all"]
        say(
            f"  {every['rps']:.0f} req/s, p50 {every['p50']:.0f} / p95 {every['p95']:.0f} / "
            f"p99 {every['p99']:.0f} ms, {every['failures']} failures of {every['count']}; "
            f"CPU s: {', '.join(f'{k} {v:.0f}' for k, v in figures['cpu_s'].items())}, "
            f"PostgreSQL {figures['postgres_cpu_s'] or 0:.0f}; load {figures['load_during']}"
        )
        say(f"  checks: {figures['checks']}")
        for problem in figures["problems"]:
            say(f"  FAILED: {problem}")
        runs[workers] = figures
    return runs


def main(argv: list[str] | None = None) -> int:
    """The full run (see above); 1 when a check after a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument(
        "--profile-only", action="store_true", help="only where a request's time goes"
    )
    options = parser.parse_args(argv)
    url = load_database_ensure()
    place = Place(LOAD_VAR, LOAD_DATABASE, PORT, place_env(LOAD_VAR, url, "load"))
    people, files = people_ready(place, PEOPLE)
    results: dict[str, Any] = report.results_load("load")
    results.setdefault("runs", {})
    say("load: where a request's time goes (one process, no load) …")
    results["profile"] = in_django.ask(
        place.env,
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
    failed = False
    if not options.profile_only:
        results["machine"] = machine_describe(postgres_url=url)
        runs = measured(
            place, files, processes=options.processes, users=options.users, seconds=options.seconds
        )
        for workers, figures in runs.items():
            # A run at another number of users is kept beside the default one.
            key = str(workers) if options.users == USERS else f"{workers}, {options.users} users"
            results["runs"][key] = figures
            failed = failed or bool(figures["problems"])
        results["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report.results_save("load", results, indent=1, sort_keys=True)
    from benchmarks.load import report as load_report

    load_report.write(results)
    return 1 if failed else 0


def smoke(sizes: dict[str, Any]) -> list[str]:
    """The smoke run (see above): what failed, each problem a line."""
    run = context.current()
    database = run.database(LOAD_DATABASE)
    var = run.var_dir("bench-load")
    target = Target("postgres", "PostgreSQL", var, f"{POSTGRES_SERVER}/{database}")
    with own_instance("load") as instance:
        env = place_env(var, target.database_url, instance)
        demo_build(
            target, residents=SMOKE_RESIDENTS, env={**env, "CIVIC_PROACTIVE_RUNNER": "inline"}
        )
        place = Place(var, database, run.port(PORT), env, wait_quiet=False)
        _people, files = people_ready(place, SMOKE_PEOPLE)
        files["LOAD_APPLY_FIRST"] = "1"
        runs = measured(
            place,
            files,
            processes=list(sizes["processes"]),
            users=sizes["users"],
            seconds=sizes["seconds"],
        )
    return [f"load ({workers}): {p}" for workers, f in runs.items() for p in f["problems"]]


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The load section (PostgreSQL): the full run, or in a smoke run ``smoke``."""
    if context.current().smoke:
        return smoke(sizes)
    argv = ["--processes", *map(str, sizes["processes"])]
    argv += ["--seconds", str(sizes["seconds"]), "--users", str(sizes["users"])]
    return ["load"] if main(argv) else []


if __name__ == "__main__":
    sys.exit(main())

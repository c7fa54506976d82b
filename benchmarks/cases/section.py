"""Case benchmarks (issue 5): pre-filled forms, the caseworker queue, a resident's cases, submissions.

``benchmarks/cases.py [--only sqlite|postgres] [--requests N] [--seconds S] [--drafts N]``, or
``benchmarks/run.py --section cases [--only sqlite|postgres]``.

Against the 50,000-resident demo jurisdiction on SQLite and PostgreSQL, served by gunicorn with
production settings (DEBUG off, 2 workers × 4 threads), from request to last byte on loopback:

1. the pre-filled form: the fresh start of the special assistance application (a new draft;
   the persons, addresses and income registers read through the exchange and each read logged;
   every sample is another resident with their own session) and its "about you" step;
2. the caseworker queue of agency Havenstad with 100,000 open cases (and 20,000 closed ones)
   put in with ``bulk_create``: default sort, "mine" by age, a deep page of one state, the
   overdue ones, and the backlog figures as JSON;
3. one resident with 1,000 cases: their case list and their dashboard;
4. parking permit applications sent from 2 and from 4 client threads, each its own resident
   with a draft ready to send, for ``--seconds`` or until the drafts run out.

Pages are timed one request at a time (20 warm-up requests, then ``--requests``), so the time
is the server's. Next to each page, the queries it makes and their time, counted in a shell
with Django's test client. Writes the "cases" section of docs/benchmarks.md and
benchmarks/results/cases.json. The setup runs in ``civic shell`` subprocesses that call the
``django_*`` functions of this file.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build
from benchmarks.harness.code_state import CodeState
from benchmarks.harness.django_call import ask
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER
from benchmarks.harness.report import LABELS
from benchmarks.harness.targets import UNLIMITED, Target

PORT = 8120
_port = PORT  # the run's (a free one in a smoke run)
DATABASE = "civic_bench_cases"
WARMUP = 20
WARMUP_BUDGET_S = 15
SAMPLE_BUDGET_S = 90
MIN_SAMPLES = 50
OPEN_CASES = 100_000
CLOSED_CASES = 20_000
RESIDENT_CASES = 1_000
SUBMISSION_THREADS = (2, 4)
#: Parking permit answers, as tests/cases/builders.py fills them in.
PARKING_ANSWERS = {
    "about_you": {},
    "car": {"licence_plate": "AB-123-C", "car_use": "own", "start_date": "2027-01-01"},
    "permit": {"permit_kind": "resident"},
}

#: name -> (group, path, who, expected status, goal p95 in ms or None)
PAGES: dict[str, tuple[str, str, str, int, float | None]] = {
    "start (new draft, registers read)": (
        "prefill",
        "/my/apply/special-assistance/",
        "fresh",
        302,
        100.0,
    ),
    "step “about you” (prefilled values)": (
        "prefill",
        "/my/apply/special-assistance/about_you/",
        "demo",
        200,
        100.0,
    ),
    "queue, by deadline": ("queue", "/staff/cases/", "caseworker", 200, 200.0),
    "queue, mine, newest first": (
        "queue",
        "/staff/cases/?assigned=me&sort=-age",
        "caseworker",
        200,
        200.0,
    ),
    "queue, in review, page 50": (
        "queue",
        "/staff/cases/?state=in_review&page=50",
        "caseworker",
        200,
        200.0,
    ),
    "queue, overdue": ("queue", "/staff/cases/?overdue=1", "caseworker", 200, 200.0),
    "backlog as JSON": ("queue", "/staff/cases/backlog/?format=json", "caseworker", 200, None),
    "my cases (1,000 cases)": ("resident", "/my/cases/", "heavy", 200, 100.0),
    "dashboard (1,000 cases)": ("resident", "/my/", "heavy", 200, 100.0),
}
GROUPS = {
    "prefill": "Pre-filled form (special assistance), demo resident; the start is another resident each time",
    "queue": f"Caseworker queue, agency Havenstad, {OPEN_CASES:,} open and {CLOSED_CASES:,} closed cases",
    "resident": f"One resident with {RESIDENT_CASES:,} cases",
}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- in Django (run by ``civic shell`` in the benchmark's environment) ---------------------------


# --- driving the benchmark ---------------------------------------------------------------------


def _target(key: str) -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database(DATABASE)}" if key == "postgres" else ""
    return Target(key, LABELS[key], run.var_dir(f"bench-cases-{key}"), url)


def _env(target: Target) -> dict[str, str]:
    return target.env(CIVIC_DEBUG="false", **UNLIMITED)


def _prepare(target: Target, residents: int) -> None:
    _say(f"{target.key}: building the {residents:,}-resident demo …")
    demo_build(target, residents=residents, env=_env(target))


def _in_django(env: dict[str, str], function: str, spec: Any = None) -> Any:
    """Call ``function`` of cases/django_side.py in a ``civic shell``."""
    return ask(env, function, spec, module="benchmarks.cases.django_side")


def _request(
    method: str, path: str, session: str, *, csrf: str = "", timeout: float = 60
) -> tuple[int, str, float]:
    """(status, Location, milliseconds from sending to the last byte), on a new connection."""
    headers = {"Accept-Encoding": "gzip", "Connection": "close", "Cookie": f"sessionid={session}"}
    body = None
    if csrf:
        headers["Cookie"] += f"; csrftoken={csrf}"
        headers["X-CSRFToken"] = csrf
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = f"csrfmiddlewaretoken={csrf}"
    connection = http.client.HTTPConnection("127.0.0.1", _port, timeout=timeout)
    try:
        began = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - began) * 1000
        return response.status, response.getheader("Location") or "", elapsed
    finally:
        connection.close()


def _summary(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, int(0.95 * len(samples)) - 1)],
        "count": len(samples),
    }


def _time_page(path: str, sessions: list[str], expected: int, count: int) -> dict[str, float]:
    """WARMUP then ``count`` GETs of ``path``, the n-th one with ``sessions[n % len]``. A slow
    page stops early: the warm-up after WARMUP_BUDGET_S, the samples after SAMPLE_BUDGET_S (but
    not before MIN_SAMPLES)."""
    samples: list[float] = []
    n = 0
    began = time.perf_counter()
    warm = True
    while len(samples) < count:
        status, location, elapsed = _request("GET", path, sessions[n % len(sessions)])
        n += 1
        if status != expected or "login" in location:
            raise RuntimeError(f"GET {path} answered {status} {location}, not {expected}")
        if warm:
            if n >= WARMUP or time.perf_counter() - began > WARMUP_BUDGET_S:
                warm, began = False, time.perf_counter()
            continue
        samples.append(elapsed)
        if len(samples) >= MIN_SAMPLES and time.perf_counter() - began > SAMPLE_BUDGET_S:
            break
    return _summary(samples)


def _submissions(sessions: list[str], threads: int, seconds: float) -> dict[str, Any]:
    """Send the parking permit check page of each session from ``threads`` threads until
    ``seconds`` have passed or the drafts run out."""
    pool = list(reversed(sessions))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    csrf = secrets.token_hex(16)  # 32 characters, a valid unmasked token
    began = time.perf_counter()
    deadline = began + seconds

    def work() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if not pool:
                    return
                session = pool.pop()
            try:
                status, location, elapsed = _request(
                    "POST", "/my/apply/parking-permit/check/", session, csrf=csrf
                )
            except OSError as error:
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                if status == 302 and "/sent/" in location:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{status} {location}")

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - began
    return {
        "threads": threads,
        "sent": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": wall,
        "per_second": len(latencies) / wall,
        "ran_out_of_drafts": not pool,
        **(_summary(latencies) if latencies else {}),
    }


def measure(
    key: str, requests: int, seconds: float, drafts: int, sizes: dict[str, Any] | None = None
) -> dict[str, Any]:
    sizes = sizes or {}
    target = _target(key)
    _prepare(target, sizes.get("residents", 50_000))
    env = _env(target)
    cases = {
        k: sizes[f"{k}_cases"] for k in ("open", "closed", "resident") if f"{k}_cases" in sizes
    }
    spares = 2  # one fresh start and one draft for the query count afterwards
    warmup_drafts = 10
    _say(
        f"{key}: sessions, {sum(cases.values()) or OPEN_CASES + CLOSED_CASES:,} cases and {drafts:,} drafts …"
    )
    seed = _in_django(
        env,
        "django_seed",
        {
            "fresh": WARMUP + requests + spares,
            "drafts": drafts + warmup_drafts + spares,
            "cases": cases,
        },
    )
    _say(
        "  "
        + ", ".join(f"{k} {v:.0f} s" for k, v in seed["timings"].items())
        + f"; cases: {seed['cases']}"
    )
    fresh, spare_fresh = seed["fresh"][:-spares], seed["fresh"][-spares:]
    submitters, spare_drafts = seed["submitters"][:-spares], seed["submitters"][-spares:]
    who = {k: [seed[k]] for k in ("demo", "heavy", "caseworker")} | {"fresh": fresh}
    server = subprocess.Popen(
        [str(CIVIC), "serve", "--bind", f"127.0.0.1:{_port}"],
        env={**env, "CIVIC_WEB_WORKERS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    pages: dict[str, Any] = {}
    submissions: list[dict[str, Any]] = []
    load_before = os.getloadavg()
    try:
        for _ in range(100):
            try:
                _request("GET", "/health", "")
                break
            except OSError:
                time.sleep(0.3)
        for name, (_group, path, whom, expected, _goal) in PAGES.items():
            pages[name] = {"path": path, **_time_page(path, who[whom], expected, requests)}
            _say(
                f"  {key} {name}: p50 {pages[name]['p50']:.1f} ms, p95 {pages[name]['p95']:.1f} ms"
            )
        warm, rest = submitters[:warmup_drafts], submitters[warmup_drafts:]
        _submissions(warm, 1, seconds)
        share = len(rest) // len(SUBMISSION_THREADS)
        for index, threads in enumerate(SUBMISSION_THREADS):
            run = _submissions(rest[index * share : (index + 1) * share], threads, seconds)
            submissions.append(run)
            _say(
                f"  {key} submissions from {threads} threads: {run['sent']} in "
                f"{run['seconds']:.1f} s = {run['per_second']:.1f}/s, "
                f"p50 {run.get('p50', 0):.0f} ms, p95 {run.get('p95', 0):.0f} ms, "
                f"{run['errors']} errors"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    load_after = os.getloadavg()
    counts = _in_django(env, "django_counts")
    query_pages = []
    for name, (_group, path, whom, _expected, _goal) in PAGES.items():
        query_pages.append([name, path, who[whom][0], "GET"])
    query_pages.append(["submission", "/my/apply/parking-permit/check/", spare_drafts[0], "POST"])
    queries = _in_django(
        env,
        "django_queries",
        {
            "pages": query_pages,
            "spare": {
                "start (new draft, registers read)": spare_fresh[0],
                "submission": spare_drafts[1],
            },
        },
    )
    return {
        "pages": pages,
        "submissions": submissions,
        "submission_counts": counts,
        "queries": queries,
        "cases": seed["cases"],
        "setup_seconds": seed["timings"],
        "load_average": {
            "before": " / ".join(f"{x:.2f}" for x in load_before),
            "after": " / ".join(f"{x:.2f}" for x in load_after),
        },
        "requests": requests,
    }


# --- the page --------------------------------------------------------------------------------


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The cases section (``sizes``: "requests" per page, "seconds" per submission run,
    "drafts"; in a smoke run also "residents" and the cases put in)."""
    global _port
    _port = context.current().port(PORT)
    requests, seconds, drafts = sizes["requests"], sizes["seconds"], sizes["drafts"]
    results = report.results_load("cases")
    model, count = cpu_describe()
    results["machine"] = f"{model}, {count} logical CPUs, Python {platform.python_version()}"
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results.pop("code", None)  # each database's run records its own code
    results["requests"] = requests
    results["seconds"] = seconds
    for key in [options.only] if options.only else ["sqlite", "postgres"]:
        code = CodeState.now()
        results[key] = {"code": code.describe(), **measure(key, requests, seconds, drafts, sizes)}
        changed = code.changes_since()
        if changed:
            _say(f"  src/ changed during the {key} run: {changed}")
            results[key]["code_changed_to"] = changed
    report.results_save("cases", results)
    write_doc(results)
    return []


def write_doc(results: dict[str, Any]) -> None:
    from benchmarks.cases.render import render  # it reads this module's constants

    _say(f"Wrote {report.section_write('cases', render(results))}")

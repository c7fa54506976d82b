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
import json
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.harness.report import section_write

ROOT = Path(__file__).resolve().parent.parent
CIVIC = Path(sys.executable).with_name("civic")
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results" / "cases.json"
PORT = 8120
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


def _session_for(user, backend: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from civic.identity.second_factor.session import session_mark_passed
    from civic.identity.selectors import needs_second_factor, second_factor_get

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = backend
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if needs_second_factor(user=user):
        # As the login's code step leaves it: the demo's staff have a factor (`civic demo`).
        session_mark_passed(session, second_factor_get(user=user))
    session.create()
    return session.session_key


def _resident_session(number: str) -> str:
    from civic.identity.services import resident_account_ensure

    return _session_for(
        resident_account_ensure(personal_number=number),
        "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
    )


def _adult_residents() -> list[str]:
    """Personal numbers of the living adults who live in the jurisdiction today, in order."""
    import datetime as dt

    from civic.core import clock
    from civic.registers.models import PersonRecord, Residence
    from civic.registers.selectors import bitemporal_at

    today = clock.today()
    living_here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    records = bitemporal_at(
        PersonRecord.objects.filter(
            person__in=living_here,
            birth_date__lte=today - dt.timedelta(days=18 * 366),
            date_of_death__isnull=True,
        ),
        valid_at=today,
    )
    return sorted(set(records.values_list("person__personal_number", flat=True)))


def _cases_insert(*, caseworker, heavy: str, numbers: list[str], rng) -> dict[str, int]:
    """OPEN_CASES open and CLOSED_CASES closed cases of Havenstad, opened over the last 120
    days; every 120th one is the heavy resident's (so RESIDENT_CASES of them)."""
    import datetime as dt

    from django.db import transaction

    from civic.cases.models import Case, CaseType
    from civic.core import clock

    types = list(
        CaseType.objects.filter(code__in=["parking-permit", "special-assistance", "dog-tax"])
    )
    agency_id = caseworker.agency_id
    now = clock.now()
    total = OPEN_CASES + CLOSED_CASES
    every_closed = total // CLOSED_CASES
    rows = []
    counts: dict[str, int] = {}
    for index in range(total):
        case_type = types[index % len(types)]
        opened = now - dt.timedelta(seconds=rng.uniform(60, 120 * 86400))
        applicant = heavy if index % (total // RESIDENT_CASES) == 0 else rng.choice(numbers)
        extra: dict[str, Any] = {}
        if index % every_closed == every_closed - 1:
            state = "decided" if rng.random() < 0.9 else "withdrawn"
            extra["closed_at"] = min(now, opened + dt.timedelta(days=rng.uniform(1, 60)))
            extra["assignee_id"] = caseworker.pk
        else:
            state = rng.choices(["received", "in_review", "waiting"], weights=[40, 45, 15])[0]
            if state == "waiting":
                extra["suspended_since"] = opened + (now - opened) * rng.uniform(0.3, 0.9)
            if state != "received" and rng.random() < 0.4:
                extra["assignee_id"] = caseworker.pk
        counts[state] = counts.get(state, 0) + 1
        counts["assigned to the caseworker"] = counts.get("assigned to the caseworker", 0) + (
            "assignee_id" in extra and "closed_at" not in extra
        )
        rows.append(
            Case(
                reference=f"BN-{index:07d}",
                case_type=case_type,
                agency_id=agency_id,
                subject=applicant,
                applicant=applicant,
                state=state,
                opened_at=opened,
                deadline=opened.date() + dt.timedelta(days=case_type.decision_period_days),
                **extra,
            )
        )
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=2000)
    counts["overdue"] = Case.objects.filter(
        agency_id=agency_id,
        closed_at__isnull=True,
        suspended_since__isnull=True,
        deadline__lt=now.date(),
    ).count()
    return counts


def _draft_ready(*, form, number: str) -> None:
    from civic.forms.services import draft_start, draft_step_save

    draft = draft_start(form=form, applicant=number, subject=number)
    for step, answers in PARKING_ANSWERS.items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(answers), confirm_prefill=True)


def django_seed(spec: dict[str, int]) -> dict[str, Any]:
    """Residents' and the caseworker's sessions, the cases, and drafts ready to send."""
    import random

    from django.db import connection

    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start
    from civic.identity.models import User
    from civic.registers.selectors import demo_resident_personal_number

    rng = random.Random(5)
    timings: dict[str, float] = {}
    began = time.perf_counter()
    demo = demo_resident_personal_number()
    numbers = [n for n in _adult_residents() if n != demo]
    rng.shuffle(numbers)
    fresh, rest = numbers[: spec["fresh"]], numbers[spec["fresh"] :]
    submitters, heavy = rest[: spec["drafts"]], rest[spec["drafts"]]
    caseworker = User.objects.get(username="caseworker")
    out: dict[str, Any] = {
        "demo": _resident_session(demo),
        "fresh": [_resident_session(n) for n in fresh],
        "heavy": _resident_session(heavy),
        "caseworker": _session_for(caseworker, "django.contrib.auth.backends.ModelBackend"),
    }
    draft_start(
        form=FormDefinition.objects.get(code="special-assistance"), applicant=demo, subject=demo
    )
    timings["sessions_s"] = time.perf_counter() - began

    began = time.perf_counter()
    out["cases"] = _cases_insert(caseworker=caseworker, heavy=heavy, numbers=numbers, rng=rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["cases_s"] = time.perf_counter() - began

    began = time.perf_counter()
    parking = FormDefinition.objects.get(code="parking-permit")
    out["submitters"] = []
    for number in submitters:
        _draft_ready(form=parking, number=number)
        out["submitters"].append(_resident_session(number))
    timings["drafts_s"] = time.perf_counter() - began
    out["timings"] = timings
    out["residents"] = {"adults living here": len(numbers) + 1, "heavy": heavy, "demo": demo}
    return out


def _redact(sql: str) -> str:
    """The SQL without session keys (the results file is committed)."""
    return re.sub(r"(session_key\" = )'[^']*'", r"\1'…'", sql)


def django_queries(spec: dict[str, Any]) -> dict[str, Any]:
    """Each page once more through Django's test client: the queries it made and their time,
    and the time of the whole request in this process (so SQL and Python can be told apart)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, path, session, method in spec["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session
        call = client.post if method == "POST" else client.get
        call(path)  # warm the caches of this process
        if method == "POST" or name.startswith("start"):
            client.cookies["sessionid"] = spec["spare"][name]
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call(path)
            total = (time.perf_counter() - began) * 1000
        out[name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
            "total_ms": total,
            "slowest": sorted(
                (
                    {"ms": float(q["time"]) * 1000, "sql": _redact(q["sql"])[:300]}
                    for q in captured.captured_queries
                ),
                key=lambda q: -q["ms"],
            )[:3],
        }
    return out


def django_counts() -> dict[str, int]:
    """What the submissions made: submissions, their cases, receipts in the inbox."""
    from civic.cases.models import Case
    from civic.forms.models import Submission
    from civic.notify.models import Message

    return {
        "submissions": Submission.objects.count(),
        "cases opened for them": Case.objects.filter(submission__isnull=False).count(),
        "receipts in the inbox": Message.objects.filter(
            template_code="case-received", attachment_name__endswith=".pdf"
        ).count(),
    }


# --- driving the benchmark ---------------------------------------------------------------------


def _targets() -> dict[str, dict[str, str]]:
    return {
        "sqlite": {"CIVIC_VAR_DIR": str(ROOT / "var" / "bench-cases-sqlite"), "DATABASE_URL": ""},
        "postgres": {
            "CIVIC_VAR_DIR": str(ROOT / "var" / "bench-cases-postgres"),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        },
    }


def _env(target: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **target, "CIVIC_DEBUG": "false", "CIVIC_EXCHANGE_RATE_LIMIT": "100000000"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    return env


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


def _prepare(key: str, target: dict[str, str]) -> None:
    var = Path(target["CIVIC_VAR_DIR"])
    var.mkdir(parents=True, exist_ok=True)
    env = _env(target)
    if key == "postgres":
        _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        _psql(f"CREATE DATABASE {DATABASE}")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(var, f"civic.sqlite3{suffix}").unlink(missing_ok=True)
    for folder in ("media", "outbox"):  # files of an earlier run (receipts, emails)
        subprocess.run(["rm", "-rf", str(var / folder)], check=True)
    _say(f"{key}: generating the 50,000-resident demo …")
    subprocess.run([str(CIVIC), "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [str(CIVIC), "jurisdiction", "generate", "--residents", "50000", "--seed", "1", "--quiet"],
        env=env,
        check=True,
    )
    subprocess.run(
        [str(CIVIC), "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )


def _in_django(env: dict[str, str], function: str, spec: Any = None) -> Any:
    """Call ``function`` of this file in a ``civic shell``; returns what it returned."""
    code = (
        "import importlib.util, json, sys\n"
        f"s = importlib.util.spec_from_file_location('bench_cases', {str(Path(__file__))!r})\n"
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
        f"spec = json.loads({json.dumps(spec)!r})\n"
        f"result = m.{function}(spec) if spec is not None else m.{function}()\n"
        "print('\\nRESULT ' + json.dumps(result))\n"
    )
    done = subprocess.run(
        [str(CIVIC), "shell", "-v", "0", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


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
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
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


def measure(key: str, requests: int, seconds: float, drafts: int) -> dict[str, Any]:
    target = _targets()[key]
    _prepare(key, target)
    env = _env(target)
    spares = 2  # one fresh start and one draft for the query count afterwards
    warmup_drafts = 10
    _say(f"{key}: sessions, {OPEN_CASES + CLOSED_CASES:,} cases and {drafts:,} drafts …")
    seed = _in_django(
        env,
        "django_seed",
        {"fresh": WARMUP + requests + spares, "drafts": drafts + warmup_drafts + spares},
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
        [str(CIVIC), "serve", "--bind", f"127.0.0.1:{PORT}"],
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


def _cell(page: dict[str, Any] | None, goal: float | None, requests: int) -> str:
    if not page:
        return "not measured"
    mark = "" if goal is None else (" ✓" if page["p95"] < goal else " ✗ missed")
    fewer = f" ({page['count']} requests)" if page["count"] < requests else ""
    return f"{page['p50']:.1f} / {page['p95']:.1f} ms{mark}{fewer}"


def _queries_cell(results: dict[str, Any], key: str, name: str) -> str:
    q = results.get(key, {}).get("queries", {}).get(name)
    if not q:
        return "—"
    return f"{q['queries']}, SQL {q['sql_ms']:.0f} of {q['total_ms']:.0f} ms"


def _code_text(results: dict[str, Any]) -> str:
    parts = []
    for key, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        run = results.get(key, {})
        if run.get("code"):
            changed = run.get("code_changed_to")
            parts.append(
                f"{label} {run['code']}"
                + (f" (src/ changed while measuring; {changed} by the end)" if changed else "")
            )
    return ", ".join(parts)


def render(results: dict[str, Any]) -> str:
    lines = [
        "<!-- cases: begin (written by benchmarks/cases.py; edits in here are overwritten) -->",
        "## Cases: pre-filled forms, the caseworker queue, a resident's cases, submissions",
        "",
        f"Machine: {results.get('machine', '')}. Date: {results.get('date', '')}. Code: "
        f"{_code_text(results)}. The 50,000-resident demo with the demo forms and case types, "
        "served by gunicorn (2 workers × 4 threads, DEBUG off); one request at a time on loopback, "
        f"so the time is the server's; {results.get('requests', '?')} requests per page after "
        f"{WARMUP} warm-up requests, fewer (the count is shown) for a page whose requests took "
        f"more than {SAMPLE_BUDGET_S} s in all (at least {MIN_SAMPLES}, warm-up at most "
        f"{WARMUP_BUDGET_S} s). Cases put in with `bulk_create`: {OPEN_CASES:,} open "
        f"(received, in review, waiting) and {CLOSED_CASES:,} closed for Havenstad, opened over "
        "the last 120 days, deadline at the case type's decision period; about 40% of those in "
        "review or waiting assigned to the demo caseworker. PostgreSQL is ANALYZEd after the "
        "insert (autovacuum would do it within a minute); SQLite is not (Civic never runs "
        "ANALYZE on it). Queries: counted once more per page with Django's test client in a "
        "shell: the number of queries, and their time of the whole request's time in that process.",
        "",
        "| Page | SQLite p50 / p95 | PostgreSQL p50 / p95 | Queries SQLite | Queries PostgreSQL | Goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    group = ""
    for name, (page_group, path, _who, _expected, goal) in PAGES.items():
        if page_group != group:
            group = page_group
            lines.append(f"| **{GROUPS[group]}** | | | | | |")
        cells = [
            _cell(results.get(key, {}).get("pages", {}).get(name), goal, results.get("requests", 0))
            for key in ("sqlite", "postgres")
        ]
        goal_text = f"p95 under {goal:.0f} ms" if goal else "none set"
        lines.append(
            f"| {name} (`{path}`) | {cells[0]} | {cells[1]} | "
            f"{_queries_cell(results, 'sqlite', name)} | "
            f"{_queries_cell(results, 'postgres', name)} | {goal_text} |"
        )
    lines += [
        "",
        "Sustained submissions: `POST /my/apply/parking-permit/check/`, each by another resident "
        "with a complete draft (made beforehand through `civic.forms.services`), from 2 and from 4 "
        f"client threads for {results.get('seconds', '?'):.0f} s or until the drafts ran out. Each "
        "makes the submission, the case with its first event, the PDF receipt and the inbox message "
        "(inbox only, the residents' default).",
        "",
        "| Client threads | SQLite | PostgreSQL |",
        "|---:|---|---|",
    ]
    for index, threads in enumerate(SUBMISSION_THREADS):
        cells = []
        for key in ("sqlite", "postgres"):
            runs = results.get(key, {}).get("submissions", [])
            run = runs[index] if index < len(runs) else None
            if not run:
                cells.append("not measured")
                continue
            latency = f"p50 {run['p50']:.0f} / p95 {run['p95']:.0f} ms" if "p50" in run else ""
            out = ", drafts ran out" if run["ran_out_of_drafts"] else ""
            cells.append(
                f"{run['per_second']:.1f}/s ({run['sent']} in {run['seconds']:.0f} s{out}), "
                f"{latency}, {run['errors']} errors"
            )
        lines.append(f"| {threads} | {cells[0]} | {cells[1]} |")
    verified = []
    for key, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        counts = results.get(key, {}).get("submission_counts")
        if counts:
            verified.append(
                f"{label}: {counts['submissions']} submissions, "
                f"{counts['cases opened for them']} cases, "
                f"{counts['receipts in the inbox']} receipts with their PDF"
            )
        load = results.get(key, {}).get("load_average")
        if load:
            verified.append(
                f"{label} load average before / after: {load['before']} → {load['after']}"
            )
    if verified:
        lines += [
            "",
            "Checked afterwards (all runs, warm-up included): " + "; ".join(verified) + ".",
        ]
    lines += ["", *LIMITS, "", "<!-- cases: end -->"]
    return "\n".join(lines)


#: What limits each figure: from the query counts above and cProfile through Django's test client
#: in a ``civic shell`` on the databases of the run (at 4a6e1d8; profile again when src/ moves).
LIMITS = [
    "What limits the figures (profiled at 4a6e1d8 with cProfile through Django's test client in a "
    "`civic shell`, next to the query counts above); all goals are met on both databases:",
    "",
    "- **Pre-filled form.** The fresh start is Python, not SQL (2 ms of SQL on SQLite, 20 ms on "
    "PostgreSQL for 32 queries): some 60% is `draft_start` — the exchange's authorisation, the "
    "three register reads (persons and income, then the address) and their access-log entries — "
    "and the rest is finding the form for the service (13%), loading the session's user and the "
    "resident's number (looked up twice per request) and the redirect. The step page is template rendering "
    "(7 queries, under 5 ms of SQL).",
    "- **Queue.** With the partial indexes over open cases a page is the next 51 entries of one "
    "index and totals are counted up to 10,000 (“10,000+”), so SQL is 4–28 ms; about two "
    "thirds of the rest is Django's template engine rendering the 50 rows (some 60 variable "
    "lookups and translation tags per row). A deep page still skips its offset in the index "
    "(page 50 reads 2,500 entries), so it grows with the page number.",
    "- **Backlog (no goal set).** 35 counting queries, one per age band and week: about 6 ms each "
    "on PostgreSQL; on SQLite the “decided late” count compares each closed case's local "
    "date with its deadline through Django's per-row Python function `django_datetime_cast_date` "
    "(327 of 533 ms).",
    "- **A resident's 1,000 cases.** My cases shows 25 a page with the total: the query reads and "
    "sorts all 1,000 rows matching `applicant = … OR subject = …` before the limit (6–11 ms) and "
    "counts them; the rest is rendering. The dashboard's 36 queries are mostly the resident's own "
    "data read through the exchange (each read logged), the data-use tracker and the inbox; the "
    "1,000 cases cost one 5-row query there.",
    "- **Submissions.** One submission is about 40–50 ms of CPU in the server; the PDF receipt "
    "(reportlab) is about 40% of it and rendering the inbox message another 20%, both inside the "
    "submission's transaction. Two CPU cores carry gunicorn, the database and the client: on "
    "PostgreSQL the rate is CPU-bound (4 threads add 7% throughput at twice the latency). On "
    "SQLite one writer goes at a time (the write lock is taken at BEGIN and held while the PDF is "
    "rendered), so 4 threads add nothing, and waiting writers poll with SQLite's busy back-off, "
    "which makes the p95 at 4 threads several times the p50.",
]


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def _code_state() -> tuple[str, str]:
    """(what to print, a fingerprint of src/ as it is on disk): the commit, plus a mark when
    src/ has uncommitted changes. Others commit while a run takes its half hour."""
    commit = _git("rev-parse", "--short", "HEAD")
    diff = _git("diff", "HEAD", "--", "src")
    fingerprint = f"{_git('rev-parse', 'HEAD:src')}\n{diff}"
    return f"{commit}{' + uncommitted changes in src/' if diff else ''}", fingerprint


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument(
        "--seconds", type=float, default=30, help="how long each submission run lasts"
    )
    parser.add_argument(
        "--drafts", type=int, default=2400, help="drafts ready to send, shared by the runs"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchmarks.harness.machine import cpu_describe

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    model, count = cpu_describe()
    results["machine"] = f"{model}, {count} logical CPUs, Python {platform.python_version()}"
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results.pop("code", None)  # each database's run records its own code
    results["requests"] = args.requests
    results["seconds"] = args.seconds
    for key in [args.only] if args.only else ["sqlite", "postgres"]:
        code, fingerprint = _code_state()
        results[key] = {"code": code, **measure(key, args.requests, args.seconds, args.drafts)}
        now, later = _code_state()
        if later != fingerprint:
            _say(f"  src/ changed during the {key} run: now {now}")
            results[key]["code_changed_to"] = now
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_doc(results)


def write_doc(results: dict[str, Any]) -> None:
    section_write("cases", render(results), DOC)
    _say(f"Wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

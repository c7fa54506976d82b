"""Rules-as-code benchmarks (issue 6): a proactive run over generated residents end to end, and
one automated decision with its explanation.

``benchmarks/proactive.py [--only sqlite|postgres] [--quick] [--large-chunk N] [--decisions N]
[--regenerate] [--runs-only]``, or ``benchmarks/run.py --section proactive [--quick]
[--only sqlite|postgres]``.

On SQLite and PostgreSQL, for 100,000 and 1,000,000 generated residents (``--quick``: 100,000
only):

1. the proactive run as ``civic proactive run --fresh`` does it, ``run_execute(run_start())``,
   in a process of its own: its wall time, the time per stage summed over the chunks (each
   chunk records read, compute and write), the time outside the chunks (making the run and its
   chunks, locking, saving and committing each chunk), the process's peak memory (max RSS), the
   CPU of the PostgreSQL server, and what it wrote: offers, inbox messages, access-log entries;
   at the largest size on PostgreSQL once more with ``--large-chunk`` addresses per chunk, as
   configured and with server-side prepared statements off (``--runs-only`` measures only
   those of them missing from the results);
2. OpenFisca alone, in another process after the run: the same arrays for the whole
   population at once (the run's statements, without logging), one simulation built over
   them, and only the ``calculate`` calls the run makes (every proactive rule set's eligibility
   and amount, household income, children under 18), best of three fresh simulations; the run's
   total divided by it, and the run's overhead (total − OpenFisca) against the goal of 10
   minutes at 1,000,000 residents on PostgreSQL;
3. on the 100,000-resident database: one automated decision of the school clothing grant,
   ``application_evaluate`` (the household read through the exchange and logged, the rule set
   run with its trace) plus ``decision_summary`` (the reasons in words), for ``--decisions``
   different applicants after 20 warm-up calls (goal: p95 under 50 ms); next to it the whole
   submission (``application_submit``) with the rules off and with the rules deciding.

Each size is generated once into a seed (SQLite: a file under var/bench-proactive-*/;
PostgreSQL: a template database) with the platform data (catalogue, message templates, demo
forms and case types, the rules' purpose and grants), kept while the generator and registers
code stay the same (``--regenerate`` makes it again); every run starts from a copy of the seed,
migrated. Writes the "proactive" section of docs/benchmarks.md and
benchmarks/results/proactive.json. The measurements run in ``civic shell`` subprocesses that
call the ``django_*`` functions of this file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from doc_section import section_write  # noqa: E402

ROOT = BENCH.parent
CIVIC = Path(sys.executable).with_name("civic")
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = BENCH / "results" / "proactive.json"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "civic_bench_proactive"
FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (100_000,)
DEFAULT_CHUNK = 5_000
LARGE_CHUNK = 20_000
WARMUP = 20
DECISIONS = 300
REPEATS = 3
GOAL_OVERHEAD_S = 600.0
GOAL_DECISION_P95_MS = 50.0
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- in Django (run by ``civic shell`` in the benchmark's environment) ---------------------------


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def django_platform() -> dict[str, Any]:
    """The platform data a new installation loads besides the jurisdiction: the demo
    jurisdiction's set-up file and the message templates (the order of tests/conftest.py)."""
    from civic.notify.services import templates_load
    from civic.setup.services import DEMO_SETUP, setup_apply

    began = time.perf_counter()
    setup_apply(path=DEMO_SETUP)
    templates_load()
    return {"seconds": time.perf_counter() - began}


def _whole_population():
    """Everyone living in the jurisdiction today, as the run's arrays, read with the run's own
    statements but without the access log (the measurement's helper, not a release)."""
    from civic.core import clock
    from civic.exchange import population as p
    from civic.exchange import sql

    ranges = p.address_ranges(10**9)
    if not ranges:
        return p._columns([], {}, {}, "")
    first, last = ranges[0]
    on = clock.today()
    day = sql.day(on)
    living = [day, day, first, last, day, day]
    rows = sql.fetch(p._sql("residents"), living)
    people = sorted({row[2] for row in rows})
    incomes = p._by_people("income", people, [on.year - 1])
    owned = p._by_people("vehicles", people, [day, day])
    return p._columns(rows, incomes, owned, "")


def django_run(spec: dict[str, Any]) -> dict[str, Any]:
    """One proactive run over everyone, as ``civic proactive run --fresh`` makes it."""
    from django.db.models import Count, Sum

    from civic.decisions.models import Offer, ProactiveChunk, ProactiveRun
    from civic.decisions.proactive import PURPOSE, run_start
    from civic.decisions.proactive_runner import run_execute
    from civic.exchange.models import AccessLogEntry
    from civic.notify.models import Delivery, Message

    progress_file = Path(spec["progress"])
    rss_start = _rss_mib()
    began = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == total or done % max(1, total // 20) == 0:
            progress_file.write_text(
                f"{done}/{total} chunks, {time.perf_counter() - began:.0f} s, "
                f"RSS {_rss_mib():.0f} MiB\n"
            )

    run = run_start(
        trigger=ProactiveRun.Trigger.MANUAL, chunk_size=spec["chunk_size"], resume=False
    )
    made = time.perf_counter() - began
    run = run_execute(run, progress=progress)
    total = time.perf_counter() - began
    rss_end = _rss_mib()

    chunks = list(
        ProactiveChunk.objects.filter(run=run).values_list("timings", "residents", "offers")
    )
    stages = {s: sum(float(t[s]) for t, _r, _o in chunks) for s in ("read", "compute", "write")}
    per_chunk = sorted(sum(float(v) for v in t.values()) for t, _r, _o in chunks)
    slowest = {s: max(float(t[s]) for t, _r, _o in chunks) for s in ("read", "compute", "write")}
    offers = Offer.objects.filter(run=run)
    by_rule_set = dict(
        offers.values("rule_set").annotate(n=Count("id")).values_list("rule_set", "n")
    )
    messages = Message.objects.filter(template_code="offers-available")
    return {
        "status": run.status,
        "chunk_size": spec["chunk_size"],
        "chunks": len(chunks),
        "wall_s": total,
        "run_start_s": made,
        "stages_s": stages,
        "outside_chunks_s": total - sum(stages.values()),
        "chunk_s": {
            "p50": statistics.median(per_chunk),
            "max": per_chunk[-1],
            "slowest_stage": slowest,
        },
        "rss_start_mib": rss_start,
        "rss_end_mib": rss_end,
        "residents": sum(r for _t, r, _o in chunks),
        "offers_in_chunks": sum(o for _t, _r, o in chunks),
        "offers": offers.count(),
        "offers_by_rule_set": by_rule_set,
        "messages": messages.count(),
        "message_residents": messages.values("recipient").distinct().count(),
        "deliveries": dict(
            Delivery.objects.filter(message__template_code="offers-available")
            .values("channel")
            .annotate(n=Count("id"))
            .values_list("channel", "n")
        ),
        "access_log_entries": AccessLogEntry.objects.filter(
            purpose=PURPOSE, kind=AccessLogEntry.Kind.CHECK
        ).count(),
        "residents_sum_check": ProactiveChunk.objects.filter(run=run).aggregate(n=Sum("residents"))[
            "n"
        ],
    }


def django_openfisca(spec: dict[str, Any]) -> dict[str, Any]:
    """OpenFisca alone on the whole population's arrays: build, then only the calculations."""
    from civic.core import clock
    from civic.decisions.eligibility import columns_of, offers_compute
    from civic.decisions.engine import rule_system, simulation_build
    from civic.decisions.rule_sets import proactive_rule_sets

    began = time.perf_counter()
    rule_system()  # import the package and run its YAML tests, once per process
    load = time.perf_counter() - began
    began = time.perf_counter()
    population = _whole_population()
    read = time.perf_counter() - began
    rss_arrays = _rss_mib()
    year = clock.today().year
    period = str(year)
    rule_sets = proactive_rule_sets()
    variables = [v for r in rule_sets for v in (r.eligible_variable, r.amount_variable)]
    variables += ["household_income", "children_under_18"]
    builds, calculations = [], []
    for _ in range(spec["repeats"]):
        began = time.perf_counter()
        simulation = simulation_build(columns_of(population), year)
        built = time.perf_counter()
        for variable in variables:
            simulation.calculate(variable, period)
        calculations.append(time.perf_counter() - built)
        builds.append(built - began)
        del simulation
    # What the run's "compute" counts (build + calculate), and what it leaves to "write": the
    # eligible picked out with NumPy and one OfferRow (a Python object) per offer.
    began = time.perf_counter()
    rows, compute = offers_compute(population, year)
    whole = time.perf_counter() - began
    return {
        "persons": len(population),
        "households": len(population.addresses),
        "rule_sets": [r.key for r in rule_sets],
        "variables": variables,
        "package_load_s": load,
        "read_without_log_s": read,
        "rss_with_arrays_mib": rss_arrays,
        "build_s": builds,
        "calculate_s": calculations,
        "offers_compute_s": whole,
        "offers_compute_openfisca_s": compute,
        "offer_rows_s": whole - compute,
        "offer_rows": len(rows),
    }


def _school_applicants(count: int) -> list[str]:
    """The first adult of ``count`` random households with a child aged 4 to 17."""
    import random

    import numpy as np

    from civic.core import clock
    from civic.decisions.engine import ADULT_AGE, ages

    population = _whole_population()
    age = ages(population.birth_date, clock.today().year)
    school = (age >= 4) & (age <= 17)
    has_school = np.bincount(population.household, weights=school) > 0
    first_adult: dict[int, str] = {}
    for i in np.flatnonzero(age >= ADULT_AGE):
        h = int(population.household[i])
        if has_school[h] and h not in first_adult:
            first_adult[h] = str(population.personal_numbers[i])
    chosen = sorted(first_adult.values())
    random.Random(6).shuffle(chosen)
    if len(chosen) < count:
        raise RuntimeError(f"only {len(chosen)} households with a child aged 4 to 17")
    return chosen[:count]


#: Parts of a run timed by ``django_breakdown``: (module, function, label); nested parts are
#: inside the one above them (the labels say which).
BREAKDOWN = [
    ("civic.decisions.proactive", "population_read", "read: the exchange's population read"),
    ("civic.exchange.population", "log_entries_write", "read › access-log entries"),
    ("civic.exchange.entries", "pseudonym", "read › access-log entries › pseudonyms (HMAC)"),
    ("civic.exchange.population", "_columns", "read › rows to NumPy arrays"),
    ("civic.decisions.proactive", "offers_compute", "compute and picking the eligible"),
    ("civic.decisions.proactive", "offers_write", "write: offers and messages"),
    ("civic.decisions.proactive", "_offers_insert", "write › offers (INSERT … ON CONFLICT)"),
    ("civic.notify.services", "notifications_send_bulk", "write › inbox messages"),
    ("civic.notify.services", "_render_compiled", "write › inbox messages › rendering"),
]


#: ``bulk_create`` calls by model, as labelled in the breakdown.
BULK_CREATES = {
    "Offer": "write › offers (bulk_create)",
    "Message": "write › inbox messages › bulk_create of Message",
    "Delivery": "write › inbox messages › bulk_create of Delivery",
    "ProactiveChunk": "outside chunks › making the run › the chunk rows (bulk_create)",
}
BREAKDOWN_ORDER = [
    *(label for _m, _n, label in BREAKDOWN[:5]),
    "compute and picking › OpenFisca (build and calculate)",
    BREAKDOWN[5][2],
    BREAKDOWN[6][2],
    BULK_CREATES["Offer"],
    *(label for _m, _n, label in BREAKDOWN[7:]),
    BULK_CREATES["Message"],
    BULK_CREATES["Delivery"],
    "outside chunks › making the run (the addresses, the chunk rows)",
    BULK_CREATES["ProactiveChunk"],
    "outside chunks › commits",
]


def django_breakdown(spec: dict[str, Any]) -> dict[str, Any]:
    """A run as ``django_run`` makes it, with Civic's functions along the way wrapped in
    timers (and every ``bulk_create`` timed per model): where the time of each stage goes."""
    import importlib

    from django.db import connections
    from django.db.models import QuerySet

    from civic.decisions.models import ProactiveRun
    from civic.decisions.proactive import run_start
    from civic.decisions.proactive_runner import run_execute

    spent: dict[str, float] = {}
    calls: dict[str, int] = {}

    def timed(label: str, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - began
                calls[label] = calls.get(label, 0) + 1

        return wrapper

    for module_name, name, label in BREAKDOWN:
        module = importlib.import_module(module_name)
        if hasattr(module, name):  # parts the code of the day has
            setattr(module, name, timed(label, getattr(module, name)))
    bulk_create = QuerySet.bulk_create

    def bulk_create_timed(self, objs, *args, **kwargs):
        label = BULK_CREATES.get(self.model.__name__, f"bulk_create of {self.model.__name__}")
        return timed(label, bulk_create)(self, objs, *args, **kwargs)

    QuerySet.bulk_create = bulk_create_timed
    compute = 0.0
    offers_compute = importlib.import_module("civic.decisions.proactive").offers_compute

    def offers_compute_counted(*args, **kwargs):
        nonlocal compute
        rows, seconds = offers_compute(*args, **kwargs)
        compute += seconds
        return rows, seconds

    importlib.import_module("civic.decisions.proactive").offers_compute = offers_compute_counted
    wrapper_class = type(connections["default"])
    wrapper_class.commit = timed("outside chunks › commits", wrapper_class.commit)
    began = time.perf_counter()
    run = timed("outside chunks › making the run (the addresses, the chunk rows)", run_start)(
        trigger=ProactiveRun.Trigger.MANUAL, chunk_size=spec["chunk_size"], resume=False
    )
    run_execute(run)
    total = time.perf_counter() - began
    spent["compute and picking › OpenFisca (build and calculate)"] = compute
    return {"total_s": total, "spent_s": spent, "calls": calls}


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "count": len(ordered),
        "p50": statistics.median(ordered),
        "p95": cut[94],
        "p99": cut[98],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def django_decisions(spec: dict[str, Any]) -> dict[str, Any]:
    """Automated decisions of the school clothing grant: the evaluation with its wording, timed
    alone; and the whole submission with the rules off and deciding."""
    from django.db.models import Count

    from civic.cases.models import Case
    from civic.cases.services import application_submit
    from civic.decisions.automation import application_evaluate
    from civic.decisions.models import RuleOutcome, RuleSetMode
    from civic.decisions.rule_sets import rule_set_for_case_type
    from civic.decisions.wording import decision_summary
    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start, draft_step_save

    each = spec["warmup"] + spec["count"]
    applicants = _school_applicants(2 * each)
    definition = FormDefinition.objects.get(code="school-clothing-grant")
    rule_set = rule_set_for_case_type("school-clothing-grant")
    modes = RuleSetMode.objects.filter(case_type="school-clothing-grant")
    mode_before = modes.values_list("mode", flat=True).first()

    def submit(group: list[str]) -> tuple[list[Case], list[float]]:
        cases, times = [], []
        for applicant in group:
            draft = draft_start(form=definition, applicant=applicant, subject=applicant)
            draft = draft_step_save(draft=draft, step="about_you", answers={}, confirm_prefill=True)
            draft = draft_step_save(
                draft=draft, step="school", answers={"children_at_school": "yes"}
            )
            began = time.perf_counter()
            submission = application_submit(draft=draft)
            times.append((time.perf_counter() - began) * 1000)
            cases.append(
                Case.objects.select_related("case_type__agency").get(submission=submission)
            )
        return cases[spec["warmup"] :], times[spec["warmup"] :]

    try:
        modes.update(mode=RuleSetMode.Mode.OFF)
        cases_off, submit_off = submit(applicants[:each])
        evaluate, outcomes, gaps = [], {"granted": 0, "refused": 0}, 0
        warm = applicants[: spec["warmup"]]
        for applicant in warm:  # warm-up: the same path on the warm-up applicants' cases
            case = Case.objects.filter(subject=applicant).select_related("case_type__agency")[0]
            evaluation = application_evaluate(case=case, rule_set=rule_set)
            decision_summary({**evaluation.explanation, "gaps": evaluation.gaps}, rule_set)
        for case in cases_off:
            began = time.perf_counter()
            evaluation = application_evaluate(case=case, rule_set=rule_set)
            decision_summary({**evaluation.explanation, "gaps": evaluation.gaps}, rule_set)
            evaluate.append((time.perf_counter() - began) * 1000)
            outcomes["granted" if evaluation.eligible else "refused"] += 1
            gaps += bool(evaluation.gaps)
        modes.update(mode=RuleSetMode.Mode.DECIDING)
        cases_on, submit_on = submit(applicants[each:])
    finally:
        modes.update(mode=mode_before)
    routes = dict(
        RuleOutcome.objects.filter(case_reference__in=[c.reference for c in cases_on])
        .values("route")
        .annotate(n=Count("id"))
        .values_list("route", "n")
    )
    return {
        "evaluate_ms": _percentiles(evaluate),
        "evaluate_outcomes": outcomes,
        "evaluate_with_gaps": gaps,
        "submit_off_ms": _percentiles(submit_off),
        "submit_deciding_ms": _percentiles(submit_on),
        "submit_deciding_routes": routes,
        "warmup": spec["warmup"],
    }


# --- driving the benchmark ---------------------------------------------------------------------


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def _code_state() -> tuple[str, str]:
    """(what to print, a fingerprint of src/ as it is on disk)."""
    commit = _git("rev-parse", "--short", "HEAD")
    diff = _git("diff", "HEAD", "--", "src")
    fingerprint = f"{_git('rev-parse', 'HEAD:src')}\n{diff}"
    return f"{commit}{' + uncommitted changes in src/' if diff else ''}", fingerprint


def _seed_fingerprint() -> str:
    """What the seed depends on: the registers app (the generator, the register models and
    their migrations), committed and on disk."""
    return _git("rev-parse", "HEAD:src/civic/registers") + _git(
        "diff", "HEAD", "--", "src/civic/registers"
    )


class Target:
    """One database engine: a working database restored from a seed per size."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.label = LABELS[key]
        self.var_dir = ROOT / "var" / f"bench-proactive-{key}"

    def url(self, database: str = DATABASE) -> str:
        return f"{SERVER}/{database}" if self.key == "postgres" else ""

    def seed_name(self, residents: int) -> str:
        return f"{DATABASE}_seed_{residents}"

    def env(self, database: str = DATABASE, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "CIVIC_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": self.url(database),
            "CIVIC_DEBUG": "false",
            "CIVIC_EXCHANGE_RATE_LIMIT": "100000000",
            "CIVIC_PROACTIVE_RUNNER": "inline",
            "CIVIC_EVENT_DELIVERY": "off",
            **extra,
        }
        env.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
        return env

    @property
    def sqlite_file(self) -> Path:
        return self.var_dir / "civic.sqlite3"

    def seed_file(self, residents: int) -> Path:
        return self.var_dir / f"seed-{residents}.sqlite3"

    def seed_meta(self, residents: int) -> Path:
        return self.var_dir / f"seed-{residents}.json"

    def _sqlite_clear(self, path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def working_drop(self) -> None:
        if self.key == "postgres":
            _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        else:
            self._sqlite_clear(self.sqlite_file)
        for folder in ("media", "outbox"):
            shutil.rmtree(self.var_dir / folder, ignore_errors=True)

    def seed_ensure(self, residents: int, *, regenerate: bool) -> dict[str, Any]:
        """Make the seed of ``residents`` unless a current one exists; returns how it was made."""
        from generation import command
        from meter import child_run

        self.var_dir.mkdir(parents=True, exist_ok=True)
        meta_path = self.seed_meta(residents)
        fingerprint = _seed_fingerprint()
        if meta_path.exists() and not regenerate:
            meta = json.loads(meta_path.read_text())
            present = (
                self.seed_file(residents).exists()
                if self.key == "sqlite"
                else _psql_value(
                    f"SELECT 1 FROM pg_database WHERE datname = '{self.seed_name(residents)}'"
                )
                == "1"
            )
            if present and meta.get("fingerprint") == fingerprint:
                _say(f"{self.label}: reusing the seed of {residents:,} residents ({meta['made']})")
                if self.key == "postgres" and not meta.get("vacuumed_s"):
                    meta["vacuumed_s"] = _vacuum(self.seed_name(residents))
                    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
                return {**meta, "reused": True}
        _say(f"{self.label}: generating {residents:,} residents into a seed …")
        self.working_drop()
        if self.key == "postgres":
            _psql(f"CREATE DATABASE {DATABASE}")
        env = self.env()
        subprocess.run([str(CIVIC), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        generated = child_run(
            command(residents),
            env=env,
            cwd=ROOT,
            postgres_database=DATABASE if self.key == "postgres" else None,
        )
        if generated.returncode:
            raise RuntimeError(f"generating failed: {generated.stderr[-2000:]}")
        platform = _in_django(env, "django_platform")
        meta = {
            "residents": residents,
            "fingerprint": fingerprint,
            "made": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "code": _code_state()[0],
            "generate_s": generated.wall_s,
            "generate_output": generated.stdout.strip().splitlines()[-1:],
            "platform_s": platform["seconds"],
        }
        if self.key == "postgres":
            meta["vacuumed_s"] = _vacuum(DATABASE)
            _psql(f"DROP DATABASE IF EXISTS {self.seed_name(residents)} WITH (FORCE)")
            _psql(f"ALTER DATABASE {DATABASE} RENAME TO {self.seed_name(residents)}")
        else:
            with __import__("sqlite3").connect(self.sqlite_file) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            self._sqlite_clear(self.seed_file(residents))
            shutil.move(self.sqlite_file, self.seed_file(residents))
            self._sqlite_clear(self.sqlite_file)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        _say(f"  generated in {generated.wall_s:.0f} s, platform data {platform['seconds']:.0f} s")
        return {**meta, "reused": False}

    def working_restore(self, residents: int) -> float:
        """The working database as a copy of the seed, migrated; returns the seconds it took."""
        began = time.perf_counter()
        self.working_drop()
        if self.key == "postgres":
            _psql(
                f"CREATE DATABASE {DATABASE} TEMPLATE {self.seed_name(residents)} "
                "STRATEGY FILE_COPY"
            )
        else:
            shutil.copyfile(self.seed_file(residents), self.sqlite_file)
        subprocess.run([str(CIVIC), "migrate", "-v0"], env=self.env(), cwd=ROOT, check=True)
        return time.perf_counter() - began


def _psql(statement: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def _vacuum(database: str) -> float:
    """VACUUM a freshly generated database, as autovacuum would soon after the load (it is off
    on the benchmark server): otherwise the first run to read each page pays for setting its
    hint bits, writing the page again. Returns the seconds it took."""
    began = time.perf_counter()
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", "VACUUM"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def _psql_value(query: str) -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def _shell_code(function: str, spec: Any) -> str:
    return (
        "import importlib.util, json, sys\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        f"s = importlib.util.spec_from_file_location('bench_proactive', {str(Path(__file__))!r})\n"
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
        f"spec = json.loads({json.dumps(spec)!r})\n"
        f"result = m.{function}(spec) if spec is not None else m.{function}()\n"
        "print('\\nRESULT ' + json.dumps(result))\n"
    )


def _result_of(stdout: str) -> Any:
    line = next(x for x in reversed(stdout.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _in_django(env: dict[str, str], function: str, spec: Any = None) -> Any:
    """Call ``function`` of this file in a ``civic shell``; returns what it returned."""
    done = subprocess.run(
        [str(CIVIC), "shell", "-v", "0", "-c", _shell_code(function, spec)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"{function} failed:\n{done.stderr[-3000:]}")
    return _result_of(done.stdout)


def _metered(
    target: Target, function: str, spec: Any, settings: dict[str, str] | None = None
) -> dict[str, Any]:
    """Call ``function`` in a ``civic shell`` under a Meter: its result, and what the process
    (and the PostgreSQL server) used."""
    from meter import child_run

    child = child_run(
        [str(CIVIC), "shell", "-v", "0", "-c", _shell_code(function, spec)],
        env=target.env(**(settings or {})),
        cwd=ROOT,
        postgres_database=DATABASE if target.key == "postgres" else None,
    )
    if child.returncode:
        raise RuntimeError(f"{function} failed:\n{child.stderr[-3000:]}")
    return {
        **_result_of(child.stdout),
        "process": {
            "wall_s": child.wall_s,
            "cpu_s": child.cpu_s,
            "max_rss_mib": child.max_rss_mib,
            "median_rss_mib": child.usage.median_rss_mib,
            "server_cpu_s": child.usage.server_cpu_s,
            "busy_cores": child.usage.busy_cores,
            "other_cores": child.other_cores,
            "iowait_cores": child.usage.iowait_cores,
            "steal_cores": child.usage.steal_cores,
        },
    }


def _database_bytes(target: Target) -> int:
    if target.key == "sqlite":
        return target.sqlite_file.stat().st_size
    return int(_psql_value(f"SELECT pg_database_size('{DATABASE}')") or 0)


def _run_once(
    target: Target, residents: int, chunk_size: int, variant: str = "", settings: dict | None = None
) -> dict[str, Any]:
    restore = target.working_restore(residents)
    _say(
        f"{target.label}: proactive run, {residents:,} residents, {chunk_size:,} per chunk"
        f"{', ' + variant if variant else ''} …"
    )
    progress = target.var_dir / "progress.txt"
    before = os.getloadavg()
    code = _code_state()[0]
    run = _metered(
        target, "django_run", {"chunk_size": chunk_size, "progress": str(progress)}, settings
    )
    run.update(
        variant=variant,
        settings=settings or {},
        code=code,
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        restore_s=restore,
        database_bytes_after=_database_bytes(target),
        load_before=" / ".join(f"{x:.2f}" for x in before),
        load_after=" / ".join(f"{x:.2f}" for x in os.getloadavg()),
    )
    s = run["stages_s"]
    _say(
        f"  {run['wall_s']:.1f} s: read {s['read']:.1f}, compute {s['compute']:.1f}, "
        f"write {s['write']:.1f}, outside {run['outside_chunks_s']:.1f}; "
        f"peak {run['process']['max_rss_mib']:.0f} MiB; {run['residents']:,} residents, "
        f"{run['offers']:,} offers, {run['messages']:,} messages, "
        f"{run['access_log_entries']:,} log entries"
    )
    return run


#: The larger chunk on PostgreSQL is run as configured by default, and once more with the
#: server-side prepared statements off (see "What limits each figure").
LARGE_VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("", {}),
    ("prepared statements off", {"CIVIC_DB_PREPARED_STATEMENTS": "false"}),
]


def runs_missing(key: str, engine: dict[str, Any], large_chunk: int) -> None:
    """Only the larger-chunk runs at the largest size that ``engine`` (earlier figures of one
    database) does not have yet, added to it: one configuration measured again without
    redoing the rest."""
    target = Target(key)
    size = max(engine.get("sizes", {}), key=int, default=None)
    if key != "postgres" or size is None or not large_chunk:
        return
    figures = engine["sizes"][size]
    for variant, settings in LARGE_VARIANTS:
        if any(
            r["chunk_size"] == large_chunk and r.get("settings", {}) == settings
            for r in figures["runs"]
        ):
            continue
        target.seed_ensure(int(size), regenerate=False)
        figures["runs"].append(_run_once(target, int(size), large_chunk, variant, settings))
    target.working_drop()


def measure(
    key: str,
    *,
    sizes: tuple[int, ...],
    large_chunk: int,
    decisions: int,
    regenerate: bool,
) -> dict[str, Any]:
    target = Target(key)
    out: dict[str, Any] = {"sizes": {}}
    for residents in sizes:
        seed = target.seed_ensure(residents, regenerate=regenerate)
        figures: dict[str, Any] = {"seed": seed, "runs": []}
        figures["runs"].append(_run_once(target, residents, DEFAULT_CHUNK))
        _say(f"{target.label}: OpenFisca alone on {residents:,} residents …")
        alone = _metered(target, "django_openfisca", {"repeats": REPEATS})
        figures["openfisca"] = alone
        _say(
            f"  calculate best {min(alone['calculate_s']):.2f} s, build best "
            f"{min(alone['build_s']):.2f} s, peak {alone['process']['max_rss_mib']:.0f} MiB"
        )
        if residents == sizes[0] and decisions:
            _say(f"{target.label}: {decisions} automated decisions …")
            result = _in_django(
                target.env(), "django_decisions", {"warmup": WARMUP, "count": decisions}
            )
            figures["decisions"] = result
            e = result["evaluate_ms"]
            _say(
                f"  evaluate + wording p50/p95/p99 {e['p50']:.1f}/{e['p95']:.1f}/{e['p99']:.1f} ms"
            )
        if residents == sizes[0]:
            target.working_restore(residents)
            _say(f"{target.label}: where the time goes, {residents:,} residents …")
            figures["breakdown"] = _in_django(
                target.env(), "django_breakdown", {"chunk_size": DEFAULT_CHUNK}
            )
        if key == "postgres" and residents == sizes[-1] and large_chunk:
            for variant, settings in LARGE_VARIANTS:
                figures["runs"].append(_run_once(target, residents, large_chunk, variant, settings))
        out["sizes"][str(residents)] = figures
    target.working_drop()
    return out


# --- the page --------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    if seconds >= 90:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest:02d} s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def _per_resident(seconds: float, residents: int) -> str:
    return f"{seconds / residents * 1e6:.0f} µs" if residents else "—"


def render(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    lines = [
        "<!-- proactive: begin (written by benchmarks/proactive.py; edits in here are overwritten) -->",
        "## Rules as code (issue 6): proactive runs and automated decisions",
        "",
        "### Machine",
        "",
        f"- CPU: {machine.get('cpu', '?')}; memory {machine.get('memory', '?')}",
        f"- OS: {machine.get('os', '?')}",
        f"- Python {machine.get('python', '?')}, SQLite {machine.get('sqlite', '?')}, "
        f"PostgreSQL {machine.get('postgresql', '?')}; {machine.get('libraries', '?')}, "
        f"OpenFisca-Core {results.get('openfisca_version', '?')}",
        f"- PostgreSQL settings: {machine.get('postgresql_settings', '?')}",
    ]
    for key in ("sqlite", "postgres"):
        engine = results.get(key)
        if engine:
            changed = engine.get("code_changed_to")
            lines.append(
                f"- {LABELS[key]}: finished {engine.get('date', '?')}, code {engine['code']}"
                + (f" (src/ changed while measuring: {changed} by the end)" if changed else "")
                + f"; load average before / after: {engine.get('load', '?')}"
            )
            for size, figures in engine.get("sizes", {}).items():
                if figures.get("measured"):
                    lines.append(
                        f"  - {int(size):,} residents kept from an earlier run: measured "
                        f"{figures['measured']['date']}, code {figures['measured']['code']}"
                    )
                for run in figures["runs"]:
                    if run.get("date", "") > engine.get("date", ""):
                        variant = f", {run['variant']}" if run.get("variant") else ""
                        lines.append(
                            f"  - {int(size):,} residents, {run['chunk_size']:,} per chunk"
                            f"{variant}: measured later (`--runs-only`), {run['date']}, code "
                            f"{run['code']}; load average before / after: {run['load_before']}"
                            f" → {run['load_after']}"
                        )
    lines += [
        "",
        "The machine is shared with other engineers' work (editors, test runs), so figures "
        "include contention for its two CPUs; each run records the CPUs other processes kept busy.",
        "",
        "### A proactive run, end to end",
        "",
        "`run_execute(run_start(chunk_size=…, resume=False))` in a `civic shell` of its own, as "
        "`civic proactive run --fresh` runs it (`CIVIC_PROACTIVE_RUNNER=inline`, `CIVIC_DEBUG=false`), "
        "on a copy of a freshly generated jurisdiction (`civic jurisdiction generate --residents N "
        "--seed 1 --until 2026-11-30`) with the platform data (catalogue, message templates, demo "
        "forms and case types, the rules' purpose and grants) and no earlier run, so every offer "
        "is new. Stages are summed over the chunks as each chunk records them: **read** = the "
        "registers through the exchange and one access-log entry per resident; **compute** = "
        "building the OpenFisca simulation and calculating (the first chunk also loads the rule "
        "package and runs its YAML tests); **write** = picking the eligible and making offer rows "
        "(Python), the offers, the inbox messages with their deliveries. **Outside chunks** = "
        "listing the addresses and making the run and its chunk rows, and for each chunk locking "
        "it, saving it and committing. Peak memory: max RSS of that process (Django, OpenFisca "
        "and the run).",
        "",
        "| Database | Residents | Addresses per chunk (chunks) | Total | Read | Compute | Write "
        "| Outside chunks | Peak memory | Residents checked | Offers | Inbox messages | "
        "Access-log entries | PostgreSQL server CPU | Other processes (CPUs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            for run in figures["runs"]:
                s, p = run["stages_s"], run["process"]
                server = _duration(p["server_cpu_s"]) if p.get("server_cpu_s") is not None else "—"
                variant = f", {run['variant']}" if run.get("variant") else ""
                lines.append(
                    f"| {LABELS[key]} | {int(size):,} | {run['chunk_size']:,} ({run['chunks']})"
                    f"{variant} | "
                    f"**{_duration(run['wall_s'])}** ({_per_resident(run['wall_s'], run['residents'])}"
                    f" a resident) | {_duration(s['read'])} | {_duration(s['compute'])} | "
                    f"{_duration(s['write'])} | {_duration(run['outside_chunks_s'])} | "
                    f"{p['max_rss_mib']:.0f} MiB | {run['residents']:,} | {run['offers']:,} | "
                    f"{run['messages']:,} | {run['access_log_entries']:,} | {server} | "
                    f"{p['other_cores']:.2f} |"
                )
    lines += [
        "",
        "### OpenFisca alone, and Civic's overhead",
        "",
        "After each run, in another process: the same arrays for the whole population at once "
        "(the run's own statements, without the access log), one simulation built over everyone "
        "(`simulation_build`), then only the `calculate` calls a chunk makes (eligibility and "
        "amount of every proactive rule set, household income, children under 18); best of "
        f"{REPEATS} fresh simulations. Civic's overhead is the run's total minus OpenFisca's "
        "calculations; goal: within 10 minutes at 1,000,000 residents on PostgreSQL.",
        "",
        "| Database | Residents | Run total | OpenFisca calculate alone | Building the simulation "
        "| Total ÷ OpenFisca calculate | Civic's overhead (total − calculate) | Goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    missed: list[str] = []
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            alone = figures.get("openfisca")
            if not alone:
                continue
            calculate, build = min(alone["calculate_s"]), min(alone["build_s"])
            for run in figures["runs"]:
                overhead = run["wall_s"] - calculate
                goal = "—"
                if key == "postgres" and int(size) == 1_000_000:
                    ok = overhead <= GOAL_OVERHEAD_S
                    goal = "within 10 min " + ("✓" if ok else "✗ missed")
                    if not ok:
                        missed.append(
                            f"- PostgreSQL, proactive run at 1,000,000 residents "
                            f"({run['chunk_size']:,} addresses per chunk"
                            f"{', ' + run['variant'] if run.get('variant') else ''}): Civic's "
                            f"overhead {_duration(overhead)} against 10 minutes. "
                            + MISSED_WHY.get((run["chunk_size"], run.get("variant", "")), "")
                        )
                variant = f", {run['variant']}" if run.get("variant") else ""
                lines.append(
                    f"| {LABELS[key]} | {int(size):,} ({run['chunk_size']:,} per chunk{variant}) | "
                    f"{_duration(run['wall_s'])} | {_duration(calculate)} | {_duration(build)} | "
                    f"{run['wall_s'] / calculate:,.0f}× | {_duration(overhead)} | {goal} |"
                )
    lines += [
        "",
        "### One automated decision with its explanation",
        "",
        "On the 100,000-resident database of each engine (after its proactive run), in one process: "
        f"{results.get('decisions', DECISIONS)} different applicants of the school clothing grant "
        "(the first adult of a random household with a child aged 4 to 17), each with a submitted "
        "application. Timed: `application_evaluate` (the household read through the exchange "
        "under the case's purpose and logged with the case, one simulation with its trace, the "
        "explanation with its parameters, legal references and the counterfactual threshold) plus "
        f"`decision_summary` (the reasons in words), after {WARMUP} warm-up calls. Next to it the "
        "whole submission (`application_submit`: the submission, the case, its PDF receipt and inbox "
        "message) with the rules off and with them deciding inside the submission, each for "
        "as many other applicants (the first 20 of each not counted).",
        "",
        "| Database | Evaluate + wording p50 / p95 / p99 | Goal | Submission, rules off p50 / p95 "
        "| Submission, rules deciding p50 / p95 | Routes when deciding |",
        "|---|---:|---|---:|---:|---|",
    ]
    for key in ("sqlite", "postgres"):
        sized = results.get(key, {}).get("sizes", {})
        size, decision = next(
            ((int(n), f["decisions"]) for n, f in sized.items() if f.get("decisions")),
            (0, None),
        )
        if not decision:
            continue
        e, off, on = (
            decision["evaluate_ms"],
            decision["submit_off_ms"],
            decision["submit_deciding_ms"],
        )
        ok = e["p95"] < GOAL_DECISION_P95_MS
        if not ok:
            missed.append(
                f"- {LABELS[key]}, one automated decision with its explanation: p95 "
                f"{e['p95']:.1f} ms against 50 ms."
            )
        routes = ", ".join(
            f"{k} {v}" for k, v in sorted(decision["submit_deciding_routes"].items())
        )
        lines.append(
            f"| {LABELS[key]}, {size:,} residents | "
            f"{e['p50']:.1f} / {e['p95']:.1f} / {e['p99']:.1f} ms "
            f"({e['count']} decisions) | p95 under 50 ms {'✓' if ok else '✗ missed'} | "
            f"{off['p50']:.1f} / {off['p95']:.1f} ms | {on['p50']:.1f} / {on['p95']:.1f} ms | "
            f"{routes} |"
        )
    lines += _breakdown_lines(results)
    lines += ["", "### What limits each figure", "", *_limits(results)]
    if missed:
        lines += ["", "### Goals missed", "", *missed]
    lines += ["", "<!-- proactive: end -->"]
    return "\n".join(lines)


def _breakdown_lines(results: dict[str, Any]) -> list[str]:
    found = {}
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            if figures.get("breakdown"):
                found[key] = (int(size), figures["breakdown"])
                break
    if not found:
        return []
    sizes = sorted({size for size, _b in found.values()})
    labels = BREAKDOWN_ORDER
    extra = sorted(
        {k for _s, b in found.values() for k in b["spent_s"] if k not in labels},
    )
    lines = [
        "",
        "### Where a run's time goes",
        "",
        f"One more run at {', '.join(f'{n:,}' for n in sizes)} residents ({DEFAULT_CHUNK:,} "
        "addresses per chunk, on a fresh copy) with Civic's functions along the way wrapped in "
        "timers (`django_breakdown` in benchmarks/proactive.py). Indented parts (›) are inside "
        "the part above them; “picking the eligible” is the NumPy selection and one Python "
        "`OfferRow` per offer, which the chunks count as write. The last row compares the "
        "wrapped run's total with the unwrapped run's above (the wrappers' own cost and the "
        "run-to-run noise).",
        "",
        "| Part | " + " | ".join(LABELS[k] for k in found) + " |",
        "|---|" + "---:|" * len(found),
    ]
    for label in [*labels, *extra]:
        cells = []
        for _size, breakdown in found.values():
            seconds = breakdown["spent_s"].get(label)
            cells.append(
                "—"
                if seconds is None
                else f"{_duration(seconds)} ({seconds / breakdown['total_s']:.0%})"
            )
        if any(cell != "—" for cell in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for key, (size, breakdown) in found.items():
        plain = results[key]["sizes"][str(size)]["runs"][0]["wall_s"]
        cells.append(f"{_duration(breakdown['total_s'])} (unwrapped {_duration(plain)})")
    lines.append("| **the whole run** | " + " | ".join(cells) + " |")
    return lines


def _limits(results: dict[str, Any]) -> list[str]:
    """Notes from the figures themselves, then the profile notes (LIMITS)."""
    notes = []
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            alone = figures.get("openfisca")
            for run in figures["runs"]:
                s, p = run["stages_s"], run["process"]
                total = run["wall_s"]
                share = ", ".join(
                    f"{name} {value / total:.0%}"
                    for name, value in (*s.items(), ("outside chunks", run["outside_chunks_s"]))
                )
                server = (
                    f", the PostgreSQL server {_duration(p['server_cpu_s'])} of CPU"
                    if p.get("server_cpu_s") is not None
                    else ""
                )
                variant = f", {run['variant']}" if run.get("variant") else ""
                text = (
                    f"- {LABELS[key]}, {int(size):,} residents, {run['chunk_size']:,} per chunk"
                    f"{variant}: "
                    f"{share} of the total. The process used {_duration(p['cpu_s'])} of CPU in "
                    f"{_duration(p['wall_s'])}{server}; other processes kept "
                    f"{p['other_cores']:.2f} CPUs busy, I/O wait {p['iowait_cores']:.2f}. "
                    f"Memory {run['rss_start_mib']:.0f} MiB at the start of the run, "
                    f"{p['max_rss_mib']:.0f} MiB at its peak."
                )
                if alone:
                    compute_gap = s["compute"] - min(alone["calculate_s"]) - min(alone["build_s"])
                    text += (
                        f" Compute summed over {run['chunks']} chunks is "
                        f"{_duration(compute_gap)} more than building and calculating one "
                        "simulation over everyone."
                    )
                notes.append(text)
            if alone:
                notes.append(
                    f"- {LABELS[key]}, OpenFisca alone at {int(size):,} "
                    f"({alone['persons']:,} persons in {alone['households']:,} households): "
                    f"calculate {', '.join(_duration(x) for x in alone['calculate_s'])}, build "
                    f"{', '.join(_duration(x) for x in alone['build_s'])}; loading the rule "
                    f"package with its YAML tests {_duration(alone['package_load_s'])} (once per "
                    f"process); picking the eligible and making {alone['offer_rows']:,} offer rows "
                    f"in Python {_duration(alone['offer_rows_s'])} (the run counts this in "
                    f"“write”); one simulation over everyone peaks at "
                    f"{alone['process']['max_rss_mib']:.0f} MiB."
                )
    return [*notes, *LIMITS]


#: What limits the figures: from the breakdown above, cProfile of five chunks at 100,000
#: residents, EXPLAIN ANALYZE of the read statements and perf of the PostgreSQL backend (at
#: 868b127 and before it, 2026-11-30; profile again when src/ moves).
LIMITS: list[str] = [
    "- **OpenFisca is not what limits a run.** Over a million residents the chunks' compute "
    "adds up to under a second, no more than one simulation over everyone at once (building "
    "it takes longer than the calculations): the run is well over a thousand times "
    "OpenFisca's own calculating. One simulation over everyone peaks at about 1 GiB; chunks "
    "keep the run at 120–205 MiB whatever the population (memory grows with the chunk, not "
    "with the residents).",
    "- **Write (70–80% of a run).** At a million residents a run writes about 854,000 offers, "
    "571,000 inbox messages and as many inbox deliveries. The offers go in 500 rows a statement "
    "with `INSERT … ON CONFLICT DO NOTHING RETURNING` (every value prepared by Django in Python; "
    "at 100,000 residents 2.6 s on SQLite, 6.9 s on PostgreSQL), the messages and deliveries "
    "with `bulk_create` (a Django model instance per row, every field prepared in Python), "
    "after one Python `OfferRow` per offer (about 4 s at a million). Each message is "
    "rendered from its template for subject and body (2.2–2.5 s at 100,000). Going faster means "
    "writing these rows without per-value Python work (e.g. COPY) in `offers_write` "
    "(decisions/proactive.py) and `notifications_send_bulk`.",
    "- **Read (about 20–25%).** Per chunk: one statement for the residents (on PostgreSQL a bitmap "
    "scan of the residences in the address range: the current rows lie scattered among ten "
    "years of history, some 10,000 heap pages a chunk of 5,000 addresses), then their income "
    "and vehicles by person id, 500 ids a statement, then the access log: one keyed pseudonym "
    "(HMAC) and one row per resident, inserted with `executemany` (psycopg sends them in one "
    "pipeline). The access log is more than half of the read stage on both.",
    "- **Outside chunks.** On SQLite this is the commit of each chunk (the breakdown's "
    "“commits”): SQLite writes a chunk's new and changed pages to its write-ahead log at "
    "commit (the file grows by about 1 GiB over a run of a million, some 9 MiB a chunk, and "
    "every index page a chunk touched is written too). PostgreSQL writes its WAL while the "
    "chunk runs, so its commits are short.",
    "- **Larger chunks change little.** On PostgreSQL 20,000 addresses a chunk took 3 min 34 s "
    "against 3 min 46 s at 5,000 (reading 36 s against 52 s: the per-statement costs of three "
    "chunks in four saved), for about 40 MiB more memory; the 5,000 run had other processes "
    "keeping 0.23 CPUs busy, the 20,000 run 0.05. Without server-side prepared statements "
    "(`CIVIC_DB_PREPARED_STATEMENTS=false`) the 20,000 run took 4 min 04 s: more CPU in the "
    "process (psycopg then writes every parameter into the SQL text) and in the server (every "
    "statement planned: 79 s against 53 s).",
    "- **At 3f05404 the larger chunk went wrong on PostgreSQL (fixed since).** `offers_write` "
    "then looked up the offers a chunk's residents already had, 500 personal numbers a "
    "statement. psycopg prepares a statement once it has run five times, and after five more "
    "PostgreSQL may keep a generic plan for it. With 20,000 addresses a chunk the first chunk "
    "alone ran the lookup some 40 times, so the plan was made while the offers table was empty "
    "by its statistics (the seed is VACUUMed with the table empty, and autovacuum, off on this "
    "server, never analyses it as it fills): a sequential scan comparing each row with the 500 "
    "parameters one by one (perf of the backend: most of its time in `ExecEvalScalarArrayOp`, "
    "`memcmp` and `texteq`). Every lookup read the whole table, each chunk was slower than the "
    "one before, and the run took 29 min 44 s (the first 17 of 29 chunks 26 minutes, the "
    "slowest 173 s; then, for a reason not established, the last 12 under 4 minutes), a "
    "missed goal for that setting. At 5,000 a chunk the first chunk ran it about ten times, "
    "the plan was made once the table had rows, and the run was not affected (3 min 04 s). "
    "0ec9690, by another engineer during these measurements, inserts the offers with `ON "
    "CONFLICT DO NOTHING RETURNING` instead, so the unique index decides: the tables above are "
    "after it. It made the 20,000 run normal; the 5,000 run took 3 min 46 s after it against "
    "3 min 04 s before (write 2 min 48 s against 2 min 13 s; an hour apart, with more load "
    "from other processes the second time).",
    "- **One automated decision** is a few milliseconds: one household read through the "
    "exchange (the residents of one address, their income and vehicles, one access-log entry "
    "per household member, logged with the case), one OpenFisca simulation with its trace, "
    "the explanation (parameters with their legal references, the counterfactual threshold) "
    "and its wording. PostgreSQL pays a round trip per statement and its commit; the goal is "
    "met several times over on both. Deciding inside the submission adds about 10 ms to it on "
    "SQLite and 12 ms on PostgreSQL (the evaluation, the rule outcome, the case's decision and "
    "its message).",
    "- **The set-up.** Each run starts from a copy of a seed generated once (`--seed 1 "
    "--until 2026-11-30`) with the platform data; PostgreSQL seeds are VACUUMed after loading "
    "(autovacuum is off on this server), otherwise the first run to read each page also pays "
    "for setting its hint bits and writing it again (on the old read code: 66.6 s of reading "
    "at a million before VACUUM, 60.0 s after). Offers, messages and log entries are all new, "
    "so the write stage is at its largest; a second run in the same year writes only the "
    "offers that are new.",
    "- **Changes made while measuring, before → after.** Inbox messages: "
    "`notifications_send_bulk` parsed each template text twice per message and now parses it "
    "once per batch (987bd9e): at 100,000 residents a run went from 28.2 to 19.2 s on SQLite "
    "and from 25.1 to 17.9 s on PostgreSQL (write 22.1 → 14.3 s and 19.3 → 13.1 s). Reading: "
    "the income and vehicle statements evaluated again who lives in the chunk (on PostgreSQL "
    "a hash join over every person and address, once per statement, so reading grew faster "
    "than the population); they now take the residents' ids (d57f5e6): at a million on "
    "PostgreSQL, 5,000 a chunk, consecutive runs on the same seed: read 60.0 → 47.7 s, run "
    "198.1 → 188.1 s, server CPU 71 → 57 s; on SQLite reading every chunk of a million went "
    "from 45.9 to 32.5 s. Both give the same text and the same arrays as before (checked: "
    "every template in both languages; every resident of the million on both databases, and "
    "900 single-address reads). The tables above were measured with both.",
]
#: Why a goal was missed, by (chunk size, variant).
MISSED_WHY: dict[tuple[int, str], str] = {}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--quick", action="store_true", help="100,000 residents only")
    parser.add_argument(
        "--sizes", help="residents, comma-separated (default 100,000 and 1,000,000; a check)"
    )
    parser.add_argument(
        "--large-chunk",
        type=int,
        default=LARGE_CHUNK,
        help=f"a second PostgreSQL run at the largest size with this chunk (default {LARGE_CHUNK:,}; 0: none)",
    )
    parser.add_argument(
        "--decisions", type=int, default=DECISIONS, help="automated decisions to time (0: none)"
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the seeds even if current ones exist"
    )
    parser.add_argument(
        "--runs-only",
        action="store_true",
        help="only the larger-chunk runs missing from the results (kept otherwise)",
    )
    args = parser.parse_args(argv)
    from importlib import metadata

    from machine import machine_describe

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    chosen = [args.only] if args.only else ["sqlite", "postgres"]
    results["machine"] = machine_describe(postgres_url=f"{SERVER}/postgres")
    results["openfisca_version"] = metadata.version("openfisca-core")
    results["decisions"] = args.decisions
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.sizes:
        sizes = tuple(int(x) for x in args.sizes.split(","))
    if args.runs_only:
        for key in chosen:
            if key in results:
                runs_missing(key, results[key], args.large_chunk)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        write_doc(results)
        return
    for key in chosen:
        code, fingerprint = _code_state()
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        figures = measure(
            key,
            sizes=sizes,
            large_chunk=args.large_chunk,
            decisions=args.decisions,
            regenerate=args.regenerate,
        )
        date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        earlier = results.get(key, {})
        kept = {}
        if args.quick or args.sizes:  # the sizes not measured now keep their earlier figures
            for size, old in earlier.get("sizes", {}).items():
                if size not in figures["sizes"]:
                    old.setdefault("measured", {"date": earlier["date"], "code": earlier["code"]})
                    kept[size] = old
        figures["sizes"] = dict(
            sorted({**kept, **figures["sizes"]}.items(), key=lambda item: int(item[0]))
        )
        results[key] = {
            "code": code,
            "date": date,
            "mode": "quick" if args.quick else "full",
            "load": f"{load} → {' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
            **figures,
        }
        now, later = _code_state()
        if later != fingerprint:
            _say(f"  src/ changed during the {key} run: now {now}")
            results[key]["code_changed_to"] = now
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_doc(results)


def write_doc(results: dict[str, Any]) -> None:
    section_write("proactive", render(results), DOC)
    _say(f"Wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

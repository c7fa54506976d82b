"""The proactive benchmark's Django side: called by name in a ``civic shell`` with the
benchmark's environment (``harness.django_call``), reading and writing through Civic's own
services, selectors and models."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any


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
    """Everyone living in the jurisdiction today, as the run's arrays, read through the
    exchange's public population selector as the proactive run's job reads a chunk (so the
    release is logged, as every read of the registers is), with one chunk of every address."""
    from civic.decisions.proactive import job_actor, proactive_setup
    from civic.decisions.rule_sets import proactive_reads
    from civic.exchange.selectors import address_ranges, population_of, population_read

    purpose = proactive_setup().purpose  # the set-up names it (civic setup apply)
    reads = proactive_reads()  # the registers the run reads, as its chunks do
    ranges = address_ranges(10**9)
    if not ranges:
        return population_of(
            actor=job_actor(), purpose=purpose, personal_numbers=[], registers=reads
        )
    first, last = ranges[0]
    return population_read(
        actor=job_actor(), purpose=purpose, first_address=first, last_address=last, registers=reads
    )


def django_run(spec: dict[str, Any]) -> dict[str, Any]:
    """One proactive run over everyone, as ``civic proactive run --fresh`` makes it."""
    from django.db.models import Count, Sum

    from civic.decisions.models import Offer, ProactiveChunk, ProactiveRun
    from civic.decisions.proactive import proactive_setup, run_start
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
            purpose=proactive_setup().purpose, kind=AccessLogEntry.Kind.CHECK
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


#: Parts of a run timed by ``django_breakdown``: (module, public function, label); nested parts
#: are inside the one above them (the labels say which). Only public functions: a name that
#: disappears fails the benchmark (and so the smoke run in ``make test``), it is not skipped.
BREAKDOWN = [
    ("civic.decisions.proactive", "population_read", "read: the exchange's population read"),
    ("civic.exchange.population.read", "log_entries_write", "read › access-log entries"),
    ("civic.exchange.entries", "pseudonym", "read › access-log entries › pseudonyms (HMAC)"),
    ("civic.decisions.proactive", "offers_compute", "compute and picking the eligible"),
    ("civic.decisions.proactive", "offers_write", "write: offers"),
    ("civic.decisions.proactive", "offers_announce", "announce: one message per resident"),
    ("civic.decisions.proactive", "notifications_send_bulk", "announce › inbox messages"),
]


#: ``bulk_create`` calls by model, as labelled in the breakdown.
BULK_CREATES = {
    "Offer": "write › offers (bulk_create)",
    "Message": "announce › inbox messages › bulk_create of Message",
    "Delivery": "announce › inbox messages › bulk_create of Delivery",
    "ProactiveChunk": "outside chunks › making the run › the chunk rows (bulk_create)",
}
BREAKDOWN_ORDER = [
    *(label for _m, _n, label in BREAKDOWN[:4]),
    "compute and picking › OpenFisca (build and calculate)",
    BREAKDOWN[4][2],
    BULK_CREATES["Offer"],
    *(label for _m, _n, label in BREAKDOWN[5:]),
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

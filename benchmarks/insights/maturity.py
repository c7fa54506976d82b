"""Digital-maturity benchmark (issue 20): the index recomputed for the 1,000,000-resident
jurisdiction, as the daily task recomputes it (goal: under a minute), on PostgreSQL.
``python -m benchmarks --section maturity``

The index reads only aggregates (counts of services, forms sent, decisions, offers, datasets),
so its time grows with the year's events, not with the population as such. It needs the demo
jurisdiction of that size: the open-data section builds the same one (``civic demo`` on
``civic_bench_opendata``, 25-40 minutes at 1,000,000), so when that database already holds a
jurisdiction of the size asked for, it is brought to this code's migrations and used as it is;
else this section builds its own. Writes the "maturity" section of docs/benchmarks.md and
benchmarks/results/maturity.json.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build, migrated
from benchmarks.harness.django_call import ask
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.report import LABELS, say
from benchmarks.harness.targets import Target

MODULE = "benchmarks.insights.maturity_side"
GOAL_SECONDS = 60


def _target(database: str) -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database(database)}"
    return Target("postgres", LABELS["postgres"], run.var_dir(f"bench-{database}"), url)


def _reusable(residents: int) -> Target | None:
    """The open-data section's demo, if it holds a jurisdiction of ``residents`` (full runs)."""
    if context.current().smoke:
        return None
    target = _target("civic_bench_opendata")
    try:
        held = ask(target.env(), "residents", module=MODULE, timeout=300)
    except Exception:  # no such database
        return None
    return target if held == residents else None


def measure(sizes: dict[str, Any]) -> dict[str, Any]:
    residents = sizes["residents"]
    target = _reusable(residents)
    if target is not None:
        say(f"postgres: the open-data section's {residents:,}-resident demo, migrated …")
        migrated(target, fresh=False)
        built = "reused"
    else:
        target = _target("civic_bench_maturity")
        say(f"postgres: building the {residents:,}-resident demo …")
        demo_build(target, residents=residents, until=None, env=target.env())
        built = "built"
    say("postgres: the digital-maturity index …")
    found = ask(
        target.env(), "maturity", {"repeats": sizes["repeats"]}, module=MODULE, timeout=3600
    )
    say(f"  postgres: {statistics.median(found['seconds']):.2f} s, index {found['index']}")
    model, count = cpu_describe()
    return {
        **found,
        "residents": residents,
        "demo": built,
        "machine": f"{model}, {count} logical CPUs, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _count(item: dict[str, Any]) -> str:
    if item.get("denominator") is None:
        return "not measured"
    return f"{item['numerator']:,} of {item['denominator']:,}"


def render(results: dict[str, Any]) -> str:
    found = results.get("postgres")
    lines = [
        report.begin("maturity", "benchmarks --section maturity"),
        "## Insights: the digital-maturity index recomputed",
        "",
    ]
    if not found:
        lines += ["Not measured yet.", "", report.end("maturity")]
        return "\n".join(lines)
    median = statistics.median(found["seconds"])
    lines += [
        f"Machine: {found['machine']}. Date: {found['date']}. PostgreSQL, the "
        f"{found['residents']:,}-resident demo jurisdiction ({found['demo']}). The index "
        "recomputed and stored as the daily task does it (`maturity_record`), "
        f"{len(found['seconds'])} times; the peak memory traced in one more run.",
        "",
        "| Residents | Recompute, median | Slowest | Peak memory (traced) | Goal | Index |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {found['residents']:,} | {median:.2f} s | {max(found['seconds']):.2f} s | "
        f"{found['peak_mib']:.1f} MiB | under {GOAL_SECONDS} s: "
        f"{'met' if median < GOAL_SECONDS else 'not met'} | {found['index']} |",
        "",
        "What it counted (the last year's events, and the catalogue as it stands):",
        "",
        "| Input | Count | Share |",
        "|---|---:|---:|",
    ]
    for key, item in found["inputs"].items():
        share = "–" if item.get("value") is None else f"{100 * item['value']:.1f} %"
        lines.append(f"| {key} | {_count(item)} | {share} |")
    lines += [
        "",
        "The inputs are counts the database makes (grouped or filtered by date), except the "
        "forms' register answers, which are read a submission at a time (5,000 per fetch): "
        "that input grows with the year's applications, and is the one to move into the "
        "database if the index slows.",
        "",
        report.end("maturity"),
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The maturity section (``sizes``: demo "residents", "repeats")."""
    if getattr(options, "residents", None):
        sizes = {**sizes, "residents": options.residents[0]}
    results = report.results_load("maturity")
    try:
        results["postgres"] = measure(sizes)
    except Exception as error:
        return [f"postgres: {error.__class__.__name__}: {error}"]
    report.results_save("maturity", results)
    say(f"Wrote {report.section_write('maturity', render(results))}")
    return []

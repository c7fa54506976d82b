"""KPI pages benchmark (issue 20): the staff KPI pages, one kind of case's page with its
demand forecast, the public performance page and the KPI API, p95 at 100,000 cases (goal:
under 200 ms). ``python -m benchmarks --section kpis [--only sqlite|postgres]``

A small demo jurisdiction (the pages read cases, not residents), then a year of cases of the
municipality's three kinds put in with ``bulk_create``, most of them decided; each page
requested in-process through Django's test client (no HTTP), after a warm-up that fits the
forecast (cached for the day, as in production). Writes the "kpis" section of
docs/benchmarks.md and benchmarks/results/kpis.json.
"""

from __future__ import annotations

import argparse
import platform
import time
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build
from benchmarks.harness.django_call import ask
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.report import LABELS, say
from benchmarks.harness.targets import Target

MODULE = "benchmarks.insights.kpis_side"
GOAL_MS = 200


def _target(key: str) -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database('civic_bench_kpis')}" if key == "postgres" else ""
    return Target(key, LABELS[key], run.var_dir(f"bench-kpis-{key}"), url)


def measure(key: str, sizes: dict[str, Any]) -> dict[str, Any]:
    target = _target(key)
    env = target.env()
    say(f"{key}: building the {sizes['residents']:,}-resident demo …")
    demo_build(target, residents=sizes["residents"], env=env)
    say(f"{key}: {sizes['cases']:,} cases …")
    seeded = ask(env, "seed", {"cases": sizes["cases"]}, module=MODULE, timeout=3600)
    say(f"{key}: the KPI pages …")
    timed = ask(
        env,
        "pages",
        {"samples": sizes["samples"], "warmup": sizes["warmup"]},
        module=MODULE,
        timeout=3600,
    )
    for name, page in timed.items():
        say(f"  {key} {name}: p50 {page['p50']:.0f} ms, p95 {page['p95']:.0f} ms")
    model, count = cpu_describe()
    return {
        "seeded": seeded,
        "pages": timed,
        "machine": f"{model}, {count} logical CPUs, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def render(results: dict[str, Any]) -> str:
    lines = [
        report.begin("kpis", "benchmarks --section kpis"),
        "## Insights: the KPI pages at 100,000 cases",
        "",
        "Each page requested in-process through Django's test client (no HTTP), after a warm-up "
        "that fits the demand forecast (cached for the day, as in production). The cases are "
        "the demo municipality's three kinds, opened over a year, most of them decided (a third "
        "by the rules), put in with `bulk_create` beside the demo's own.",
        "",
    ]
    for key in ("sqlite", "postgres"):
        found = results.get(key)
        if not found:
            continue
        lines += [
            f"**{LABELS[key]}**: {found['seeded']['cases']:,} cases "
            f"({found['seeded']['decided']:,} of those put in decided). Machine: "
            f"{found['machine']}. Date: {found['date']}.",
            "",
            "| Page | p50 | p95 | Goal p95 | Queries |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, page in found["pages"].items():
            met = "met" if page["p95"] < GOAL_MS else "not met"
            lines.append(
                f"| {name} (`{page['path']}`) | {page['p50']:.0f} ms | {page['p95']:.0f} ms | "
                f"{GOAL_MS} ms: {met} | {page['queries']} |"
            )
        lines.append("")
    lines += [
        "The decided, automated and late decisions and the median days to a decision are read "
        "from the summary of decisions per kind of case and day (`cases.DecisionDay`, "
        "docs/insights.md): about 365 rows a kind of case for a year, whatever the number of "
        "cases, plus the period's first, partial day from the decisions along their index on "
        "`decided_at`; the median is exact to the hour. The decisions put in with "
        "`bulk_create` are counted into it by `civic cases decision-days` after the seeding "
        "(the time it took is in benchmarks/results/kpis.json, `summary_rebuild_s`). The counts "
        "of opened and open cases are one grouped count per kind of case; the prefilled "
        "questions are two summed columns of the submissions; the staffing pace one read of "
        "four weeks' decisions. The timings are of one run on a shared 2-core machine, where "
        "another agent's work ran at the same time: read them as noisy.",
        "",
        report.end("kpis"),
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The KPI section (``sizes``: demo "residents", "cases", "samples", "warmup")."""
    results = report.results_load("kpis")
    failed = []
    for key in [options.only] if options.only else ["sqlite", "postgres"]:
        try:
            results[key] = measure(key, sizes)
        except Exception as error:
            failed.append(f"{key}: {error.__class__.__name__}: {error}")
            continue
        report.results_save("kpis", results)
    say(f"Wrote {report.section_write('kpis', render(results))}")
    return failed

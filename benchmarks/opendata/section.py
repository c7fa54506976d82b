"""Open-data benchmark (issue 18): regenerating every dataset over the jurisdiction (time and
peak memory, counts read through the exchange and protected), and CKAN's package_search p95
with many datasets in the catalogue. ``python -m benchmarks --section opendata [--only ...]``

Goals (the issue): the regeneration for the 1,000,000-resident jurisdiction, and
package_search p95 with 10,000 datasets. Writes the "opendata" section of docs/benchmarks.md
and benchmarks/results/opendata.json.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build
from benchmarks.harness.django_call import ask
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.report import LABELS, say
from benchmarks.harness.targets import Target

MODULE = "benchmarks.opendata.django_side"


def _target(key: str) -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database('civic_bench_opendata')}" if key == "postgres" else ""
    return Target(key, LABELS[key], run.var_dir(f"bench-opendata-{key}"), url)


def measure(key: str, sizes: dict[str, Any]) -> dict[str, Any]:
    target = _target(key)
    env = target.env()
    say(f"{key}: building the {sizes['residents']:,}-resident demo …")
    demo_build(target, residents=sizes["residents"], until=None, env=env)
    say(f"{key}: regenerating every dataset …")
    regenerated = ask(env, "regenerate", {"repeats": sizes["repeats"]}, module=MODULE, timeout=3600)
    say(
        f"  {key}: {statistics.median(regenerated['seconds']):.2f} s, "
        f"peak {regenerated['peak_mib']:.1f} MiB traced; {regenerated['outcome']}"
    )
    say(f"{key}: {sizes['datasets']:,} datasets in the catalogue, package_search …")
    seeded = ask(env, "seed", {"datasets": sizes["datasets"]}, module=MODULE, timeout=1800)
    searched = ask(
        env,
        "search",
        {"datasets": seeded["datasets"], "samples": sizes["samples"]},
        module=MODULE,
        timeout=1800,
    )
    say(f"  {key}: package_search p95 {searched['p95_ms']:.1f} ms over {seeded['datasets']:,}")
    return {"regenerate": regenerated, "search": searched, "datasets": seeded["datasets"]}


def _of(results: dict[str, Any], key: str, name: str) -> Any:
    """A database's own ``name`` (residents, machine, date): each row is measured on its own
    (``--only``), so it keeps its own; rows of older runs have only the section's."""
    return results.get(key, {}).get(name, results.get(name))


def _runs(results: dict[str, Any]) -> str:
    """Where and when each row was measured, and on how many residents."""
    said = []
    for key in ("sqlite", "postgres"):
        if results.get(key):
            said.append(
                f"{LABELS[key]}: {_of(results, key, 'machine') or '?'}, "
                f"{_of(results, key, 'date') or '?'}, a "
                f"{_of(results, key, 'residents') or 0:,}-resident demo."
            )
    return " ".join(said)


def render(results: dict[str, Any]) -> str:
    lines = [
        report.begin("opendata", "benchmarks --section opendata"),
        "## Open data: regenerating the datasets; CKAN's package_search",
        "",
        f"{_runs(results)} Regeneration: every dataset defined in "
        "code built from nothing (`datasets_regenerate`, as the nightly task runs it): the "
        "population and household counts read through the exchange's aggregate path (grouped "
        "in the database, one access-log entry each), suppressed and checked, stored as a "
        "version. package_search: its view called in-process (no HTTP) with a mix of the CKAN "
        "harvester's calls (fq on metadata_modified, sort id asc, 100 rows), a portal's (a word, "
        "an organization, three facets) and deep pages (1,000 rows past start 1,000).",
        "",
        "| Database | Residents | Regeneration, median | Peak memory (traced) | Datasets | package_search p50 / p95 | p95 harvester / portal / deep |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("sqlite", "postgres"):
        found = results.get(key)
        if not found:
            lines.append(f"| {LABELS[key]} | not measured | | | | | |")
            continue
        regenerate, search = found["regenerate"], found["search"]
        kinds = search["by_kind_p95_ms"]
        lines.append(
            f"| {LABELS[key]} | {_of(results, key, 'residents') or 0:,} | "
            f"{statistics.median(regenerate['seconds']):.2f} s | {regenerate['peak_mib']:.1f} MiB | "
            f"{found['datasets']:,} | {search['p50_ms']:.0f} / {search['p95_ms']:.0f} ms | "
            f"{kinds.get('harvester', 0):.0f} / {kinds.get('portal', 0):.0f} / "
            f"{kinds.get('deep', 0):.0f} ms |"
        )
    lines += [
        "",
        "Goals: the regeneration for the 1,000,000-resident jurisdiction, and package_search's "
        "p95 with 10,000 datasets. The counts are grouped by the database, so Python holds only "
        "the counts (a few thousand cells), whatever the population, except for one pass: when "
        "an objection or restriction in force stops the statistics purpose (one EXISTS "
        "statement asks), each resident count (three a run) first reads every resident's "
        "number to leave out those stopped; at 1,000,000 residents that pass costs about 4 s "
        "and 150 MiB a count. The demo has none in force, so the figures above are without it. "
        "The rest of the time grows with the residents the grouped statements scan and with "
        "the cells the suppression protects. "
        "Search filters and sorts in the database; a deep page renders 1,000 package dicts, "
        "which dominates its time.",
        "",
        report.end("opendata"),
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The open-data section (``sizes``: demo "residents", "datasets", "samples", "repeats")."""
    if getattr(options, "residents", None):  # --residents N: a smaller jurisdiction than 1,000,000
        sizes = {**sizes, "residents": options.residents[0]}
    results = report.results_load("opendata")
    model, count = cpu_describe()
    machine = f"{model}, {count} logical CPUs, Python {platform.python_version()}"
    failed = []
    for key in [options.only] if options.only else ["sqlite", "postgres"]:
        # per database: --only re-measures one row, and the other keeps its own size and date
        about = {
            "residents": sizes["residents"],
            "machine": machine,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
        try:
            results[key] = {**about, **measure(key, sizes)}
        except Exception as error:  # the other database's figures are still kept
            failed.append(f"{key}: {error.__class__.__name__}: {error}")
            continue
        if any(v == "failed" for v in results[key]["regenerate"]["outcome"].values()):
            failed.append(f"{key}: a dataset failed to regenerate")
        report.results_save("opendata", results)
    say(f"Wrote {report.section_write('opendata', render(results))}")
    return failed

"""Privacy benchmark: a complete access export (GDPR arts. 15 and 20) for a resident with many
cases and access-log entries. ``python -m benchmarks --section privacy [--only sqlite|postgres]``

On a demo installation, the demo resident is given 1,000 decided cases and 10,000 access-log
entries about them; the export (`civic privacy export`, the resident's download) is then made
in one process, as the command makes it: the register reads through the exchange (logged),
the cases with their timelines and decisions, the inbox and every tracker entry. Goal: under
10 s. Writes the "privacy" section of docs/benchmarks.md and benchmarks/results/privacy.json.
"""

from __future__ import annotations

import argparse
import os
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

MODULE = "benchmarks.privacy.django_side"
GOAL_S = 10.0
#: What the resident is given besides the demo's own (benchmarks.privacy.django_side.seed).
HELD = ("name_versions", "addresses", "vehicles", "businesses", "drafts", "files", "consents")
PARTS = (
    *("cases", "entries", "history", "vehicles", "businesses"),
    *("drafts", "files", "file_kib", "consents"),
)


def _target(key: str) -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database('civic_bench_privacy')}" if key == "postgres" else ""
    return Target(key, LABELS[key], run.var_dir(f"bench-privacy-{key}"), url)


def measure(key: str, sizes: dict[str, Any]) -> dict[str, Any]:
    target = _target(key)
    env = target.env(CIVIC_EXCHANGE_RATE_LIMIT="100000000")
    say(f"{key}: building the {sizes['residents']:,}-resident demo …")
    demo_build(target, residents=sizes["residents"], until=None, env=env)
    say(f"{key}: {sizes['cases']:,} cases and {sizes['entries']:,} log entries for one resident …")
    seeded = ask(env, "seed", {k: v for k, v in sizes.items() if k in PARTS}, module=MODULE)
    figures = ask(
        env,
        "measure",
        {"personal_number": seeded["personal_number"], "repeats": sizes["repeats"]},
        module=MODULE,
        timeout=1800,
    )
    median = statistics.median(figures["seconds"])
    figures["load"] = os.getloadavg()[0]
    say(
        f"  {key}: export in {median:.2f} s (median of {len(figures['seconds'])}), "
        f"{figures['bytes'] / 2**20:.1f} MiB, peak {figures['peak_mib']:.0f} MiB traced"
    )
    return {**figures, "median": median}


def render(results: dict[str, Any]) -> str:
    lines = [
        report.begin("privacy", "benchmarks --section privacy"),
        "## Privacy: a complete access export",
        "",
        f"Machine: {results.get('machine', '')}. Date: {results.get('date', '')}. The demo resident "
        f"of a {results.get('residents', 0):,}-resident demo with {results.get('cases', 0):,} decided "
        f"cases and {results.get('entries', 0):,} access-log entries about them, and the "
        f"export's other parts: {results.get('history', 0)} superseded versions of their name "
        f"and {results.get('history', 0)} earlier addresses (the registers' history), "
        f"{2 * results.get('vehicles', 0)} vehicles (half sold), "
        f"{results.get('businesses', 0)} business roles (half ended), "
        f"{results.get('drafts', 0)} unsent drafts, {results.get('files', 0)} uploaded files of "
        f"{results.get('file_kib', 0)} KiB (in the JSON as base64 with their SHA-256) and "
        f"{results.get('consents', 0)} consents; `civic.compliance.export` as "
        "`civic privacy export` runs it, in one process. The load average (1 min) as "
        f"each database's export ended: {results.get('load', '?')}.",
        "",
        "| Database | Export, median (min – max) | Size | Peak memory (traced) | Cases / log entries in it | Name versions / addresses / vehicles / businesses / drafts / files / consents | Goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key in ("sqlite", "postgres"):
        found = results.get(key)
        if not found:
            lines.append(f"| {LABELS[key]} | not measured | | | | | under {GOAL_S:.0f} s |")
            continue
        lines.append(
            f"| {LABELS[key]} | {found['median']:.2f} s ({min(found['seconds']):.2f} – "
            f"{max(found['seconds']):.2f}) | {found['bytes'] / 2**20:.1f} MiB | "
            f"{found['peak_mib']:.0f} MiB | {found['cases']:,} / {found['log_entries']:,} | "
            + " / ".join(str(found.get(k, "–")) for k in HELD)
            + f" | under {GOAL_S:.0f} s |"
        )
    lines += [
        "",
        "What it costs: one query for the cases with their public timeline lines, decisions and "
        "submissions (prefetched), one for the inbox, two for the tracker's entries (about the "
        "person; acts for someone else), the register reads through the exchange with their "
        "history (persons, income, the addresses lived at, the vehicles and businesses held or "
        "held before), each logged before release, and each file read from storage and "
        "encoded. Most of the time is building and serialising the JSON.",
        "",
        report.end("privacy"),
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The privacy section (``sizes``: demo "residents", "cases", "entries", "repeats")."""
    results = report.results_load("privacy")
    model, count = cpu_describe()
    results["machine"] = f"{model}, {count} logical CPUs, Python {platform.python_version()}"
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results.update({k: sizes[k] for k in ("residents", *PARTS) if k in sizes})
    failed = []
    for key in [options.only] if options.only else ["sqlite", "postgres"]:
        try:
            results[key] = measure(key, sizes)
        except Exception as error:  # the other database's figures are still kept
            failed.append(f"{key}: {error.__class__.__name__}: {error}")
            continue
        if results[key]["cases"] < sizes["cases"] or results[key]["log_entries"] < sizes["entries"]:
            failed.append(f"{key}: the export left out cases or log entries")
        results["load"] = ", ".join(
            f"{LABELS[k]} {results[k]['load']:.1f}"
            for k in ("sqlite", "postgres")
            if results.get(k, {}).get("load") is not None
        )
        report.results_save("privacy", results)
    say(f"Wrote {report.section_write('privacy', render(results))}")
    return failed

"""Civic's benchmarks (``make bench``): measure, then rewrite docs/benchmarks.md.

Foundation figures, on SQLite and PostgreSQL:

1. generating 100,000 residents with ten years of history (goal: under 60 s);
2. generating 1,000,000 residents: time, peak memory (must stay bounded), database size;
3. the bitemporal point query ``address_at`` at 1,000,000 residents: p50/p95/p99 (goal: p95
   under 5 ms), with the SQL alone timed next to it.

Exchange figures (issue 3), on both databases too (module ``exchange`` and its helpers):
single-subject queries per second through the server with their latency, access-log appends
and the integrator, ``civic auditlog verify`` over a 10-million-entry log, and the data tracker
among those entries.

Portal, case and rules-as-code figures (issues 4, 5 and 6) live in their own scripts, portal.py,
cases.py and proactive.py, run from here as sections of their own; so does the cost of
OpenTelemetry traces (tracing.py).

The production scale-out (a locust load test with 1, 2 and 4 web processes) and the fault tests
(a worker, the broker, the database or the web server killed mid-work; a full media disk)
are the sections ``load`` (load.py) and ``faults`` (faults.py), on PostgreSQL only.

Usage: ``benchmarks/run.py [--section foundation|exchange|portal|cases|proactive|tracing|load|faults] [--quick] [--only sqlite|postgres]
[--samples N] [--entries N]``. Without ``--section`` all sections run. ``--quick`` generates
100,000 residents only and runs the point query on those, keeping the other figures (for the
exchange: one server setting, fewer appends); a full run replaces all figures of the databases
it ran. ``--entries`` sets the size of the exchange's big log (default 10 million). Each
measurement lives in its own module (generation, point_query, exchange_*, machine, meter,
databases); report and exchange_report keep the figures and write the page. Tests never
assert timings; this is where timings go.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import exchange_report
from databases import POSTGRES_SERVER, ROOT, Target, exchange_targets, targets
from exchange import exchange_run
from exchange_load import wrk_version
from exchange_log import ENTRIES
from generation import generation_run
from machine import machine_describe
from point_query import SAMPLES, point_query_run
from report import DOC, RESULTS, doc_write, results_load, results_record, results_save

FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (100_000,)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


@dataclass(frozen=True)
class CodeState:
    """The code measured: the commit, the tree of src/ in it and the uncommitted changes to
    src/ on top. The generator and the selectors change under the figures (others commit
    while a run takes its quarter of an hour), so each run says which code it timed."""

    commit: str
    tree: str
    diff: str

    @classmethod
    def now(cls) -> CodeState:
        commit = _git("rev-parse", "HEAD")
        if not commit:
            return cls("", "", "")
        return cls(commit, _git("rev-parse", f"{commit}:src"), _git("diff", commit, "--", "src"))

    def describe(self) -> str:
        dirty = " + uncommitted changes in src/" if self.diff else ""
        return f"{self.commit[:7] or 'unknown'}{dirty}"

    def changes_since(self) -> str:
        """The files under src/ that differ from this state now ("" when none)."""
        later = CodeState.now()
        if not self.commit or (later.tree, later.diff) == (self.tree, self.diff):
            return ""
        files = _git("diff", "--name-only", self.commit, "--", "src").splitlines()
        return ", ".join(sorted(f.removeprefix("src/civic/") for f in files)) or "src/"


def _bench_target(
    target: Target, *, sizes: tuple[int, ...], samples: int, results: dict[str, Any], run: str
) -> None:
    for residents in sizes:
        _say(f"{target.label}: generating {residents:,} residents …")
        target.prepare()
        target.migrate()
        generation = generation_run(target, residents)
        database_bytes = target.size()
        generation = dataclasses.replace(generation, database_bytes=database_bytes)
        results_record(
            results,
            run=run,
            database=target.key,
            kind="generate",
            residents=residents,
            figures=generation.as_dict(),
        )
        _say(
            f"  {generation.wall_s:.1f} s wall, {generation.cpu_s:.1f} s CPU, "
            f"{generation.max_rss_mib:.0f} MiB peak, {database_bytes / 2**20:.0f} MiB on disk"
        )
    _say(f"{target.label}: point query at {sizes[-1]:,} residents ({samples:,} samples) …")
    figures = point_query_run(target, samples=samples)
    results_record(
        results,
        run=run,
        database=target.key,
        kind="point_query",
        residents=sizes[-1],
        figures=figures,
    )
    orm, sql = figures["orm_ms"], figures["sql_ms"]
    _say(
        f"  ORM p50/p95/p99 {orm['p50']:.2f}/{orm['p95']:.2f}/{orm['p99']:.2f} ms; "
        f"SQL {sql['p50']:.3f}/{sql['p95']:.3f}/{sql['p99']:.3f} ms; "
        f"found {figures['found']:,} of {figures['samples']:,}"
    )


def _foundation(options: argparse.Namespace) -> list[str]:
    """The foundation section; returns the databases that failed."""
    chosen = targets(options.only)
    postgres_url = (
        f"{POSTGRES_SERVER}/postgres" if any(t.key == "postgres" for t in chosen) else None
    )
    run = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    results = results_load()
    code = CodeState.now()
    results["runs"][run] = {
        "mode": "quick" if options.quick else "full",
        "code": code.describe(),
        "databases": [t.key for t in chosen],
        "machine": machine_describe(postgres_url=postgres_url),
    }
    sizes = QUICK_SIZES if options.quick else FULL_SIZES
    failed: list[str] = []
    for target in chosen:
        if not options.quick:  # a full run supersedes every earlier figure of its database
            results["figures"].pop(target.key, None)
        try:
            _bench_target(target, sizes=sizes, samples=options.samples, results=results, run=run)
        except Exception as error:  # report it, keep the other database's figures
            _say(f"{target.label}: FAILED: {error}")
            failed.append(target.label)
    results["runs"][run]["load_at_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    changed = code.changes_since()
    if changed:
        results["runs"][run]["code"] = f"{code.describe()}; changed during the run: {changed}"
    results_save(results)
    doc_write(results)
    _say(
        f"Wrote {DOC.relative_to(DOC.parents[1])} (figures in "
        f"{RESULTS.relative_to(RESULTS.parents[2])})."
    )
    return failed


def _exchange(options: argparse.Namespace) -> list[str]:
    """The exchange section; returns the databases that failed."""
    chosen = exchange_targets(options.only)
    postgres_url = (
        f"{POSTGRES_SERVER}/postgres" if any(t.key == "postgres" for t in chosen) else None
    )
    run = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    results = exchange_report.results_load()
    code = CodeState.now()
    results["runs"][run] = {
        "mode": "quick" if options.quick else "full",
        "code": code.describe(),
        "databases": [t.key for t in chosen],
        "machine": machine_describe(postgres_url=postgres_url),
        "load_generator": wrk_version(),
        "entries": options.entries,
    }
    failed: list[str] = []
    for target in chosen:
        results["figures"].pop(target.key, None)  # a run supersedes its database's figures
        try:
            exchange_run(
                target, results=results, run=run, quick=options.quick, entries=options.entries
            )
        except Exception as error:  # report it, keep the other database's figures
            _say(f"{target.label}: FAILED: {error}")
            failed.append(target.label)
    results["runs"][run]["load_at_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    changed = code.changes_since()
    if changed:
        results["runs"][run]["code"] = f"{code.describe()}; changed during the run: {changed}"
    exchange_report.results_save(results)
    exchange_report.doc_write(results)
    _say(
        f"Wrote the exchange section of {DOC.relative_to(DOC.parents[1])} (figures in "
        f"{exchange_report.RESULTS.relative_to(exchange_report.RESULTS.parents[2])})."
    )
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run Civic's benchmarks; write docs/benchmarks.md."
    )
    parser.add_argument(
        "--section",
        choices=["foundation", "exchange", "portal", "cases", "proactive", "tracing", "load", "faults"],
        help="one section only (default: all)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="100,000 residents only (a fast check, a few minutes)"
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    parser.add_argument(
        "--samples",
        type=int,
        default=SAMPLES,
        help=f"point queries to time per database (default {SAMPLES:,})",
    )
    parser.add_argument(
        "--entries",
        type=int,
        default=ENTRIES,
        help=f"entries of the exchange's big access log (default {ENTRIES:,})",
    )
    options = parser.parse_args(argv)

    failed: list[str] = []
    if options.section in (None, "foundation"):
        failed += _foundation(options)
    if options.section in (None, "exchange"):
        failed += [f"exchange on {label}" for label in _exchange(options)]
    if options.section in (None, "portal"):
        import portal

        portal.main(["--only", options.only] if options.only else [])
    if options.section in (None, "cases"):
        import cases

        cases.main(["--only", options.only] if options.only else [])
    if options.section in (None, "proactive"):
        import proactive

        proactive.main(
            (["--only", options.only] if options.only else [])
            + (["--quick"] if options.quick else [])
        )
    if options.section in (None, "tracing"):
        # A process of its own: it sets Django up for a demo installation of its own.
        tracing = [sys.executable, str(ROOT / "benchmarks" / "tracing.py")]
        if subprocess.run(tracing, check=False).returncode:
            failed.append("tracing")
    if options.section in (None, "load") and options.only != "sqlite":
        import load

        if load.main([]):
            failed.append("load")
    if options.section in (None, "faults") and options.only != "sqlite":
        import faults

        if faults.main([]):
            failed.append("faults")
    if failed:
        _say("Failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

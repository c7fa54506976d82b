"""The foundation section: generating the jurisdiction and the bitemporal point query, on
SQLite and PostgreSQL (docs/benchmarks.md, "Foundation")."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
from typing import Any

from benchmarks.foundation.generation import generation_run
from benchmarks.foundation.point_query import point_query_run
from benchmarks.foundation.report import doc_write, results_load, results_record, results_save
from benchmarks.harness.build import migrated
from benchmarks.harness.code_state import CodeState
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.report import doc_path, results_path
from benchmarks.harness.report import say as _say
from benchmarks.harness.targets import POSTGRES_SERVER, Target, targets


def _bench_target(
    target: Target, *, sizes: tuple[int, ...], samples: int, results: dict[str, Any], run: str
) -> None:
    for residents in sizes:
        _say(f"{target.label}: generating {residents:,} residents …")
        migrated(target, fresh=False)
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


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The foundation section; returns the databases that failed. ``sizes``: "residents"
    (the sizes generated, largest last; ``--quick`` keeps the first) and "samples"."""
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
    if sizes["skip"]:
        return []
    residents = tuple(sizes["residents"][:1] if options.quick else sizes["residents"])
    samples = options.samples or sizes["samples"]
    failed: list[str] = []
    for target in chosen:
        if not options.quick:  # a full run supersedes every earlier figure of its database
            results["figures"].pop(target.key, None)
        try:
            _bench_target(target, sizes=residents, samples=samples, results=results, run=run)
        except Exception as error:  # report it, keep the other database's figures
            _say(f"{target.label}: FAILED: {error}")
            failed.append(target.label)
    results["runs"][run]["load_at_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    changed = code.changes_since()
    if changed:
        results["runs"][run]["code"] = f"{code.describe()}; changed during the run: {changed}"
    results_save(results)
    doc_write(results)
    _say(f"Wrote {doc_path()} (figures in {results_path('foundation')}).")
    return failed

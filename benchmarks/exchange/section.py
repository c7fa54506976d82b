"""The exchange section: query rate through the server, access-log appends, the integrator,
verifying a big log and the data tracker (docs/benchmarks.md, "Exchange")."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from typing import Any

from benchmarks.exchange import report as exchange_report
from benchmarks.exchange.load import wrk_version
from benchmarks.exchange.runner import exchange_run
from benchmarks.harness.code_state import CodeState
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.report import doc_path, results_path
from benchmarks.harness.report import say as _say
from benchmarks.harness.targets import POSTGRES_SERVER, exchange_targets


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The exchange section; returns the databases that failed. ``sizes``: "entries" (of
    the big access log; ``--entries`` overrides it) and the rest passed to ``exchange_run``."""
    chosen = exchange_targets(options.only)
    entries = options.entries or sizes["entries"]
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
        "entries": entries,
    }
    failed: list[str] = []
    for target in chosen:
        results["figures"].pop(target.key, None)  # a run supersedes its database's figures
        try:
            exchange_run(
                target, results=results, run=run, quick=options.quick, entries=entries, sizes=sizes
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
    _say(f"Wrote the exchange section of {doc_path()} (figures in {results_path('exchange')}).")
    return failed

"""Every benchmark at smoke size (``python -m benchmarks --smoke``): a refactor that breaks a
benchmark breaks the build. Runs on the suite's database engine (SQLite, or PostgreSQL when
DATABASE_URL points at one), in a child process; the sections share one tiny demo build per
engine (benchmarks/harness/build.py), so the run takes a minute or two, not one build per
section. A section that runs on both engines is proved on one of them in a smoke run (the
registry's ``smoke_on``): make test's two runs, one per engine, between them run every
section once. Checks that every section registered for the engine ran and said "ok" (the load and
fault sections included: they run locust, and kill a worker and the web server, at smoke size
on PostgreSQL), that none failed and that docs/benchmarks.md and benchmarks/results/ were left
alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Sections whose measuring part cannot run at smoke size (the registry's ``smoke_skip``): in
#: a smoke run they build their data and say SKIPPED with the reason. None today: load runs
#: locust for a few seconds and checks every submission; faults kills a Celery worker and the
#: web server mid-work. Growing this set takes a reason in the registry and an edit here.
DATA_ONLY: set[str] = set()
#: Every section the registry has: one added there must run here too (and be listed).
SECTIONS = {
    "foundation",
    "exchange",
    "exchange_speed",
    "portal",
    "cases",
    "proactive",
    "rules",
    "documents",
    "documents_extraction",
    "documents_backlog",
    "insights",
    "forecast_demo",
    "kpis",
    "maturity",
    "flood_risk",
    "sensors",
    "sensors_volume",
    "advisories",
    "privacy",
    "opendata",
    "privacy_store",
    "tracing",
    "load",
    "faults",
}


def _engine() -> str:
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _recorded() -> dict[str, bytes]:
    files = [ROOT / "docs" / "benchmarks.md", *sorted((ROOT / "benchmarks" / "results").iterdir())]
    return {str(f): f.read_bytes() for f in files}


@pytest.mark.slow
def test_every_benchmark_runs_at_smoke_size(tmp_path):
    engine = _engine()
    before = _recorded()
    outcomes_file = tmp_path / "outcomes.json"
    out = str(outcomes_file)
    # As from a shell (make bench): none of the suite's database, CIVIC_ settings or pytest's
    # marker (PYTEST_VERSION makes Civic's settings skip the static files' manifest).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "PYTEST_")) and k != "DATABASE_URL"
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--only", engine, "--outcomes", out],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = done.stderr[-4000:]
    assert done.returncode == 0, summary
    assert outcomes_file.exists(), summary
    found = json.loads(outcomes_file.read_text())
    registered, outcomes = found["registered"], found["outcomes"]
    assert set(registered) == set(outcomes) == SECTIONS
    assert {name for name, s in registered.items() if s["smoke_skip"]} <= DATA_ONLY
    # Every section is proved on at least one engine; make test runs both engines' runs.
    assert all(set(s["smoke_databases"]) <= set(s["databases"]) for s in registered.values())
    assert all(s["smoke_databases"] for s in registered.values())
    for name, outcome in outcomes.items():
        if engine not in registered[name]["smoke_databases"]:
            assert outcome.startswith("SKIPPED: runs on"), (name, outcome)
        elif name in DATA_ONLY:
            assert outcome == f"SKIPPED: {registered[name]['smoke_skip']}", (name, outcome)
        else:
            assert outcome == "ok", (name, outcome, summary)
    assert _recorded() == before

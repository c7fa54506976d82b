"""A 10-million-entry access log: building it, verifying it, and the data tracker on it.

``build`` (benchmark-only) writes a valid log straight into the tables, far faster than the
integrator's batches: entries with their positions and leaf hashes (``auditlog.leaf_data``,
``merkle.leaf_hash``), the MerkleNode row of every completed subtree (``merkle.Frontier``), a
checkpoint signed every 1,000 entries (``signing.sign`` over ``signing.checkpoint_note``, as
``auditlog.checkpoint_sign`` signs) and the tree head. Rows go in with COPY on PostgreSQL and
executemany on SQLite, one transaction per chunk, with the log's secondary indexes dropped
meanwhile and rebuilt at the end (the generator's ``BulkWriter.fast_load``). The entries look
like the demo's traffic: the demo partner's lookups and searches, a confidential fraud
investigation (embargoed 180 days), caseworkers' parking permits and residents reading their
own data, over three years up to now, spread over a million subjects: the jurisdiction's
persons and people from elsewhere (random pseudonyms). Twenty living residents of the
jurisdiction get 50–200 entries each, at random positions: the data tracker is timed on them.

``track`` times ``civic.exchange.selectors.usage_page`` (the data tracker's read, 50 entries a
page) for those residents, with the query plans; ``sessions`` logs them in (a session each) so
the orchestrator can time GET /api/exchange/v1/usage through the server. Each runs as a child
process for its target and prints its figures as JSON.

The package: this module drives the children (``build_run``, ``track_run``, ``verify_run``,
``sessions_write``); ``python -m benchmarks.exchange.log ACTION`` (``__main__``) is the child,
with ``traffic`` (what the entries look like), ``build`` and ``tracker`` (the data tracker,
verify's profile, the tracked residents' sessions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.exchange.common import child_json, environment, log_counts, usage_of
from benchmarks.harness.meter import child_run
from benchmarks.harness.targets import CIVIC, ROOT, Target

ENTRIES = 10_000_000
SUBJECT_POOL = 1_000_000
TRACKED = 20
TRACKED_ENTRIES = (50, 200)
CHUNK = 100_000
CHECKPOINT_EVERY = 1_000
YEARS = 3
SEED = 20_261_130
TRACK_SAMPLES = 1_000
TRACK_BUDGET_S = 90  # sampling stops after this long (the count of samples is recorded)
PAGE = 50
PROFILE_ENTRIES = 200_000


def build_run(target: Target, *, entries: int = ENTRIES) -> dict[str, Any]:
    figures, child = child_json(
        target, "benchmarks.exchange.log", ["build", "--entries", str(entries)]
    )
    figures["process"] = usage_of(child)
    figures["database_bytes"] = target.size()
    return figures


def track_run(target: Target, *, samples: int = TRACK_SAMPLES) -> dict[str, Any]:
    figures, child = child_json(
        target, "benchmarks.exchange.log", ["track", "--samples", str(samples)]
    )
    figures["process"] = usage_of(child)
    return figures


def verify_run(target: Target) -> dict[str, Any]:
    """``civic auditlog verify`` over the whole log, timed, then profiled on a part of it."""
    child = child_run(
        [str(CIVIC), "auditlog", "verify"],
        env=environment(target),
        cwd=ROOT,
        postgres_database=target.postgres_database,
    )
    output = (child.stdout or child.stderr).strip().splitlines()
    figures: dict[str, Any] = {
        "ok": child.returncode == 0,
        "output": output[-1] if output else "",
        "entries": log_counts(target)[1],
        **usage_of(child),
    }
    profiled, _child = child_json(
        target, "benchmarks.exchange.log", ["profile-verify", "--entries", str(PROFILE_ENTRIES)]
    )
    figures["profile_top"] = profiled["top"]
    figures["profile_entries"] = profiled["entries"]
    figures["profiled_wall_s"] = profiled["profiled_wall_s"]
    return figures


def sessions_write(target: Target) -> Path:
    """A file of session ids, one per tracked resident, logged in."""
    out = target.var_dir / "tracked-sessions.txt"
    child_json(target, "benchmarks.exchange.log", ["sessions", "--out", str(out)])
    return out

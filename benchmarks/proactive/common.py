"""What the proactive benchmark's modules share: its sizes, goals and names."""

from __future__ import annotations

from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.report import LABELS, say

__all__ = ["CIVIC", "LABELS", "POSTGRES_SERVER", "ROOT", "say"]

DATABASE = "civic_bench_proactive"
FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (100_000,)
DEFAULT_CHUNK = 5_000
LARGE_CHUNK = 20_000
WARMUP = 20
DECISIONS = 300
REPEATS = 3
GOAL_OVERHEAD_S = 600.0
GOAL_DECISION_P95_MS = 50.0

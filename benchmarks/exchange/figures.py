"""The exchange's goals, and picking and formatting its figures: shared by the page
(report.py) and the notes on what limits each figure (limits.py)."""

from __future__ import annotations

from typing import Any

QUERY_RATE_GOAL = 500.0
QUERY_P95_GOAL_MS = 20.0
APPEND_GOAL = 2_000.0
VERIFY_GOAL_S = 60.0
TRACKER_GOAL_MS = 200.0


def ms(d: dict[str, float], keys: tuple[str, ...] = ("p50", "p95", "p99")) -> str:
    return " / ".join(f"{d[k]:.1f}" for k in keys) + " ms"


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


def query_runs(load: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(session, run) of every query run of a load measurement."""
    return [(s, r) for s in load["sessions"] for r in s["runs"] if r["what"] == "query"]


def best_within_goal(load: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The highest query rate among runs whose p95 met the latency goal (integrator on)."""
    within = [
        (s, r)
        for s, r in query_runs(load)
        if s["integrator"] and r["latency_ms"]["p95"] < QUERY_P95_GOAL_MS
    ]
    return max(within, key=lambda sr: sr[1]["rate"]) if within else None


def best_compared(load: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The best setting's comparison session: (session, query run, health run)."""
    compared = [
        s
        for s in load["sessions"]
        if s["integrator"] and any(r["what"] == "health" for r in s["runs"])
    ]
    session = max(
        compared, key=lambda s: next(r for r in s["runs"] if r["what"] == "query")["rate"]
    )
    query = next(r for r in session["runs"] if r["what"] == "query")
    health = next(r for r in session["runs"] if r["what"] == "health")
    return session, query, health


def backlog(session: dict[str, Any]) -> str:
    drain = session["drain"]
    if not session["integrator"]:
        return f"{drain['backlog']:,} (integrator off: left for `civic auditlog integrate`)"
    return f"{drain['backlog']:,} (drained in {drain['drain_s']:.1f} s)"

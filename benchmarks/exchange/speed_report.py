"""The exchange speed's figures: every run appended to benchmarks/results/exchange_speed.json
(a list), and the latest full-size run of each database written between the
``exchange_speed`` markers of docs/benchmarks.md (the history of runs and what changed
around it stay prose, above the markers)."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.harness import report
from benchmarks.harness.report import LABELS

NAME = "exchange_speed"


def results_load() -> list[dict[str, Any]]:
    path = report.results_path(NAME)
    return json.loads(path.read_text()) if path.exists() else []


def results_append(figures: dict[str, Any]) -> None:
    path = report.results_path(NAME)
    path.write_text(json.dumps([*results_load(), figures], indent=1, default=str) + "\n")


def render(runs: list[dict[str, Any]]) -> str:
    """The latest run of each database (a smoke run's when there is no other)."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        if "summary" in run and (not run.get("smoke") or run.get("database") not in latest):
            latest[run.get("database", "postgres")] = run
    lines = [
        report.begin(NAME),
        "### Latest run of `benchmarks --section exchange_speed`",
        "",
        "| Database (date) | Setting, connections | Probe | /health | Query: rate, p50 / p95 "
        "| Query CPU: server / PostgreSQL per request | Query ÷ /health | Query ÷ probe |",
        "|---|---|---:|---:|---|---|---:|---:|",
    ]
    for key, run in sorted(latest.items(), key=lambda item: list(LABELS).index(item[0])):
        s = run["summary"]
        q = s["query"]
        lines.append(
            f"| {LABELS[key]} ({run.get('date') or run.get('label') or '?'}{', smoke' if run.get('smoke') else ''}) "
            f"| {run['setting']}, {run['connections']} | {s['probe']['rate']:,.0f}/s "
            f"| {s['health']['rate']:,.0f}/s | {q['rate']:,.0f}/s, "
            f"{q['latency_ms']['p50']:.1f} / {q['latency_ms']['p95']:.1f} ms "
            f"| {q['server_cpu_ms']:.2f} / {q['postgres_cpu_ms']:.2f} ms "
            f"| {run['query_to_health']:.0%} | {run['query_to_probe']:.1%} |"
        )
    return "\n".join([*lines, report.end(NAME)]) + "\n"


def doc_write() -> None:
    report.say(f"Wrote {report.section_write(NAME, render(results_load()))}")

"""Field encryption's cost on the exchange's query rate, measured so that a loaded, shared
machine blurs it as little as possible.

A copy of the jurisdiction has its sensitive fields sealed (``civic privacy rotate-key``).
Two query children (child.py ``serve``) stay up side by side, one on the clear and one on
the sealed copy, on the same PostgreSQL server, both warmed up; the section then alternates
short rounds between them (clear–sealed, then sealed–clear, and so on), so that whatever
the other users of the machine do falls on both alike. Each pair of rounds gives one ratio
of the rates; the figure is the median ratio with its spread, and next to it the CPU time
per query of the exchange process and of its PostgreSQL backend, which a busy machine slows
less than it slows the wall clock. The load average is taken at every round.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import IO, Any

from benchmarks.harness.paths import ROOT

CHILD = "benchmarks.privacy_store.child"
KINDS = ("clear", "sealed")


def _load() -> float:
    return os.getloadavg()[0]


def _answer(stream: IO[str], kind: str) -> dict[str, Any]:
    line = stream.readline()
    if not line:
        raise RuntimeError(f"the {kind} query child ended early")
    return json.loads(line)


def _serve(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", CHILD, "serve", "7"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _ask(child: subprocess.Popen[str], kind: str, queries: int) -> dict[str, Any]:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(f"{queries}\n")
    child.stdin.flush()
    return _answer(child.stdout, kind)


def _end(child: subprocess.Popen[str]) -> None:
    if child.stdin and not child.stdin.closed:
        child.stdin.write("\n")
        child.stdin.close()
    try:
        child.wait(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()


def queries_run(env: dict[str, str], queries: int) -> dict[str, Any]:
    """``queries`` one-subject queries (after the warm-up) in one round: access-log entries
    for the log to hold when the retention run and ``auditlog verify`` come."""
    child = _serve(env)
    try:
        assert child.stdout is not None
        _answer(child.stdout, "logging")
        return _ask(child, "logging", queries)
    finally:
        _end(child)


def rounds_run(envs: dict[str, dict[str, str]], *, rounds: int, queries: int) -> dict[str, Any]:
    """``rounds`` pairs of ``queries``-query rounds against each copy (``envs``: the clear
    and the sealed copy's environments); every round's figures and their summary."""
    children = {kind: _serve(envs[kind]) for kind in KINDS}
    pairs: list[dict[str, Any]] = []
    open_us = None
    try:
        for kind, child in children.items():
            assert child.stdout is not None
            ready = _answer(child.stdout, kind)
            if not ready.get("ready"):
                raise RuntimeError(f"the {kind} query child did not start: {ready}")
            if kind == "sealed":
                open_us = ready["open_us"]
        for number in range(rounds):
            pair: dict[str, Any] = {"load": _load()}
            for kind in KINDS if number % 2 == 0 else KINDS[::-1]:
                pair[kind] = _ask(children[kind], kind, queries)
                if not pair[kind]["nationality_seen"]:
                    raise RuntimeError(f"the {kind} copy released no clear nationality")
            pairs.append(pair)
    finally:
        for child in children.values():
            _end(child)
    return {**summary(pairs), "open_us": open_us}


def population_run(envs: dict[str, dict[str, str]], *, repeats: int) -> dict[str, Any]:
    """The proactive read of every resident's income (child.py ``population``), ``repeats``
    times on each copy, alternating; the median of each kind and the cost of the sealed
    amounts. The two copies must release the same total, or the figure means nothing."""
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for number in range(repeats):
        for kind in KINDS if number % 2 == 0 else KINDS[::-1]:
            done = subprocess.run(
                [sys.executable, "-m", CHILD, "population"],
                env=envs[kind],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise RuntimeError(f"the {kind} population read failed:\n{done.stderr[-4000:]}")
            runs[kind].append({**json.loads(done.stdout.strip().splitlines()[-1]), "load": _load()})
    totals = {run["income_total"] for kind in KINDS for run in runs[kind]}
    if len(totals) != 1:
        raise RuntimeError(f"the clear and the sealed copy add incomes up differently: {totals}")

    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[kind])

    def work(kind: str) -> float:
        return median(kind, "cpu_s") + median(kind, "server_cpu_s")

    return {
        "runs": runs,
        "residents": runs["clear"][0]["residents"],
        "wall_s": {kind: median(kind, "wall_s") for kind in KINDS},
        "work_s": {kind: work(kind) for kind in KINDS},
        "cost": 1 - median("clear", "wall_s") / median("sealed", "wall_s"),
        "cpu_cost": 1 - work("clear") / work("sealed"),
    }


def _spread(values: list[float]) -> dict[str, float]:
    """Median, quartiles and extremes of ``values``."""
    low, _, high = (
        statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    )
    return {
        "median": statistics.median(values),
        "q1": low,
        "q3": high,
        "min": min(values),
        "max": max(values),
    }


def summary(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median and spread of the pairs' ratios and CPU times, and the pooled figures of
    all rounds (``cost``: the share of the clear rate lost when sealed, 1 − sealed/clear;
    ``cpu_cost``: the same from CPU per query, 1 − clear/sealed, process + backend)."""

    def of(kind: str, key: str) -> list[float]:
        return [p[kind][key] for p in pairs]

    def work(kind: str) -> list[float]:
        return [p[kind]["cpu_ms_per_query"] + p[kind]["server_cpu_ms_per_query"] for p in pairs]

    def pooled(kind: str, key: str) -> float:  # per query, over every round of ``kind``
        return sum(p[kind][key] * p[kind]["queries"] for p in pairs) / sum(
            p[kind]["queries"] for p in pairs
        )

    rate = {k: sum(of(k, "queries")) / sum(of(k, "wall_s")) for k in KINDS}
    cpu = {k: pooled(k, "cpu_ms_per_query") + pooled(k, "server_cpu_ms_per_query") for k in KINDS}
    return {
        "pairs": pairs,
        "rounds": len(pairs),
        "queries": pairs[0]["clear"]["queries"] if pairs else 0,
        "cost": _spread([1 - p["sealed"]["rate"] / p["clear"]["rate"] for p in pairs]),
        # CPU for one query, exchange process + backend: the cost when CPU is what limits the
        # rate (as on a saturated server), steadier than the wall rate on a shared machine.
        "cpu_cost": _spread(
            [1 - c / s for c, s in zip(work("clear"), work("sealed"), strict=True)]
        ),
        "pooled": {
            "rate": rate,
            "cost": 1 - rate["sealed"] / rate["clear"],
            "cpu_ms": cpu,
            "cpu_cost": 1 - cpu["clear"] / cpu["sealed"],
        },
        "rate": {kind: _spread(of(kind, "rate")) for kind in KINDS},
        "cpu_ms": {kind: _spread(of(kind, "cpu_ms_per_query")) for kind in KINDS},
        "server_cpu_ms": {kind: _spread(of(kind, "server_cpu_ms_per_query")) for kind in KINDS},
        "load": _spread([p["load"] for p in pairs]),
    }

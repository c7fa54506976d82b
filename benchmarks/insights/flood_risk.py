"""Flood-risk benchmark (issue 20, Build item 4): is the chance of high water calibrated, and
how much better than climatology? ``python -m benchmarks --section flood_risk``

The series are the demo city's simulated river gauges and rain gauge (sensors/simulation:
showers at random, a river answering rain through a unit hydrograph), hourly, several years
per seed. As Civic trains on its stored readings, each seed's years are split in time order:
the first half to learn, the next sixth to calibrate, the last third to score, never seen in
training. Scored: the Brier score against climatology (the base rate of the hours learnt
from), the skill score, the reliability table (pooled over seeds), and what the warnings do:
of the times the river crossed its line, how many had a chance of at least the advisory
threshold beforehand, how long before, and how many drafted warnings saw no high water.
No database: the same features and model code as `civic insights flood-risk train`.

Writes the "flood_risk" section of docs/benchmarks.md and benchmarks/results/flood_risk.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from importlib.metadata import version
from typing import Any

import numpy as np

from benchmarks.harness import report
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.report import say

FLOOD_LEVEL, HOURS_AHEAD, THRESHOLD = 2.5, 12, 0.5
SITES = (1.024, 1.032)  # the two simulated gauges (sensors/simulation/network.py)


def _gauge_series(seed: int, days: int):
    from civic.insights.flood_risk.features import features, outcome
    from civic.sensors.simulation import weather

    since = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    period = weather.period(since, since + dt.timedelta(days=days), 60)
    rain = weather.rain(period, np.random.default_rng(seed), None)
    out = []
    for index, site in enumerate(SITES):
        level = weather.river_level(period, rain, np.random.default_rng([seed, index]), site)
        x = features(level, weather.rain_gauge(rain), FLOOD_LEVEL)
        out.append((x, outcome(level, FLOOD_LEVEL, HOURS_AHEAD), level))
    return out


def _part(series, start: float, end: float):
    from civic.insights.flood_risk.features import usable

    xs, ys = [], []
    for x, y, _level in series:
        n = len(y)
        rows = slice(int(start * n), int(end * n) - HOURS_AHEAD)
        keep = usable(x[rows], y[rows])
        xs.append(x[rows][keep])
        ys.append(y[rows][keep])
    return np.vstack(xs), np.concatenate(ys)


def _warnings(series, fitted, start: float) -> dict[str, Any]:
    """What the warnings do in the scored part, with the assessment's own hysteresis (drafted
    at the threshold, withdrawn below half of it): of the high-water episodes (the river over
    its line after 12 hours or more below it), how many had a warning out before the crossing
    and how long before, and how many warnings ended with no high water at all."""
    leads, missed, false_alarms, episodes = [], 0, 0, 0
    for x, _y, level in series:
        first = int(start * len(level))
        known = ~np.isnan(x[first:]).any(axis=1)
        chance = np.zeros(len(level) - first)
        chance[known] = fitted.probabilities(x[first:][known])
        above = level[first:] > FLOOD_LEVEL
        warnings, since = [], None  # (start, end) of each warning
        for hour, value in enumerate(chance):
            if since is None and value >= THRESHOLD:
                since = hour
            elif since is not None and value < THRESHOLD / 2:
                warnings.append((since, hour))
                since = None
        if since is not None:
            warnings.append((since, len(chance)))
        episodes += len(warnings)
        false_alarms += sum(1 for a, b in warnings if not above[a : b + HOURS_AHEAD].any())
        for hour in range(HOURS_AHEAD, len(above)):
            if not above[hour] or above[hour - HOURS_AHEAD : hour].any():
                continue  # not the start of a new high-water episode
            out = [a for a, b in warnings if a < hour <= b]
            if out:
                leads.append(hour - out[0])
            else:
                missed += 1
    return {
        "crossings": len(leads) + missed,
        "warned": len(leads),
        "lead_median_hours": statistics.median(leads) if leads else None,
        "episodes": episodes,
        "false_alarms": false_alarms,
    }


def measure(sizes: dict[str, Any]) -> dict[str, Any]:
    from civic.insights.flood_risk.model import evaluate, fit

    days = int(sizes["years"] * 365)
    runs, pooled_y, pooled_p = [], [], []
    for seed in range(1, sizes["seeds"] + 1):
        series = _gauge_series(seed, days)
        learn, calibrate = _part(series, 0.0, 0.5), _part(series, 0.5, 2 / 3)
        x_score, y_score = _part(series, 2 / 3, 1.0)
        began = time.perf_counter()
        fitted = fit(*learn, *calibrate)
        trained = time.perf_counter() - began
        p = fitted.probabilities(x_score)
        began = time.perf_counter()
        for row in x_score[:200]:
            fitted.probabilities(row)
        per_assessment = (time.perf_counter() - began) / min(200, len(x_score))
        scored = evaluate(y_score, p, fitted.base_rate)
        raw = evaluate(y_score, fitted.classifier.predict_proba(x_score)[:, 1], fitted.base_rate)
        runs.append(
            {
                "seed": seed,
                **{k: v for k, v in scored.items() if k != "reliability"},
                "skill_uncalibrated": raw["skill"],
                "calibrated": fitted.calibration is not None,
                "train_seconds": trained,
                "assess_ms": per_assessment * 1000,
                "warnings": _warnings(series, fitted, 2 / 3),
                "learn_events": int(learn[1].sum()),
            }
        )
        pooled_y.append(y_score)
        pooled_p.append(p)
        say(f"  seed {seed}: skill {scored['skill']:.3f}, Brier {scored['brier']:.4f}")
    base = statistics.mean(r["base_rate"] for r in runs)
    pooled = evaluate(np.concatenate(pooled_y), np.concatenate(pooled_p), base)
    model, count = cpu_describe()
    return {
        "runs": runs,
        "reliability": pooled["reliability"],
        "sizes": sizes,
        "libraries": f"scikit-learn {version('scikit-learn')}, NumPy {version('numpy')}",
        "machine": f"{model}, {count} logical CPUs, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def render(found: dict[str, Any]) -> str:
    sizes, runs = found["sizes"], found["runs"]
    lines = [
        report.begin("flood_risk", "benchmarks --section flood_risk"),
        "## Insights: the flood-risk probabilities, calibrated (issue 20)",
        "",
        f"Machine: {found['machine']}. Date: {found['date']}. {found['libraries']}. "
        f"{sizes['seeds']} seeds of {sizes['years']} years of the simulated city's two river "
        "gauges and rain gauge, hourly; each split in time order: the first half to learn, "
        "the next sixth to calibrate (isotonic), the last third to score. The chance is of "
        f"the level going above the line ({FLOOD_LEVEL} m) within {HOURS_AHEAD} hours; "
        "climatology always says the base rate of the hours learnt from.",
        "",
        "| Seed | Scored gauge-hours | before high water | Brier | climatology | skill | "
        "skill uncalibrated | high-water episodes warned | median lead | warnings with no high water | "
        "train | one assessment |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        w = r["warnings"]
        lead = "–" if w["lead_median_hours"] is None else f"{w['lead_median_hours']:g} h"
        lines.append(
            f"| {r['seed']} | {r['hours']:,} | {r['events']:,} | {r['brier']:.4f} | "
            f"{r['brier_climatology']:.4f} | {r['skill']:.3f} | {r['skill_uncalibrated']:.3f} | "
            f"{w['warned']} of {w['crossings']} | {lead} | {w['false_alarms']} of "
            f"{w['episodes']} | {r['train_seconds']:.1f} s | {r['assess_ms']:.1f} ms |"
        )
    lines += [
        "",
        "Reliability, every seed's scored hours together (the reliability diagram's points; "
        "the public page draws the same from the model Civic trained on its own readings):",
        "",
        "| Chance forecast | Hours | Mean chance forecast | How often high water came |",
        "|---|---:|---:|---:|",
    ]
    for row in found["reliability"]:
        lines.append(
            f"| {100 * row['low']:.0f}–{100 * row['high']:.0f} % | {row['hours']:,} | "
            f"{_pct(row['forecast'])} | {_pct(row['observed'])} |"
        )
    lines += [
        "",
        "A skill of 0 is climatology, 1 a perfect forecast. What limits it: rain that has not "
        "fallen yet. A shower that starts within the next hours can still take the river over "
        "its line within 12 hours, and neither the gauges nor the rain of the last day can "
        "know it; a weather forecast as a covariate is the next step. A high-water episode is "
        "the river going over its line after 12 hours or more below it. A warning is as the "
        f"hourly assessment drafts it: out from a chance of {THRESHOLD:.0%} until the chance "
        f"falls below {THRESHOLD / 2:.0%}; an episode counts as warned when a warning was out "
        "before the hour it crossed, its lead being how many hours before. A warning with no "
        "high water while it was out or in the 12 hours after is a false alarm. These are "
        "simulated streams: the figures say the method works and "
        "is calibrated, not how a real river behaves.",
        "",
        report.end("flood_risk"),
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The flood_risk section (``sizes``: "years" per seed, "seeds")."""
    say("flood risk: training and scoring on simulated river and rain gauges …")
    found = measure(sizes)
    report.results_save("flood_risk", found)
    say(f"Wrote {report.section_write('flood_risk', render(found))}")
    return []

"""What limits each exchange figure, in words from the figures themselves (the page's
"What limits each figure" and "Goals missed")."""

from __future__ import annotations

from typing import Any

from benchmarks.exchange.figures import (
    APPEND_GOAL,
    QUERY_P95_GOAL_MS,
    QUERY_RATE_GOAL,
    TRACKER_GOAL_MS,
    VERIFY_GOAL_S,
    best_compared,
    best_within_goal,
    rate,
)
from benchmarks.harness import report
from benchmarks.harness.report import LABELS
from benchmarks.harness.report import seconds as _seconds


def _get(page: report.FiguresPage, database: str, kind: str) -> dict[str, Any] | None:
    figure: dict[str, Any] | None = page.results["figures"].get(database, {}).get(kind)
    return figure


def limits(page: report.FiguresPage) -> list[str]:
    lines: list[str] = []
    for d in page.databases:
        label = LABELS[d]
        load = _get(page, d, "load")
        if load:
            lines.append(f"- {label}, queries: " + _load_limit(d, load))
        profile = _get(page, d, "profile")
        if profile:
            lines.append(f"- {label}, a query's CPU: " + _profile_limit(profile))
        append = _get(page, d, "append")
        if append:
            lines.append(f"- {label}, appends and integrator: " + _append_limit(d, append))
        verify = _get(page, d, "verify")
        if verify:
            lines.append(f"- {label}, verify: " + _verify_limit(d, verify))
        track = _get(page, d, "track")
        if track:
            lines.append(f"- {label}, data tracker: " + _track_limit(d, track))
    return lines


def suggestions(page: report.FiguresPage) -> list[str]:
    """For each goal missed: the figure, and what the measurements say limits it."""
    items: list[str] = []
    for d in page.databases:
        items += _missed(page, d)
    if not items:
        return []
    return ["### Goals missed", "", *items, ""]


def _missed(page: report.FiguresPage, d: str) -> list[str]:
    items: list[str] = []
    load, profile = _get(page, d, "load"), _get(page, d, "profile")
    if load and d == "postgres":
        _session, run, health = best_compared(load)
        within = best_within_goal(load)
        if not within or within[1]["rate"] < QUERY_RATE_GOAL:
            per = 1000 * run["gunicorn_cpu_cores"] / run["rate"]
            server = 1000 * run["postgres_cpu_cores"] / run["rate"]
            floor = 1000 * health["gunicorn_cpu_cores"] / health["rate"]
            text = (
                f"- {LABELS[d]}, query rate ({rate(run['rate'])} against "
                f"{QUERY_RATE_GOAL:.0f}/s at p95 under {QUERY_P95_GOAL_MS:.0f} ms): each "
                f"query costs {per:.1f} ms of CPU in gunicorn and {server:.1f} ms in "
                f"PostgreSQL, so two cores serve at most about {2000 / (per + server):.0f} "
                "a second whatever the workers and threads; a trivial request (/health) "
                f"costs {floor:.1f} ms in the same server. For {QUERY_RATE_GOAL:.0f} a "
                f"second both together must stay under {2000 / QUERY_RATE_GOAL:.0f} ms, "
                "less what wrk uses"
            )
            off = [s for s in load["sessions"] if not s["integrator"]]
            if off and off[0]["runs"][0]["rate"] > 1.1 * run["rate"]:
                o = off[0]["runs"][0]
                text += (
                    f". With the integrator thread off, the same setting answered "
                    f"{rate(o['rate'])} ({1000 * o['gunicorn_cpu_cores'] / o['rate']:.1f} "
                    f"ms in gunicorn and {1000 * o['postgres_cpu_cores'] / o['rate']:.1f} "
                    "ms in PostgreSQL per query): every worker runs its own integrator, "
                    "and they take the tree head's row lock in turn each second"
                )
            if profile:
                rest = profile["share"].get(
                    "the rest: middleware, django-ninja, the view, rendering", 0
                )
                text += (
                    f". In process the query costs {profile['cpu_ms']:.1f} ms of CPU, "
                    f"{100 * rest:.0f} % of it in the framework around the view "
                    "(middleware, django-ninja's parsing and rendering)"
                )
            items.append(text + ".")
    append = _get(page, d, "append")
    if append and append["integrate"]["entries_per_s"] < APPEND_GOAL:
        i = append["integrate"]
        split = i.get("profile", {})
        total = sum(split.values()) or 1.0
        parts = ", ".join(
            f"{k} {100 * v / total:.0f} %"
            for k, v in sorted(split.items(), key=lambda kv: -kv[1])
            if v
        )
        items.append(
            f"- {LABELS[d]}, integrator ({rate(i['entries_per_s'])} against "
            f"{APPEND_GOAL:,.0f}/s): one batch's time by cProfile: {parts}."
        )
    verify = _get(page, d, "verify")
    if verify and verify["wall_s"] >= VERIFY_GOAL_S:
        items.append(
            f"- {LABELS[d]}, verify ({_seconds(verify['wall_s'])} against "
            f"{VERIFY_GOAL_S:.0f} s): " + _verify_limit(d, verify)
        )
    track = _get(page, d, "track")
    if track and track["wall_ms"]["p95"] >= TRACKER_GOAL_MS:
        items.append(
            f"- {LABELS[d]}, data tracker (p95 {track['wall_ms']['p95']:,.0f} ms "
            f"against {TRACKER_GOAL_MS:.0f} ms): " + _track_limit(d, track)
        )
    return items


def _load_limit(database: str, load: dict[str, Any]) -> str:
    session, run, health = best_compared(load)
    cores = (
        run["gunicorn_cpu_cores"]
        + run["postgres_cpu_cores"]
        + run["wrk_cpu_cores"]
        + run["other_cores"]
    )
    per_request = 1000 * run["gunicorn_cpu_cores"] / run["rate"]
    pg_per_request = 1000 * run["postgres_cpu_cores"] / run["rate"]
    text = (
        f"at the best setting ({session['setting']}) the two CPUs were {100 * cores / 2:.0f} % "
        f"busy: gunicorn {run['gunicorn_cpu_cores']:.2f} cores ({per_request:.1f} ms of CPU "
        f"per query, against {1000 * health['gunicorn_cpu_cores'] / health['rate']:.1f} ms "
        f"per health check)"
    )
    if database == "postgres":
        text += f", PostgreSQL {run['postgres_cpu_cores']:.2f} ({pg_per_request:.2f} ms per query)"
    text += f", wrk {run['wrk_cpu_cores']:.2f}, other processes {run['other_cores']:.2f}. "
    off = [s for s in load["sessions"] if not s["integrator"]]
    if off:
        rate_off = off[0]["runs"][0]["rate"]
        change = rate_off / run["rate"] - 1
        text += (
            f"With the integrator off the same setting answered {rate(rate_off)} "
            f"({100 * change:+.0f} %, other processes "
            f"{off[0]['runs'][0]['other_cores']:.2f} cores): "
        )
        text += (
            "the background integration costs that much. "
            if change > 0.05
            else "no gain, so the background integration is not what limits the rate. "
        )
    if cores > 1.8:
        text += (
            "The CPUs are the limit, and most of them go to the Python of each request in gunicorn."
        )
    else:
        text += (
            "The CPUs are not full: the requests wait"
            + (
                " for SQLite's single writer (each answer commits its log entry under the "
                "database-wide write lock)"
                if database == "sqlite"
                else " for the database (commits: a WAL flush each)"
            )
            + "."
        )
    return text


def _profile_limit(f: dict[str, Any]) -> str:
    shares = "; ".join(
        f"{label} {100 * share:.0f} %"
        for label, share in sorted(f["share"].items(), key=lambda kv: -kv[1])
    )
    return (
        f"in one process without a server (Django's test client, one thread), a "
        f"single-subject query costs {f['cpu_ms']:.1f} ms of CPU and sends "
        f"{f['queries']} statements, besides BEGIN and COMMIT. By cProfile: {shares}."
    )


def _append_limit(database: str, f: dict[str, Any]) -> str:
    w20, w1, i = f["write_20"], f["write_1"], f["integrate"]
    split = i.get("profile", {})
    total = sum(split.values()) or 1.0
    parts = ", ".join(
        f"{k} {100 * v / total:.0f} %" for k, v in sorted(split.items(), key=lambda kv: -kv[1]) if v
    )
    commit = (
        "a WAL flush per commit (synchronous_commit on)"
        if database == "postgres"
        else "a WAL append per commit (synchronous=NORMAL: no fsync)"
    )
    return (
        f"20 subjects per transaction: the process was on a CPU "
        f"{100 * w20['cpu_s'] / w20['wall_s']:.0f} % of the time (building the entries, "
        f"their pseudonyms and the insert); one subject per transaction pays "
        f"{commit} and the transaction's overhead for each entry "
        f"({w1['call_ms']['p50']:.2f} ms a call). The integrator's time in one batch: "
        f"{parts}."
    )


def _verify_limit(database: str, f: dict[str, Any]) -> str:
    per = 1e6 * f["wall_s"] / max(1, f["entries"])
    text = (
        f"{per:.1f} µs of wall time per entry; the command and its worker processes used "
        f"{f['cpu_s']:.0f} s of CPU in {f['wall_s']:.0f} s ({f['cpu_s'] / f['wall_s']:.2f} of "
        "the two cores)"
    )
    if database == "postgres" and f.get("server_cpu_s") is not None:
        text += f", the PostgreSQL server {f['server_cpu_s']:.0f} s"
    text += (
        f", other processes {f.get('other_cores', 0):.2f} cores on average: reading every "
        "row, hashing it and rebuilding the tree is CPU work, spread over both cores"
    )
    prof = f.get("profile_top")
    if prof:
        text += (
            f"; by cProfile over the first {f.get('profile_entries', 0):,} entries in one "
            "process, the most costly: " + "; ".join(prof[:5])
        )
    return text + "."


def _track_limit(database: str, f: dict[str, Any]) -> str:
    plans = " ".join(line for plan in f.get("plans", {}).values() for line in plan)
    scans = "Seq Scan" in plans or "SCAN exchange_accesslogentry" in plans.replace(
        "SCAN exchange_accesslogentry USING", ""
    )
    how = (
        "the database reads the whole log twice per call (the count and the page: no index "
        "serves the `actor` branch of the filter, see the plans below)"
        if scans
        else "an index search for the resident's entries, then a sort of the visible ones by time "
        "for the page"
    )
    return (
        f"{how}; the calling process spends {f['cpu_ms']['p50']:.1f} ms of CPU per call "
        f"(the ORM, 50 model instances, the agencies and purposes read again) of a wall "
        f"p50 of {f['wall_ms']['p50']:,.1f} ms."
    )

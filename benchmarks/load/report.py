"""The "load" section of docs/benchmarks.md, from benchmarks/results/load.json (load.py)."""

from __future__ import annotations

from typing import Any

from benchmarks.harness.report import section_write

USERS_DEFAULT = 200
GOAL_RPS = 300
GOAL_P95_MS = 200
ORDER = (
    "home",
    "catalogue",
    "service page",
    "finder search",
    "login: code page",
    "login: ask for a code",
    "login: enter the code",
    "my page: dashboard",
    "my page: cases",
    "my page: inbox",
    "apply: start (pre-filled draft)",
    "apply: step page",
    "apply: save a step",
    "apply: check answers",
    "apply: send",
    "staff: login page",
    "staff: log in (password)",
    "staff: code page",
    "staff: log in (second factor)",
    "staff: log in",
    "staff: queue",
    "staff: queue, filtered",
    "staff: case page",
    "staff: change the status",
    "staff: change the status (409: changed meanwhile)",
    "staff: change the status (400: moved on)",
    "exchange: query",
)


def _load(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values[:3])


def _others(run: dict[str, Any]) -> float:
    """CPUs kept busy by processes that are not ours (the machine is shared)."""
    ours = sum(run["cpu_s"].values()) + (run.get("postgres_cpu_s") or 0)
    return max(0.0, run.get("busy_cores", 0) - ours / (run["seconds"] or 1))


def _cell(kind: dict[str, Any] | None) -> str:
    if not kind:
        return "—"
    errors = f", **{kind['failures']} errors**" if kind["failures"] else ""
    return f"{kind['rps']:.1f}/s; {kind['p50']:.0f} / {kind['p95']:.0f} / {kind['p99']:.0f}{errors}"


def render(results: dict[str, Any], extra: str = "") -> str:
    runs = results.get("runs", {})
    keys = sorted(runs, key=lambda k: (int(k.split(",")[0]), -runs[k]["users"]))
    machine = results.get("machine", {})
    lines = [
        "<!-- load: begin (written by benchmarks/load.py; edits in here are overwritten) -->",
        "## Load: a realistic mix, with 1, 2 and 4 web processes",
        "",
        f"Machine: {machine.get('cpu', '?')}, {machine.get('memory', '?')}; "
        f"{machine.get('os', '?')}; Python {machine.get('python', '?')}, PostgreSQL "
        f"{machine.get('postgresql', '?')}. Date: {results.get('date', '?')}.",
        "",
        "What ran: `civic serve` (gunicorn, N workers × 4 threads, DEBUG off) on PostgreSQL "
        "with the 50,000-resident demo (database `load_bench`, generated once and kept), one "
        "Celery worker (2 processes) on RabbitMQ for the e-mail, events and proactive work; "
        "locust 2 (`benchmarks/load_users.py`, headless, one process) on the same two-core "
        "machine. Residents log in with the demo's one-time code (the embedded login method "
        "the demo enables: a code asked for with the personal number, read from the mail "
        "outbox, entered in the same browser session); production logs residents in through "
        "the eID provider instead, which is not part of these figures. The mix, by users: 40 % "
        "visitors browsing (home, catalogue, service pages, finder search), 35 % residents "
        "(log in, dashboard, cases, inbox, browsing, applying for a parking permit: a new "
        "pre-filled draft, three steps, check, send; logging in again now and then), 10 % "
        "caseworkers (the queue with and without filters, a case page, a status change), "
        "15 % partners (exchange API queries, HTTP Basic with the demo partner's grant). "
        "Every user sends at most one task a second; a task is one to ten requests.",
        "",
        "### Figures",
        "",
        "| Web processes | Users (offered) | Requests/s | p50 / p95 / p99 (ms) | Errors | "
        "CPU: server / PostgreSQL / Celery / locust / other engineers' (cores) | Load average before → during "
        "(min–max) | Goal |",
        "|---:|---:|---:|---|---:|---|---|---|",
    ]
    for key in keys:
        run = runs[key]
        every = run["kinds"]["all"]
        cpu = run["cpu_s"]
        wall = run["seconds"] or 1
        ok = every["rps"] >= GOAL_RPS and every["p95"] < GOAL_P95_MS and not every["failures"]
        lines.append(
            f"| {key} | {run['users']} (up to ~{run['offered_rps'] * 1.5:.0f} req/s) | "
            f"{every['rps']:.1f} | {every['p50']:.0f} / {every['p95']:.0f} / {every['p99']:.0f} | "
            f"{every['failures']} of {every['count']:,} | "
            f"{cpu.get('web', 0) / wall:.2f} / {(run.get('postgres_cpu_s') or 0) / wall:.2f} / "
            f"{cpu.get('celery', 0) / wall:.2f} / {cpu.get('locust', 0) / wall:.2f} / "
            f"{_others(run):.2f} | "
            f"{run['load_before'][0]:.2f} → {run['load_during'][0]:.2f}–{run['load_during'][1]:.2f} | "
            f"{GOAL_RPS} req/s at p95 under {GOAL_P95_MS} ms, no error: "
            f"{'✓' if ok else '✗ missed'} |"
        )
    if len(keys) > 1:
        curve_keys = [k for k in keys if "," not in k]
        base = runs[curve_keys[0]]["kinds"]["all"]["rps"] or 1
        curve = " → ".join(
            f"{runs[k]['kinds']['all']['rps']:.0f} req/s ({runs[k]['kinds']['all']['rps'] / base:.2f}×)"
            for k in curve_keys
        )
        lines += [
            "",
            f"Scaling curve at {USERS_DEFAULT} users ({' → '.join(curve_keys)} web processes): "
            f"{curve}.",
        ]
    lines += [
        "",
        "Per kind of request: requests/s; p50 / p95 / p99 in ms (errors, if any):",
        "",
        "| Kind | "
        + " | ".join(
            f"{k.split(',')[0]} proc.{',' + k.split(',')[1] if ',' in k else ''}" for k in keys
        )
        + " |",
        "|---|" + "---|" * len(keys),
    ]
    names = [n for n in ORDER if any(n in runs[k]["kinds"] for k in keys)]
    names += sorted({n for k in keys for n in runs[k]["kinds"]} - set(ORDER) - {"all"})
    for name in names:
        lines.append(
            f"| {name} | " + " | ".join(_cell(runs[k]["kinds"].get(name)) for k in keys) + " |"
        )
    lines += ["", "After each run, in the database (nothing lost, nothing twice):", ""]
    for key in keys:
        checks = runs[key].get("checks", {})
        lines.append(f"- {key} process(es): " + ", ".join(f"{k} {v}" for k, v in checks.items()))
        for failure in runs[key].get("failures", []):
            lines.append(f"  - error: {failure['name']}: {failure['error']} ({failure['count']}×)")
    lines += [
        "",
        "Each run: locust spawns its users at 20 a second, its statistics are reset when all "
        "are running, then it runs 60 s more; CPU figures are from the end of the ramp on, "
        "divided by those 60 s, from /proc for each process tree (gunicorn master and workers, "
        "the Celery worker, locust) and for the PostgreSQL backends of `load_bench`. The load "
        "average is the 1-minute figure; a run waits while it is above 1.5 (other engineers "
        "share the machine).",
    ]
    lines += _profile(results.get("profile"))
    if extra:
        lines += ["", extra.rstrip()]
    lines += ["", "<!-- load: end -->"]
    return "\n".join(lines)


def _profile(profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return []
    lines = [
        "",
        "### Where a request's time goes",
        "",
        "Each kind served in one process by Django's test client, one at a time, without "
        "network or other load (`benchmarks/load_profile.py`; medians of 40): the CPU a "
        "request costs the web process is what bounds the requests a second a core can serve.",
        "",
        "| Kind | CPU (ms) | Wall (ms) | SQL statements | SQL time (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, kind in profile["kinds"].items():
        lines.append(
            f"| {name} | {kind['cpu_ms']:.1f} | {kind['wall_ms']:.1f} | "
            f"{kind['queries']:.0f} | {kind['sql_ms']:.1f} |"
        )
    for target, found in profile.get("profiles", {}).items():
        areas = ", ".join(f"{k} {v:.0%}" for k, v in found["areas"] if v >= 0.01)
        lines += [
            "",
            f"Profile of `{target}` (cProfile over 40 requests; the time spent in each function "
            "itself, summed by where the code lives, built-ins counted for their callers): "
            f"{areas}.",
        ]
        if found.get("cumulative"):
            lines.append(
                "Largest cumulative shares among Civic's own functions: "
                + "; ".join(f"`{c['where']}` {c['share']:.0%}" for c in found["cumulative"][:6])
                + "."
            )
    return lines


def write(results: dict[str, Any]) -> None:
    section_write("load", render(results, results.get("analysis", "")))

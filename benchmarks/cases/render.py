"""The case section of docs/benchmarks.md, rendered from its figures."""

from __future__ import annotations

from typing import Any

from benchmarks.cases.section import (  # noqa: F401
    CLOSED_CASES,
    GROUPS,
    MIN_SAMPLES,
    OPEN_CASES,
    PAGES,
    PARKING_ANSWERS,
    RESIDENT_CASES,
    SAMPLE_BUDGET_S,
    SUBMISSION_THREADS,
    WARMUP,
    WARMUP_BUDGET_S,
)
from benchmarks.harness import report


def _cell(page: dict[str, Any] | None, goal: float | None, requests: int) -> str:
    if not page:
        return "not measured"
    mark = "" if goal is None else (" ✓" if page["p95"] < goal else " ✗ missed")
    fewer = f" ({page['count']} requests)" if page["count"] < requests else ""
    return f"{page['p50']:.1f} / {page['p95']:.1f} ms{mark}{fewer}"


def _queries_cell(results: dict[str, Any], key: str, name: str) -> str:
    q = results.get(key, {}).get("queries", {}).get(name)
    if not q:
        return "—"
    return f"{q['queries']}, SQL {q['sql_ms']:.0f} of {q['total_ms']:.0f} ms"


def _code_text(results: dict[str, Any]) -> str:
    parts = []
    for key, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        run = results.get(key, {})
        if run.get("code"):
            changed = run.get("code_changed_to")
            parts.append(
                f"{label} {run['code']}"
                + (f" (src/ changed while measuring; {changed} by the end)" if changed else "")
            )
    return ", ".join(parts)


def render(results: dict[str, Any]) -> str:
    lines = [
        report.begin("cases", "benchmarks --section cases"),
        "## Cases: pre-filled forms, the caseworker queue, a resident's cases, submissions",
        "",
        f"Machine: {results.get('machine', '')}. Date: {results.get('date', '')}. Code: "
        f"{_code_text(results)}. The 50,000-resident demo with the demo forms and case types, "
        "served by gunicorn (2 workers × 4 threads, DEBUG off); one request at a time on loopback, "
        f"so the time is the server's; {results.get('requests', '?')} requests per page after "
        f"{WARMUP} warm-up requests, fewer (the count is shown) for a page whose requests took "
        f"more than {SAMPLE_BUDGET_S} s in all (at least {MIN_SAMPLES}, warm-up at most "
        f"{WARMUP_BUDGET_S} s). Cases put in with `bulk_create`: {OPEN_CASES:,} open "
        f"(received, in review, waiting) and {CLOSED_CASES:,} closed for Havenstad, opened over "
        "the last 120 days, deadline at the case type's decision period; about 40% of those in "
        "review or waiting assigned to the demo caseworker. PostgreSQL is ANALYZEd after the "
        "insert (autovacuum would do it within a minute); SQLite is not (Civic never runs "
        "ANALYZE on it). Queries: counted once more per page with Django's test client in a "
        "shell: the number of queries, and their time of the whole request's time in that process.",
        "",
        "| Page | SQLite p50 / p95 | PostgreSQL p50 / p95 | Queries SQLite | Queries PostgreSQL | Goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    group = ""
    for name, (page_group, path, _who, _expected, goal) in PAGES.items():
        if page_group != group:
            group = page_group
            lines.append(f"| **{GROUPS[group]}** | | | | | |")
        cells = [
            _cell(results.get(key, {}).get("pages", {}).get(name), goal, results.get("requests", 0))
            for key in ("sqlite", "postgres")
        ]
        goal_text = f"p95 under {goal:.0f} ms" if goal else "none set"
        lines.append(
            f"| {name} (`{path}`) | {cells[0]} | {cells[1]} | "
            f"{_queries_cell(results, 'sqlite', name)} | "
            f"{_queries_cell(results, 'postgres', name)} | {goal_text} |"
        )
    lines += [
        "",
        "Sustained submissions: `POST /my/apply/parking-permit/check/`, each by another resident "
        "with a complete draft (made beforehand through `civic.forms.services`), from 2 and from 4 "
        f"client threads for {results.get('seconds', '?'):.0f} s or until the drafts ran out. Each "
        "makes the submission, the case with its first event, the PDF receipt and the inbox message "
        "(inbox only, the residents' default).",
        "",
        "| Client threads | SQLite | PostgreSQL |",
        "|---:|---|---|",
    ]
    for index, threads in enumerate(SUBMISSION_THREADS):
        cells = []
        for key in ("sqlite", "postgres"):
            runs = results.get(key, {}).get("submissions", [])
            run = runs[index] if index < len(runs) else None
            if not run:
                cells.append("not measured")
                continue
            latency = f"p50 {run['p50']:.0f} / p95 {run['p95']:.0f} ms" if "p50" in run else ""
            out = ", drafts ran out" if run["ran_out_of_drafts"] else ""
            cells.append(
                f"{run['per_second']:.1f}/s ({run['sent']} in {run['seconds']:.0f} s{out}), "
                f"{latency}, {run['errors']} errors"
            )
        lines.append(f"| {threads} | {cells[0]} | {cells[1]} |")
    verified = []
    for key, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        counts = results.get(key, {}).get("submission_counts")
        if counts:
            verified.append(
                f"{label}: {counts['submissions']} submissions, "
                f"{counts['cases opened for them']} cases, "
                f"{counts['receipts in the inbox']} receipts with their PDF"
            )
        load = results.get(key, {}).get("load_average")
        if load:
            verified.append(
                f"{label} load average before / after: {load['before']} → {load['after']}"
            )
    if verified:
        lines += [
            "",
            "Checked afterwards (all runs, warm-up included): " + "; ".join(verified) + ".",
        ]
    lines += ["", *LIMITS, "", "<!-- cases: end -->"]
    return "\n".join(lines)


#: What limits each figure: from the query counts above and cProfile through Django's test client
#: in a ``civic shell`` on the databases of the run (at 4a6e1d8; profile again when src/ moves).
LIMITS = [
    "What limits the figures (profiled at 4a6e1d8 with cProfile through Django's test client in a "
    "`civic shell`, next to the query counts above); all goals are met on both databases:",
    "",
    "- **Pre-filled form.** The fresh start is Python, not SQL (2 ms of SQL on SQLite, 20 ms on "
    "PostgreSQL for 32 queries): some 60% is `draft_start` — the exchange's authorisation, the "
    "three register reads (persons and income, then the address) and their access-log entries — "
    "and the rest is finding the form for the service (13%), loading the session's user and the "
    "resident's number (looked up twice per request) and the redirect. The step page is template rendering "
    "(7 queries, under 5 ms of SQL).",
    "- **Queue.** With the partial indexes over open cases a page is the next 51 entries of one "
    "index and totals are counted up to 10,000 (“10,000+”), so SQL is 4–28 ms; about two "
    "thirds of the rest is Django's template engine rendering the 50 rows (some 60 variable "
    "lookups and translation tags per row). A deep page still skips its offset in the index "
    "(page 50 reads 2,500 entries), so it grows with the page number.",
    "- **Backlog (no goal set).** 35 counting queries, one per age band and week: about 6 ms each "
    "on PostgreSQL; on SQLite the “decided late” count compares each closed case's local "
    "date with its deadline through Django's per-row Python function `django_datetime_cast_date` "
    "(327 of 533 ms).",
    "- **A resident's 1,000 cases.** My cases shows 25 a page with the total: the query reads and "
    "sorts all 1,000 rows matching `applicant = … OR subject = …` before the limit (6–11 ms) and "
    "counts them; the rest is rendering. The dashboard's 36 queries are mostly the resident's own "
    "data read through the exchange (each read logged), the data-use tracker and the inbox; the "
    "1,000 cases cost one 5-row query there.",
    "- **Submissions.** One submission is about 40–50 ms of CPU in the server; the PDF receipt "
    "(reportlab) is about 40% of it and rendering the inbox message another 20%, both inside the "
    "submission's transaction. Two CPU cores carry gunicorn, the database and the client: on "
    "PostgreSQL the rate is CPU-bound (4 threads add 7% throughput at twice the latency). On "
    "SQLite one writer goes at a time (the write lock is taken at BEGIN and held while the PDF is "
    "rendered), so 4 threads add nothing, and waiting writers poll with SQLite's busy back-off, "
    "which makes the p95 at 4 threads several times the p50.",
]

"""Keeps the exchange figures and writes the exchange section of docs/benchmarks.md.

Figures live in benchmarks/results/exchange.json, per database and measurement, each with the
run it came from; a run replaces what it measured. The section between the exchange markers
is rewritten from that file; the rest of the page (the foundation section) is left alone.
"""

from __future__ import annotations

from typing import Any

from benchmarks.exchange import limits
from benchmarks.exchange.figures import (
    APPEND_GOAL,
    QUERY_P95_GOAL_MS,
    QUERY_RATE_GOAL,
    TRACKER_GOAL_MS,
    VERIFY_GOAL_S,
    backlog,
    best_compared,
    best_within_goal,
    ms,
    rate,
)
from benchmarks.harness import report
from benchmarks.harness.report import LABELS
from benchmarks.harness.report import mark as _mark
from benchmarks.harness.report import seconds as _seconds
from benchmarks.harness.report import size as _bytes

NAME = "exchange"
BEGIN = report.begin(NAME, "benchmarks/run.py")
END = report.end(NAME)


# --- the figures file ------------------------------------------------------------------------


def results_load() -> dict[str, Any]:
    return report.results_load(NAME, {"runs": {}, "figures": {}})


def results_record(
    results: dict[str, Any], *, run: str, database: str, kind: str, figures: dict[str, Any]
) -> None:
    """Store one measurement and save at once (an interrupted run keeps what it finished)."""
    results["figures"].setdefault(database, {})[kind] = {**figures, "run": run}
    results_save(results)


def results_save(results: dict[str, Any]) -> None:
    used = {f["run"] for kinds in results["figures"].values() for f in kinds.values()}
    results["runs"] = {k: v for k, v in results["runs"].items() if k in used}
    report.results_save(NAME, results, indent=1, sort_keys=True)


class Section(report.FiguresPage):
    """Renders the exchange section from the figures."""

    def get(self, database: str, kind: str) -> dict[str, Any] | None:
        figure: dict[str, Any] | None = self.results["figures"].get(database, {}).get(kind)
        return figure

    def _row(self, label: str, goal: str, kind: str, cell: Any) -> str:
        cells = []
        for d in self.databases:
            f = self.get(d, kind)
            text = cell(f, d) if f else None
            cells.append((text + self._tag(f)) if text and f else "not measured")
        return f"| {label} | " + " | ".join(cells) + f" | {goal} |"

    def render(self) -> str:
        lines = [
            "## Exchange: query rate, access-log appends, verifying and the data tracker",
            "",
            "`benchmarks/run.py --section exchange` runs only this section (`--only sqlite` or "
            "`--only postgres` one database; `--entries N` a smaller log than 10 million for a "
            "quick check). Raw figures: `benchmarks/results/exchange.json`.",
            "",
            *self._machines(),
            "",
            "### Figures",
            "",
            *self.table_head(),
            *self._rows(),
            "",
            *self._settings_tables(),
            "### What limits each figure",
            "",
            *self._limits(),
            "",
            *self._suggestions(),
            *self._method(),
            "",
            *self._plans(),
        ]
        return "\n".join(lines).rstrip() + "\n"

    def _machines(self) -> list[str]:
        return super()._machines(
            tools="load_generator",
            shared="The load generator runs on the same two CPUs as the server and the "
            "database, and the machine is shared with another engineer's work (test runs): each "
            "run below records the CPUs that gunicorn, PostgreSQL, wrk and other processes kept "
            "busy.",
        )

    def _rows(self) -> list[str]:
        def query_best(f: dict[str, Any], _d: str) -> str:
            session, run, _health = best_compared(f)
            ok = run["rate"] >= QUERY_RATE_GOAL and run["latency_ms"]["p95"] < QUERY_P95_GOAL_MS
            return (
                f"{rate(run['rate'])}, p50 / p95 / p99 {ms(run['latency_ms'])} "
                f"{_mark(ok)} ({session['setting']}, {run['connections']} connections)"
            )

        def query_within(f: dict[str, Any], _d: str) -> str:
            best = best_within_goal(f)
            if not best:
                return f"none had p95 under {QUERY_P95_GOAL_MS:.0f} ms ✗ missed"
            session, run = best
            ok = run["rate"] >= QUERY_RATE_GOAL
            return (
                f"{rate(run['rate'])} at p95 {run['latency_ms']['p95']:.1f} ms {_mark(ok)} "
                f"({session['setting']}, {run['connections']} connections)"
            )

        def health(f: dict[str, Any], _d: str) -> str:
            _s, run, h = best_compared(f)
            return (
                f"{rate(h['rate'])}, p50 / p95 {ms(h['latency_ms'], ('p50', 'p95'))}; "
                f"queries at {100 * run['rate'] / h['rate']:.0f} % of its rate"
            )

        def logged(f: dict[str, Any], _d: str) -> str:
            # The entry is committed before the answer leaves, so a run that stops while answers
            # are on their way has more entries than answers received: never fewer.
            ok = f["entries_added"] >= f["answered_200"]
            extra = f["entries_added"] - f["answered_200"]
            note = f.get("note") or (
                f"{extra:,} answers were still on their way when the load stopped; their entries "
                "were committed first"
                if extra > 0
                else ""
            )
            return (
                f"{f['entries_added']:,} entries for {f['answered_200']:,} answers "
                f"{_mark(ok)}" + (f" ({note})" if note else "")
            )

        def verified(f: dict[str, Any], _d: str) -> str:
            v = f["verify"]
            return f"{'passes' if v['ok'] else 'FAILS'} {_mark(v['ok'])} ({v['output']})"

        def append(key: str, goal: bool) -> Any:
            def cell(f: dict[str, Any], _d: str) -> str:
                x = f[key]
                text = (
                    f"{rate(x['entries_per_s'])} (a call: p50 {x['call_ms']['p50']:.2f} ms, "
                    f"p95 {x['call_ms']['p95']:.2f} ms)"
                )
                return text + (f" {_mark(x['entries_per_s'] >= APPEND_GOAL)}" if goal else "")

            return cell

        def integrate(f: dict[str, Any], _d: str) -> str:
            x = f["integrate"]
            return (
                f"{rate(x['entries_per_s'])} ({x['entries']:,} entries, "
                f"{x['checkpoints']:,} checkpoints signed) {_mark(x['entries_per_s'] >= APPEND_GOAL)}"
            )

        def build(f: dict[str, Any], _d: str) -> str:
            return (
                f"{_seconds(f['wall_s'])} ({f['entries']:,} entries, {f['checkpoints']:,} "
                f"checkpoints, {f['subjects']:,} subjects; database {_bytes(f['database_bytes'])})"
            )

        def verify(f: dict[str, Any], _d: str) -> str:
            ok = f["ok"] and f["wall_s"] < VERIFY_GOAL_S
            return (
                f"{_seconds(f['wall_s'])}, peak {f['max_rss_mib']:.0f} MiB {_mark(ok)} "
                f"({f['output']})"
            )

        def tracker(f: dict[str, Any], _d: str) -> str:
            ok = f["wall_ms"]["p95"] < TRACKER_GOAL_MS
            return (
                f"{ms(f['wall_ms'])} {_mark(ok)} ({f['samples']:,} calls); first call per "
                f"resident p95 {f['first_ms'].get('p95', 0):.1f} ms"
            )

        def tracker_http(f: dict[str, Any], _d: str) -> str:
            u = f["usage"]
            ok = u["latency_ms"]["p95"] < TRACKER_GOAL_MS
            return f"{ms(u['latency_ms'])} {_mark(ok)} ({u['ok']:,} requests, 1 connection)"

        def query_10m(f: dict[str, Any], _d: str) -> str:
            q = f["query"]
            return (
                f"{rate(q['rate'])}, p50 / p95 / p99 {ms(q['latency_ms'])} "
                f"({f['setting']}, {q['connections']} connections)"
            )

        def tracked(f: dict[str, Any], _d: str) -> str:
            each = f["entries_each"]
            return (
                f"{len(each)} residents with {min(each)}–{max(each)} entries each "
                f"({min(f['visible_each'])}–{max(f['visible_each'])} visible today)"
            )

        rate_goal = (
            f"≥ {QUERY_RATE_GOAL:.0f}/s at p95 under {QUERY_P95_GOAL_MS:.0f} ms "
            "(PostgreSQL, 2 cores)"
        )
        return [
            self._row(
                "Single-subject queries, POST /api/exchange/v1/persons/query, the best "
                "setting at the comparison concurrency",
                rate_goal,
                "load",
                query_best,
            ),
            self._row(
                f"… the highest rate of any run whose p95 was under {QUERY_P95_GOAL_MS:.0f} ms",
                rate_goal,
                "load",
                query_within,
            ),
            self._row(
                "… GET /health on the same server and concurrency (rate, latency) and the ratio",
                "—",
                "load",
                health,
            ),
            self._row(
                "… access-log entries added ≥ successful answers (200s in the server's request log)",
                "every release logged",
                "load",
                logged,
            ),
            self._row("… `civic auditlog verify` after the load", "passes", "load", verified),
            self._row(
                "Log appends: `log_entries_write`, 20 subjects per transaction",
                f"≥ {APPEND_GOAL:,.0f} entries/s",
                "append",
                append("write_20", True),
            ),
            self._row(
                "… one subject per transaction (a commit per entry)",
                "—",
                "append",
                append("write_1", False),
            ),
            self._row(
                "… `register_query` in process, 20 subjects (reads included)",
                "—",
                "append",
                append("register_query_20", False),
            ),
            self._row(
                "Integrator: `auditlog.integrate` (tree, nodes, a signed checkpoint per 1,000)",
                f"≥ {APPEND_GOAL:,.0f} entries/s",
                "append",
                integrate,
            ),
            self._row(
                "Building the 10-million-entry log (benchmark-only bulk builder)",
                "—",
                "build",
                build,
            ),
            self._row(
                "`civic auditlog verify` over the 10-million-entry log (wall, peak memory)",
                f"under {VERIFY_GOAL_S:.0f} s",
                "verify",
                verify,
            ),
            self._row(
                "Data tracker `usage_page` (50 a page) among 10 million entries, p50 / p95 / p99",
                f"p95 under {TRACKER_GOAL_MS:.0f} ms",
                "track",
                tracker,
            ),
            self._row("… the residents timed", "50–200 entries each", "track", tracked),
            self._row(
                "… GET /api/exchange/v1/usage through the server, logged in as them",
                f"p95 under {TRACKER_GOAL_MS:.0f} ms",
                "at_10m",
                tracker_http,
            ),
            self._row(
                "Single-subject queries with the 10-million-entry log in place",
                "—",
                "at_10m",
                query_10m,
            ),
        ]

    def _settings_tables(self) -> list[str]:
        lines: list[str] = []
        for d in self.databases:
            load = self.get(d, "load")
            if not load:
                continue
            lines += [
                f"Server settings and concurrencies tried on {LABELS[d]} ({load['duration_s']} s "
                f"each after a {load['warmup_s']} s warm-up; CPU cores kept busy during the run):",
                "",
                "| Setting | Request | Connections | Rate | p50 / p95 / p99 | gunicorn | "
                "PostgreSQL | wrk | other | integrator backlog at the end |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for session in load["sessions"]:
                for r in session["runs"]:
                    lines.append(
                        f"| {session['setting']} | {r['what']} | {r['connections']} | "
                        f"{rate(r['rate'])} | {ms(r['latency_ms'])} | "
                        f"{r['gunicorn_cpu_cores']:.2f} | {r['postgres_cpu_cores']:.2f} | "
                        f"{r['wrk_cpu_cores']:.2f} | {r['other_cores']:.2f} | "
                        f"{backlog(session)} |"
                    )
            lines.append("")
        return lines

    def _limits(self) -> list[str]:
        return limits.limits(self)

    def _suggestions(self) -> list[str]:
        """For each goal missed: the figure, and what the measurements say limits it."""
        return limits.suggestions(self)

    def _method(self) -> list[str]:
        return [
            "How it is measured: a fresh database per run (`civic migrate -v0`, `civic "
            "jurisdiction generate --residents 50000 --seed 1 --until 2026-11-30 --quiet`, "
            "`civic demo --no-serve`), `CIVIC_DEBUG=false`, `CIVIC_EXCHANGE_RATE_LIMIT`, "
            "`CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE` and `_PER_DAY` at 100000000, the access log and the embedded integrator on as by default. The server "
            "is `civic serve --bind 127.0.0.1:8100` (gunicorn, gthread workers, its request log "
            "to a file) with `CIVIC_WEB_WORKERS`/`CIVIC_WEB_THREADS` as in the table. The load "
            "generator is wrk (closed loop: each connection sends its next request when the "
            "answer arrives, one wrk thread) with a Lua script that POSTs, per request, one of "
            "5,000 random living residents with the fields identity.given_names, "
            "identity.birth_date and residence.address for child-benefit-assessment, with the "
            "demo partner's HTTP Basic credentials. Appends, the integrator, the builder and "
            "the tracker run in one Django process each (`benchmarks/exchange_append.py`, "
            "`benchmarks/exchange_log.py`). The 10-million-entry log replaces the log of the "
            "load test (it is truncated first); the data tracker, `civic auditlog verify` and "
            "the last query run use it.",
        ]

    def _plans(self) -> list[str]:
        lines: list[str] = []
        for d in self.databases:
            track = self.get(d, "track")
            if not track:
                continue
            for name, plan in track.get("plans", {}).items():
                if plan and not name.endswith("_sql"):
                    lines += [
                        f"Data tracker, the {name} query on {LABELS[d]} (one tracked "
                        "resident among 10 million entries):",
                        "",
                        "```",
                        *plan,
                        "```",
                        "",
                    ]
        return lines


def doc_write(results: dict[str, Any]) -> None:
    """Rewrite the exchange section of docs/benchmarks.md."""
    report.section_write(NAME, f"{BEGIN}\n{Section(results).render()}{END}\n")

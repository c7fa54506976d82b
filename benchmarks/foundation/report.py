"""Keeps the figures and writes the foundation section of docs/benchmarks.md.

Figures are kept in benchmarks/results/foundation.json, per database and size, each with the
run it came from; a run replaces only what it measured, so ``--only postgres`` or ``--quick``
keep the other figures (labelled with their run). The section between the markers in
docs/benchmarks.md is rewritten from that file on every run; the rest of the document is left
alone.
"""

from __future__ import annotations

from typing import Any

from benchmarks.foundation.generation import command
from benchmarks.harness import report
from benchmarks.harness.report import LABELS
from benchmarks.harness.report import mark as _mark
from benchmarks.harness.report import seconds as _seconds
from benchmarks.harness.report import size as _bytes

NAME = "foundation"
BEGIN = report.begin(NAME, "benchmarks/run.py")
END = report.end(NAME)

GENERATION_GOAL_S = 60.0
GENERATION_GOAL_RESIDENTS = 100_000
MEMORY_GROWTH_LIMIT = 2.0  # the largest size may need at most twice the smallest's peak
POINT_QUERY_GOAL_MS = 5.0


# --- the figures file --------------------------------------------------------------------


def results_load() -> dict[str, Any]:
    return report.results_load(NAME, {"runs": {}, "figures": {}})


def results_record(
    results: dict[str, Any],
    *,
    run: str,
    database: str,
    kind: str,
    residents: int,
    figures: dict[str, Any],
) -> None:
    """Store one measurement (``kind`` is "generate" or "point_query") and save at once,
    so that an interrupted run keeps what it finished."""
    slot = results["figures"].setdefault(database, {}).setdefault(kind, {})
    slot[str(residents)] = {**figures, "run": run}
    results_save(results)


def results_save(results: dict[str, Any]) -> None:
    used = {
        figure["run"]
        for kinds in results["figures"].values()
        for sizes in kinds.values()
        for figure in sizes.values()
    }
    results["runs"] = {key: value for key, value in results["runs"].items() if key in used}
    report.results_save(NAME, results, indent=1, sort_keys=True)


# --- formatting --------------------------------------------------------------------------


def _count(residents: int | str) -> str:
    return f"{int(residents):,}"


class Section(report.FiguresPage):
    """Renders the foundation section from the figures."""

    def figures_of(self, database: str) -> list[dict[str, Any]]:
        kinds = self.results["figures"].get(database, {})
        return [figure for sizes in kinds.values() for figure in sizes.values()]

    def _get(self, database: str, kind: str, residents: int) -> dict[str, Any] | None:
        figure: dict[str, Any] | None = (
            self.results["figures"].get(database, {}).get(kind, {}).get(str(residents))
        )
        return figure

    def _sizes(self, kind: str) -> list[int]:
        return sorted(
            {int(size) for d in self.databases for size in self.results["figures"][d].get(kind, {})}
        )

    def _row(self, label: str, goal: str, cell: Any) -> str:
        cells = [cell(d) for d in self.databases]
        return f"| {label} | " + " | ".join(c or "not measured" for c in cells) + f" | {goal} |"

    def render(self) -> str:
        lines = [
            "## Foundation: generating the jurisdiction, and the bitemporal point query",
            "",
            *self._machines(),
            "",
            "### Figures",
            "",
            *self.table_head(),
            *self._generation_rows(),
            *self._point_query_rows(),
            "",
            "### What limits each figure",
            "",
            *self._limits(),
            "",
            *self._plans(),
        ]
        return "\n".join(lines).rstrip() + "\n"

    def _machines(self) -> list[str]:
        return super()._machines(
            shared="The machine is shared: another engineer works on it meanwhile (editors, "
            "test runs), so the figures include contention for its CPUs. Each measurement "
            "records how many CPUs other processes kept busy on average (below)."
        )

    def _generation_rows(self) -> list[str]:
        rows = []
        for size in self._sizes("generate"):

            def wall(d: str, size: int = size) -> str | None:
                figure = self._get(d, "generate", size)
                if not figure:
                    return None
                text = _seconds(figure["wall_s"])
                if size == GENERATION_GOAL_RESIDENTS:
                    text += f" {_mark(figure['wall_s'] < GENERATION_GOAL_S)}"
                return text + self._tag(figure)

            goal = (
                f"under {GENERATION_GOAL_S:.0f} s"
                if size == GENERATION_GOAL_RESIDENTS
                else "works, in bounded memory"
            )
            rows.append(
                self._row(
                    f"Generate {_count(size)} residents with ten years of history (wall time)",
                    goal,
                    wall,
                )
            )
        sizes = self._sizes("generate")
        rows.append(
            self._row(
                "Peak memory of the generator (max RSS), "
                + " → ".join(_count(s) for s in sizes)
                + " residents",
                f"bounded: ten times the residents at most {MEMORY_GROWTH_LIMIT:.0f}× the memory",
                self._memory,
            )
        )
        if sizes:
            largest = sizes[-1]

            def size_cell(d: str) -> str | None:
                figure = self._get(d, "generate", largest)
                if not figure or not figure.get("database_bytes"):
                    return None
                text = _bytes(figure["database_bytes"])
                if figure.get("wal_bytes"):
                    text += f" (WAL up to {_bytes(figure['wal_bytes'])} while loading)"
                return text + self._tag(figure)

            rows.append(self._row(f"Database size at {_count(largest)} residents", "—", size_cell))
        return rows

    def _memory(self, database: str) -> str | None:
        figures = [self._get(database, "generate", s) for s in self._sizes("generate")]
        present = [f for f in figures if f]
        if not present:
            return None
        text = " → ".join(f"{f['max_rss_mib']:.0f} MiB" for f in present)
        if len(present) > 1:
            growth = present[-1]["max_rss_mib"] / present[0]["max_rss_mib"]
            text += f" (×{growth:.2f}) {_mark(growth <= MEMORY_GROWTH_LIMIT)}"
        return text + "".join(dict.fromkeys(self._tag(f) for f in present))

    def _memory_limit(self) -> str:
        parts, flat = [], True
        for d in self.databases:
            figures = [self._get(d, "generate", s) for s in self._sizes("generate")]
            steady = [f["median_rss_mib"] for f in figures if f and f.get("median_rss_mib")]
            if steady:
                parts.append(f"{LABELS[d]} " + " → ".join(f"{x:.0f}" for x in steady) + " MiB")
                flat = flat and max(steady) <= 1.25 * min(steady)
        if not parts:
            return "no memory samples."
        trend = "stays about the same at every size" if flat else "grows with the size too"
        return (
            "the generator streams residents in chunks of 20,000, so the rows written do not "
            "accumulate; but it lays out the map of all homes (about 0.57 per resident) before "
            "the first chunk and keeps it, with a few arrays over all homes, for the whole run. "
            f"So its median memory over a run {trend} ({'; '.join(parts)}) and the peak is the "
            "chunk's working set on top of the map. PostgreSQL's own memory (a separate "
            "server) is not in the figure; on SQLite the page cache is in the generator process."
        )

    def _point_query_rows(self) -> list[str]:
        rows = []
        for size in self._sizes("point_query"):

            def orm(d: str, size: int = size) -> str | None:
                f = self._get(d, "point_query", size)
                if not f:
                    return None
                ms = f["orm_ms"]
                ok = ms["p95"] < POINT_QUERY_GOAL_MS
                return (
                    f"{ms['p50']:.2f} / {ms['p95']:.2f} / {ms['p99']:.2f} ms {_mark(ok)}"
                    + self._tag(f)
                )

            def sql(d: str, size: int = size) -> str | None:
                f = self._get(d, "point_query", size)
                if not f:
                    return None
                ms = f["sql_ms"]
                return f"{ms['p50']:.3f} / {ms['p95']:.3f} / {ms['p99']:.3f} ms" + self._tag(f)

            def cpu(d: str, size: int = size) -> str | None:
                f = self._get(d, "point_query", size)
                if not f or "orm_cpu_ms" not in f:
                    return None
                ms = f["orm_cpu_ms"]
                return f"{ms['p50']:.2f} / {ms['p95']:.2f} / {ms['p99']:.2f} ms" + self._tag(f)

            def found(d: str, size: int = size) -> str | None:
                f = self._get(d, "point_query", size)
                if not f:
                    return None
                text = (
                    f"{f['found']:,} of {f['samples']:,} ({100 * f['found'] / f['samples']:.0f} %)"
                )
                every = [self._get(x, "point_query", size) for x in self.databases]
                if len(every) > 1 and all(every):
                    text += " " + _mark(len({(x["found"], x["samples"]) for x in every if x}) == 1)
                return text + self._tag(f)

            rows += [
                self._row(
                    f"Point query `address_at` at {_count(size)} residents, p50 / p95 / "
                    "p99 (Django ORM, what callers get)",
                    f"p95 under {POINT_QUERY_GOAL_MS:.0f} ms",
                    orm,
                ),
                self._row(
                    "… CPU time of the calling process per call, p50 / p95 / p99 "
                    "(leaves out waiting for a CPU or the server)",
                    "—",
                    cpu,
                ),
                self._row(
                    "… the same SQL on the driver's cursor, p50 / p95 / p99 (database only)",
                    "—",
                    sql,
                ),
                self._row(
                    "… queries that found an address (sanity: random persons, dates "
                    "and knowledge times)",
                    "same on both databases",
                    found,
                ),
            ]
        return rows

    def _limits(self) -> list[str]:
        lines: list[str] = []
        for d in self.databases:
            label = LABELS[d]
            for size in self._sizes("generate"):
                f = self._get(d, "generate", size)
                if f:
                    lines.append(
                        f"- {label}, generating {_count(size)}: " + _generation_limit(d, f)
                    )
            for size in self._sizes("point_query"):
                f = self._get(d, "point_query", size)
                if f:
                    lines.append(
                        f"- {label}, point query at {_count(size)}: " + _point_query_limit(d, f)
                    )
        lines += [
            "- Peak memory: " + self._memory_limit(),
            "- Database size: rows × row width plus the indexes, which the generator drops "
            "while loading and rebuilds at the end. On SQLite the whole load is one "
            "transaction, so the write-ahead log holds it until the commit's checkpoint (its "
            "largest size is in brackets): the disk needs room for both meanwhile.",
            "",
            f"Command measured: `{' '.join(command('N', program='civic'))}` "
            "after `civic migrate -v0`, with `CIVIC_VAR_DIR` under var/ and `DATABASE_URL` empty "
            "(SQLite, a fresh file per generation) or the `civic_bench` PostgreSQL database "
            "(`--replace` truncates). Peak memory is the child's own `ru_maxrss` (`os.wait4`). "
            "The point query runs in one Django process with `CIVIC_DEBUG=false`, on random "
            "persons (by random id, dead and departed included), random `valid_at` days in "
            "the ten-year history and random `known_at` moments (UTC) in the same window, "
            "after a warm-up on other persons; the SQL figure times the statements the ORM "
            "sends (checked to be identical) on the driver's cursor, fetching the row.",
        ]
        return lines

    def _plans(self) -> list[str]:
        lines: list[str] = []
        for d in self.databases:
            for size in self._sizes("point_query"):
                f = self._get(d, "point_query", size)
                if f and f.get("plan"):
                    lines += [
                        f"Query plan on {LABELS[d]} at {_count(size)} residents "
                        f"({f.get('plan_of', '')}):",
                        "",
                        "```",
                        *f["plan"],
                        "```",
                        "",
                    ]
        return lines


def _generation_limit(database: str, f: dict[str, Any]) -> str:
    wall, cpu = f["wall_s"], f["cpu_s"]
    server = f.get("server_cpu_s")
    other = f.get("other_cores", 0.0)
    share = 100 * cpu / wall
    if database == "sqlite":
        text = (
            f"the generator process was on a CPU {share:.0f} % of the wall time ({cpu:.0f} s "
            f"of {wall:.0f} s): one core running NumPy generation, the conversion of values "
            "to Python objects and SQLite's inserts and index rebuilds, all in one process "
            "(SQLite has no server to share the work with)"
        )
    else:
        text = (
            f"generator process {cpu:.0f} s CPU, PostgreSQL server {server or 0:.0f} s CPU, "
            f"in {wall:.0f} s wall: the client builds rows and streams them with COPY while "
            "the server parses them, then rebuilds the indexes and foreign keys and runs "
            "ANALYZE; client and server overlap only while rows stream"
        )
    text += (
        f"; other processes kept {other:.2f} CPUs busy on average, I/O wait "
        f"{f.get('iowait_cores', 0):.2f}, steal {f.get('steal_cores', 0):.2f}."
    )
    return text


def _plan_timings(plan: list[str]) -> tuple[float, float] | None:
    """Planning and execution time from an EXPLAIN ANALYZE text, in milliseconds."""
    found: dict[str, float] = {}
    for line in plan:
        for key in ("Planning Time:", "Execution Time:"):
            if line.strip().startswith(key):
                found[key] = float(line.split(":")[1].split()[0])
    if len(found) < 2:
        return None
    return found["Planning Time:"], found["Execution Time:"]


def _point_query_limit(database: str, f: dict[str, Any]) -> str:
    orm, sql = f["orm_ms"], f["sql_ms"]
    cpu = f.get("orm_cpu_ms", {})
    share = 100 * (orm["p50"] - sql["p50"]) / orm["p50"] if orm["p50"] else 0
    dominant = "the ORM dominates" if share >= 50 else "the database dominates"
    text = (
        f"{dominant}: of the median {orm['p50']:.2f} ms, the SQL on the driver's cursor "
        f"takes {sql['p50']:.3f} ms; the other {share:.0f} % is Django building the "
        "queryset, compiling it to SQL and making two model instances"
    )
    if cpu:
        text += (
            f" (CPU time of the calling process per call: p50 {cpu['p50']:.2f} ms, "
            f"p95 {cpu['p95']:.2f} ms)"
        )
    text += ". The database part follows the plan below"
    if database == "postgres":
        text += (
            "; on PostgreSQL it is also a round trip to the server, which plans every "
            "statement anew because Django binds parameters on the client and prepares "
            "nothing"
        )
        timings = _plan_timings(f.get("plan", []))
        if timings:
            text += (
                f" (in the plan below: planning {timings[0]:.3f} ms, execution {timings[1]:.3f} ms)"
            )
    waiting = "for the server and for a CPU" if database == "postgres" else "for a CPU"
    text += (
        f". Between CPU p95 and wall p95 ({orm['p95']:.2f} ms) lies waiting, {waiting}; "
        f"other processes kept {f.get('other_cores', 0):.2f} CPUs busy on average during "
        f"the measurement (steal {f.get('steal_cores', 0):.2f})."
    )
    return text


def doc_write(results: dict[str, Any]) -> None:
    """Rewrite the foundation section of docs/benchmarks.md."""
    report.section_write(NAME, f"{BEGIN}\n{Section(results).render()}{END}\n")

"""The privacy-store section's part of docs/benchmarks.md, from
benchmarks/results/privacy_store.json: ``{"machine", "retention": {residents: figures},
"encryption": figures}``, every figure with the load average it was measured under."""

from __future__ import annotations

from typing import Any

from benchmarks.harness.report import begin, end, mark, seconds

NAME = "privacy_store"
GOAL_COST = 0.10  # field encryption may cost the query rate at most 10 %


def results_upgrade(results: dict[str, Any]) -> dict[str, Any]:
    """The figures file as this code writes it; the first runs' (``"figures"`` by size, one
    load for the run) become retention figures, their encryption rounds (three, not
    alternated pairwise) are left out: too few and too noisy to stand beside the new ones."""
    results.setdefault("retention", {})
    old = results.pop("figures", None) or {}
    load = (
        str(results.pop("machine_load", "")) or str(results.get("machine", "")).split("load ")[-1]
    )
    for size, f in old.items():
        results["retention"].setdefault(
            size,
            {
                "residents": f["residents"],
                "load_before": load.replace(" at the start", ""),
                "load_after": "?",
                "wall_s": f["retention_wall_s"],
                "cpu_s": f["retention_cpu_s"],
                "rss_mib": f["retention_rss_mib"],
                "server_cpu_s": f["retention_server_cpu_s"],
                "rules": f["retention_rules"],
                "said": f["retention_said"],
                "verify_said": f["verify_said"],
                "run": results.get("run", "?"),
                "machine": str(results.get("machine", "?")).split(", load ")[0],
            },
        )
    results.pop("run", None)
    return results


def _cpu_of(machine: str) -> str:
    """The processor of a figure's machine, short (the page's head names the whole machine)."""
    return machine.split(",")[0].replace("(R)", "").replace(" Processor", "")


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _retention(results: dict[str, Any]) -> list[str]:
    lines = [
        "### Retention run",
        "",
        "A copy of a generated jurisdiction (kept as a seed database, `civic jurisdiction "
        "generate --seed 1 --until 2026-11-30`), its access log integrated, then `civic privacy "
        "retention` (wall time; CPU of the command and of the PostgreSQL backends serving it; "
        "peak memory: the command's own max RSS) and `civic auditlog verify` after it.",
        "",
        "| Residents | Retention run (wall) | CPU: command / PostgreSQL | Peak memory | "
        "Removed or anonymised | Log verifies after | Load (1 min) before / after | Run, CPU |",
        "| ---: | ---: | ---: | ---: | --- | --- | --- | --- |",
    ]
    figures = sorted(results["retention"].values(), key=lambda f: f["residents"])
    for f in figures:
        server = f.get("server_cpu_s")
        lines.append(
            f"| {f['residents']:,} | {seconds(f['wall_s'])} | {f['cpu_s']:.1f} s / "
            f"{'?' if server is None else f'{server:.1f} s'} | {f['rss_mib']:.0f} MiB | "
            f"{f['said'].split(': ', 1)[-1]} | {f['verify_said']} | "
            f"{f['load_before'].split(' / ')[0]} / {str(f['load_after']).split(' / ')[0]} | "
            f"{f['run']}, {_cpu_of(f.get('machine', '?'))} |"
        )
    lines.append("")
    for f in figures:
        seed = f.get("seed", {})
        made = (
            ""
            if not seed
            else " (seed reused)"
            if seed.get("reused")
            else f" (seed generated in {seconds(seed.get('generate_s', 0))})"
        )
        lines += [f"What each rule did at {f['residents']:,} residents{made}:", ""]
        lines += [f"    {rule}" for rule in f["rules"]] + [""]
    return lines


def _range(spread: dict[str, float], fmt: str = "{:.1%}") -> str:
    """The quartiles, then the extremes, of a spread."""
    q = " – ".join(fmt.format(spread[k]) for k in ("q1", "q3"))
    return f"{q} ({' – '.join(fmt.format(spread[k]) for k in ('min', 'max'))})"


def _open_line(e: dict[str, Any]) -> list[str]:
    """The price of opening one value, against the clear query's CPU: the cost the rounds
    should show, were the machine quiet."""
    if not e.get("open_us"):
        return []
    clear_ms = e["pooled"]["cpu_ms"]["clear"]
    return [
        f"Opening one sealed value alone (`value_open`, in a loop, CPU) takes "
        f"{e['open_us']:.1f} µs; a query here opens one (`identity.nationality`), so the "
        f"expected cost is {e['open_us'] / 1000:.3f} ms of {clear_ms:.2f} ms CPU per query, "
        f"{_pct(e['open_us'] / 1000 / (clear_ms + e['open_us'] / 1000))}.",
        "",
    ]


def _population(e: dict[str, Any]) -> list[str]:
    """The proactive read of every income with the amounts clear and sealed."""
    p = e.get("population")
    if not p:
        return []
    return [
        "#### The proactive runs' read, with income amounts sealed",
        "",
        "`income.amount` is sealed too, so a proactive run no longer adds incomes up in the "
        "database: it reads each income row of a chunk's residents and opens it with its row id "
        f"before adding up each person's year. On the same two copies, every resident "
        f"({p['residents']:,}) read as a run reads them (`population_read` of persons and "
        "income, 5,000 addresses a chunk, one access-log entry each), in a process of its own, "
        f"{len(p['runs']['clear'])} times on each copy, alternating; medians. Both copies "
        "released the same income total.",
        "",
        "| Figure | Clear | Sealed | Cost |",
        "| --- | ---: | ---: | ---: |",
        f"| Wall time | {seconds(p['wall_s']['clear'])} | {seconds(p['wall_s']['sealed'])} | "
        f"{_pct(p['cost'])} |",
        f"| CPU, process + PostgreSQL backend | {seconds(p['work_s']['clear'])} | "
        f"{seconds(p['work_s']['sealed'])} | {_pct(p['cpu_cost'])} |",
        "",
        "The read is 17–23 % of a proactive run (the rules-as-code section); the rest of "
        "the run does not touch the amounts.",
        "",
    ]


def _encryption(results: dict[str, Any]) -> list[str]:
    e = results.get("encryption")
    if not e or "pooled" not in e:
        return ["### Field encryption's cost on the query rate", "", "Not measured yet.", ""]
    cost, cpu_cost, pooled, load, seal = e["cost"], e["cpu_cost"], e["pooled"], e["load"], e["seal"]

    def pair(key: str) -> str:
        return f"{e[key]['clear']['median']:.2f} → {e[key]['sealed']['median']:.2f} ms"

    def goal(value: float) -> str:
        return f"under {GOAL_COST:.0%} {mark(value < GOAL_COST)}"

    return [
        "### Field encryption's cost on the query rate",
        "",
        f"{e['residents']:,} residents; a copy with its sensitive fields (`identity.nationality`, "
        "`income.source`, `income.amount`) sealed by `civic privacy rotate-key` "
        f"({seconds(seal['wall_s'])}, peak {seal['rss_mib']:.0f} MiB: {seal['said']}). Two "
        "query processes stay up side by side, one on the clear and one on the sealed copy on "
        "the same PostgreSQL server, each calling the exchange's query service "
        "(`register_query`: grant check, access-log entry committed, register read, sealed "
        "values opened; no HTTP, so the process is the exchange's server) for one random "
        f"living resident at a time. After 200 warm-up queries each, {e['rounds']} pairs of "
        f"short rounds of {e['queries']} queries alternate (clear then sealed, then sealed then "
        "clear, …) so that the machine's other work falls on both alike; each pair gives one "
        "ratio. CPU per query is the time the query process and its PostgreSQL backend ran on "
        "a CPU (/proc/PID/schedstat), which a busy machine disturbs less than the wall clock. "
        "Pooled: all rounds of a kind taken together. Every pair's figures are in "
        "benchmarks/results/privacy_store.json.",
        "",
        "| Figure | Pooled | Median of the pairs | Quartiles (min – max) of the pairs | Goal |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| Cost on the query rate, 1 − sealed/clear | {_pct(pooled['cost'])} | "
        f"{_pct(cost['median'])} | {_range(cost)} | {goal(cost['median'])} |",
        f"| Cost in CPU per query (process + backend), 1 − clear/sealed | "
        f"{_pct(pooled['cpu_cost'])} | {_pct(cpu_cost['median'])} | {_range(cpu_cost)} | "
        f"{goal(cpu_cost['median'])} |",
        f"| Query rate, clear → sealed | {pooled['rate']['clear']:.0f}/s → "
        f"{pooled['rate']['sealed']:.0f}/s | {e['rate']['clear']['median']:.0f}/s → "
        f"{e['rate']['sealed']['median']:.0f}/s | | |",
        f"| CPU per query, process + backend (clear → sealed) | "
        f"{pooled['cpu_ms']['clear']:.2f} → {pooled['cpu_ms']['sealed']:.2f} ms | | | |",
        f"| CPU per query, query process (clear → sealed) | | {pair('cpu_ms')} | | |",
        f"| CPU per query, PostgreSQL backend (clear → sealed) | | {pair('server_cpu_ms')} | | |",
        f"| Load average (1 min) at the pairs | | {load['median']:.2f} | "
        f"{_range(load, '{:.2f}')} | |",
        "",
        *_open_line(e),
        *_population(e),
        f"Run: {e['run']}, {_cpu_of(e.get('machine', '?'))}.",
        "",
    ]


def doc_text(results: dict[str, Any]) -> str:
    lines = [
        begin(NAME, "benchmarks/privacy_store"),
        "## Privacy store: retention runs and field encryption (issue 16)",
        "",
        f"PostgreSQL, on a shared machine (the latest run's): {results.get('machine', '?')}. "
        "The load average goes with every figure.",
        "",
        *_retention(results),
        *_encryption(results),
        end(NAME),
    ]
    return "\n".join(lines)

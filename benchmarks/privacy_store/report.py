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
            },
        )
    results.pop("run", None)
    return results


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
        "Removed or anonymised | Log verifies after | Load (1 min) before / after | Run |",
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
            f"{f['run']} |"
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


def _encryption(results: dict[str, Any]) -> list[str]:
    e = results.get("encryption")
    if not e:
        return ["### Field encryption's cost on the query rate", "", "Not measured yet.", ""]
    cost, cpu_cost, load = e["cost"], e["cpu_cost"], e["load"]

    def pair(key: str) -> str:
        return f"{e[key]['clear']['median']:.2f} → {e[key]['sealed']['median']:.2f} ms"

    seal = e["seal"]
    lines = [
        "### Field encryption's cost on the query rate",
        "",
        f"{e['residents']:,} residents; a copy with its sensitive fields (`identity.nationality`, "
        "`income.source`) sealed by `civic privacy rotate-key` "
        f"({seconds(seal['wall_s'])}, peak {seal['rss_mib']:.0f} MiB: {seal['said']}). Two "
        "query processes stay up side by side, one on the clear and one on the sealed copy of "
        "the same PostgreSQL server, each calling the exchange's query service "
        "(`register_query`: grant check, access-log entry committed, register read, sealed "
        "values opened; no HTTP, so the process is the exchange's server) for one random "
        f"living resident at a time. After 200 warm-up queries each, {e['rounds']} pairs of "
        f"rounds of {e['queries']} queries alternate (clear then sealed, then sealed then "
        "clear, …) so that the machine's other work falls on both alike; each pair gives one "
        "ratio. CPU per query is user + system time of the query process and of its "
        "PostgreSQL backend (psutil), which a busy machine slows less than the wall clock.",
        "",
        "| Figure | Median | Spread (min – max) | Goal |",
        "| --- | ---: | ---: | --- |",
        f"| Cost on the query rate, 1 − sealed/clear of each pair | {_pct(cost['median'])} | "
        f"{_pct(cost['min'])} – {_pct(cost['max'])} | under {GOAL_COST:.0%} "
        f"{mark(cost['median'] < GOAL_COST)} |",
        f"| Cost in CPU per query (process + backend), 1 − clear/sealed | "
        f"{_pct(cpu_cost['median'])} | {_pct(cpu_cost['min'])} – {_pct(cpu_cost['max'])} | "
        f"under {GOAL_COST:.0%} {mark(cpu_cost['median'] < GOAL_COST)} |",
        f"| Query rate, clear → sealed | {e['rate']['clear']['median']:.0f}/s → "
        f"{e['rate']['sealed']['median']:.0f}/s | {e['rate']['clear']['min']:.0f}–"
        f"{e['rate']['clear']['max']:.0f}/s → {e['rate']['sealed']['min']:.0f}–"
        f"{e['rate']['sealed']['max']:.0f}/s | |",
        f"| CPU per query, query process (clear → sealed) | {pair('cpu_ms')} | | |",
        f"| CPU per query, PostgreSQL backend (clear → sealed) | {pair('server_cpu_ms')} | | |",
        f"| Load average (1 min) at the rounds | {load['median']:.2f} | {load['min']:.2f} – "
        f"{load['max']:.2f} | |",
        "",
        "Every pair (load at its start; rate and CPU per query, query process + backend):",
        "",
        "| Pair | Load | Clear | Sealed | Cost |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, p in enumerate(e["pairs"], 1):
        c, s = p["clear"], p["sealed"]
        lines.append(
            f"| {number} | {p['load']:.2f} | {c['rate']:.0f}/s, "
            f"{c['cpu_ms_per_query']:.2f} + {c['server_cpu_ms_per_query']:.2f} ms | "
            f"{s['rate']:.0f}/s, {s['cpu_ms_per_query']:.2f} + "
            f"{s['server_cpu_ms_per_query']:.2f} ms | {_pct(1 - s['rate'] / c['rate'])} |"
        )
    return [*lines, "", f"Run: {e['run']}.", ""]


def doc_text(results: dict[str, Any]) -> str:
    lines = [
        begin(NAME, "benchmarks/privacy_store"),
        "## Privacy store: retention runs and field encryption (issue 16)",
        "",
        f"PostgreSQL, on a shared machine: {results.get('machine', '?')}. The load average "
        "goes with every figure.",
        "",
        *_retention(results),
        *_encryption(results),
        end(NAME),
    ]
    return "\n".join(lines)

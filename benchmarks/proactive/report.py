"""The proactive section of docs/benchmarks.md, rendered from benchmarks/results/proactive.json."""

from __future__ import annotations

from typing import Any

from benchmarks.proactive.common import (
    DECISIONS,
    DEFAULT_CHUNK,
    GOAL_DECISION_P95_MS,
    GOAL_OVERHEAD_S,
    LABELS,
    REPEATS,
    WARMUP,
)
from benchmarks.proactive.django_side import BREAKDOWN_ORDER
from benchmarks.proactive.notes import LIMITS, MISSED_WHY


def _duration(seconds: float) -> str:
    if seconds >= 90:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest:02d} s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def _per_resident(seconds: float, residents: int) -> str:
    return f"{seconds / residents * 1e6:.0f} µs" if residents else "—"


def render(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    lines = [
        "<!-- proactive: begin (written by benchmarks/proactive.py; edits in here are overwritten) -->",
        "## Rules as code (issue 6): proactive runs and automated decisions",
        "",
        "### Machine",
        "",
        f"- CPU: {machine.get('cpu', '?')}; memory {machine.get('memory', '?')}",
        f"- OS: {machine.get('os', '?')}",
        f"- Python {machine.get('python', '?')}, SQLite {machine.get('sqlite', '?')}, "
        f"PostgreSQL {machine.get('postgresql', '?')}; {machine.get('libraries', '?')}, "
        f"OpenFisca-Core {results.get('openfisca_version', '?')}",
        f"- PostgreSQL settings: {machine.get('postgresql_settings', '?')}",
    ]
    for key in ("sqlite", "postgres"):
        engine = results.get(key)
        if engine:
            changed = engine.get("code_changed_to")
            lines.append(
                f"- {LABELS[key]}: finished {engine.get('date', '?')}, code {engine['code']}"
                + (f" (src/ changed while measuring: {changed} by the end)" if changed else "")
                + f"; load average before / after: {engine.get('load', '?')}"
            )
            for size, figures in engine.get("sizes", {}).items():
                if figures.get("measured"):
                    lines.append(
                        f"  - {int(size):,} residents kept from an earlier run: measured "
                        f"{figures['measured']['date']}, code {figures['measured']['code']}"
                    )
                for run in figures["runs"]:
                    if run.get("date", "") > engine.get("date", ""):
                        variant = f", {run['variant']}" if run.get("variant") else ""
                        lines.append(
                            f"  - {int(size):,} residents, {run['chunk_size']:,} per chunk"
                            f"{variant}: measured later (`--runs-only`), {run['date']}, code "
                            f"{run['code']}; load average before / after: {run['load_before']}"
                            f" → {run['load_after']}"
                        )
    lines += [
        "",
        "The machine is shared with other engineers' work (editors, test runs), so figures "
        "include contention for its two CPUs; each run records the CPUs other processes kept busy.",
        "",
        "### A proactive run, end to end",
        "",
        "`run_execute(run_start(chunk_size=…, resume=False))` in a `civic shell` of its own, as "
        "`civic proactive run --fresh` runs it (`CIVIC_PROACTIVE_RUNNER=inline`, `CIVIC_DEBUG=false`), "
        "on a copy of a freshly generated jurisdiction (`civic jurisdiction generate --residents N "
        "--seed 1 --until 2026-11-30`) with the platform data (catalogue, message templates, demo "
        "forms and case types, the rules' purpose and grants) and no earlier run, so every offer "
        "is new. Stages are summed over the chunks as each chunk records them: **read** = the "
        "registers through the exchange and one access-log entry per resident; **compute** = "
        "building the OpenFisca simulation and calculating (the first chunk also loads the rule "
        "package and runs its YAML tests); **write** = picking the eligible and making offer rows "
        "(Python), the offers, the inbox messages with their deliveries. **Outside chunks** = "
        "listing the addresses and making the run and its chunk rows, and for each chunk locking "
        "it, saving it and committing. Peak memory: max RSS of that process (Django, OpenFisca "
        "and the run).",
        "",
        "| Database | Residents | Addresses per chunk (chunks) | Total | Read | Compute | Write "
        "| Outside chunks | Peak memory | Residents checked | Offers | Inbox messages | "
        "Access-log entries | PostgreSQL server CPU | Other processes (CPUs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            for run in figures["runs"]:
                s, p = run["stages_s"], run["process"]
                server = _duration(p["server_cpu_s"]) if p.get("server_cpu_s") is not None else "—"
                variant = f", {run['variant']}" if run.get("variant") else ""
                lines.append(
                    f"| {LABELS[key]} | {int(size):,} | {run['chunk_size']:,} ({run['chunks']})"
                    f"{variant} | "
                    f"**{_duration(run['wall_s'])}** ({_per_resident(run['wall_s'], run['residents'])}"
                    f" a resident) | {_duration(s['read'])} | {_duration(s['compute'])} | "
                    f"{_duration(s['write'])} | {_duration(run['outside_chunks_s'])} | "
                    f"{p['max_rss_mib']:.0f} MiB | {run['residents']:,} | {run['offers']:,} | "
                    f"{run['messages']:,} | {run['access_log_entries']:,} | {server} | "
                    f"{p['other_cores']:.2f} |"
                )
    lines += [
        "",
        "### OpenFisca alone, and Civic's overhead",
        "",
        "After each run, in another process: the same arrays for the whole population at once "
        "(the run's own statements, without the access log), one simulation built over everyone "
        "(`simulation_build`), then only the `calculate` calls a chunk makes (eligibility and "
        "amount of every proactive rule set, household income, children under 18); best of "
        f"{REPEATS} fresh simulations. Civic's overhead is the run's total minus OpenFisca's "
        "calculations; goal: within 10 minutes at 1,000,000 residents on PostgreSQL.",
        "",
        "| Database | Residents | Run total | OpenFisca calculate alone | Building the simulation "
        "| Total ÷ OpenFisca calculate | Civic's overhead (total − calculate) | Goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    missed: list[str] = []
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            alone = figures.get("openfisca")
            if not alone:
                continue
            calculate, build = min(alone["calculate_s"]), min(alone["build_s"])
            for run in figures["runs"]:
                overhead = run["wall_s"] - calculate
                goal = "—"
                if key == "postgres" and int(size) == 1_000_000:
                    ok = overhead <= GOAL_OVERHEAD_S
                    goal = "within 10 min " + ("✓" if ok else "✗ missed")
                    if not ok:
                        missed.append(
                            f"- PostgreSQL, proactive run at 1,000,000 residents "
                            f"({run['chunk_size']:,} addresses per chunk"
                            f"{', ' + run['variant'] if run.get('variant') else ''}): Civic's "
                            f"overhead {_duration(overhead)} against 10 minutes. "
                            + MISSED_WHY.get((run["chunk_size"], run.get("variant", "")), "")
                        )
                variant = f", {run['variant']}" if run.get("variant") else ""
                lines.append(
                    f"| {LABELS[key]} | {int(size):,} ({run['chunk_size']:,} per chunk{variant}) | "
                    f"{_duration(run['wall_s'])} | {_duration(calculate)} | {_duration(build)} | "
                    f"{run['wall_s'] / calculate:,.0f}× | {_duration(overhead)} | {goal} |"
                )
    lines += [
        "",
        "### One automated decision with its explanation",
        "",
        "On the 100,000-resident database of each engine (after its proactive run), in one process: "
        f"{results.get('decisions', DECISIONS)} different applicants of the school clothing grant "
        "(the first adult of a random household with a child aged 4 to 17), each with a submitted "
        "application. Timed: `application_evaluate` (the household read through the exchange "
        "under the case's purpose and logged with the case, one simulation with its trace, the "
        "explanation with its parameters, legal references and the counterfactual threshold) plus "
        f"`decision_summary` (the reasons in words), after {WARMUP} warm-up calls. Next to it the "
        "whole submission (`application_submit`: the submission, the case, its PDF receipt and inbox "
        "message) with the rules off and with them deciding inside the submission, each for "
        "as many other applicants (the first 20 of each not counted).",
        "",
        "| Database | Evaluate + wording p50 / p95 / p99 | Goal | Submission, rules off p50 / p95 "
        "| Submission, rules deciding p50 / p95 | Routes when deciding |",
        "|---|---:|---|---:|---:|---|",
    ]
    for key in ("sqlite", "postgres"):
        sized = results.get(key, {}).get("sizes", {})
        size, decision = next(
            ((int(n), f["decisions"]) for n, f in sized.items() if f.get("decisions")),
            (0, None),
        )
        if not decision:
            continue
        e, off, on = (
            decision["evaluate_ms"],
            decision["submit_off_ms"],
            decision["submit_deciding_ms"],
        )
        ok = e["p95"] < GOAL_DECISION_P95_MS
        if not ok:
            missed.append(
                f"- {LABELS[key]}, one automated decision with its explanation: p95 "
                f"{e['p95']:.1f} ms against 50 ms."
            )
        routes = ", ".join(
            f"{k} {v}" for k, v in sorted(decision["submit_deciding_routes"].items())
        )
        lines.append(
            f"| {LABELS[key]}, {size:,} residents | "
            f"{e['p50']:.1f} / {e['p95']:.1f} / {e['p99']:.1f} ms "
            f"({e['count']} decisions) | p95 under 50 ms {'✓' if ok else '✗ missed'} | "
            f"{off['p50']:.1f} / {off['p95']:.1f} ms | {on['p50']:.1f} / {on['p95']:.1f} ms | "
            f"{routes} |"
        )
    lines += _breakdown_lines(results)
    lines += ["", "### What limits each figure", "", *_limits(results)]
    if missed:
        lines += ["", "### Goals missed", "", *missed]
    lines += ["", "<!-- proactive: end -->"]
    return "\n".join(lines)


def _breakdown_lines(results: dict[str, Any]) -> list[str]:
    found = {}
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            if figures.get("breakdown"):
                found[key] = (int(size), figures["breakdown"])
                break
    if not found:
        return []
    sizes = sorted({size for size, _b in found.values()})
    labels = BREAKDOWN_ORDER
    extra = sorted(
        {k for _s, b in found.values() for k in b["spent_s"] if k not in labels},
    )
    lines = [
        "",
        "### Where a run's time goes",
        "",
        f"One more run at {', '.join(f'{n:,}' for n in sizes)} residents ({DEFAULT_CHUNK:,} "
        "addresses per chunk, on a fresh copy) with Civic's functions along the way wrapped in "
        "timers (`django_breakdown` in benchmarks/proactive.py). Indented parts (›) are inside "
        "the part above them; “picking the eligible” is the NumPy selection and one Python "
        "`OfferRow` per offer, which the chunks count as write. The last row compares the "
        "wrapped run's total with the unwrapped run's above (the wrappers' own cost and the "
        "run-to-run noise).",
        "",
        "| Part | " + " | ".join(LABELS[k] for k in found) + " |",
        "|---|" + "---:|" * len(found),
    ]
    for label in [*labels, *extra]:
        cells = []
        for _size, breakdown in found.values():
            seconds = breakdown["spent_s"].get(label)
            cells.append(
                "—"
                if seconds is None
                else f"{_duration(seconds)} ({seconds / breakdown['total_s']:.0%})"
            )
        if any(cell != "—" for cell in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for key, (size, breakdown) in found.items():
        plain = results[key]["sizes"][str(size)]["runs"][0]["wall_s"]
        cells.append(f"{_duration(breakdown['total_s'])} (unwrapped {_duration(plain)})")
    lines.append("| **the whole run** | " + " | ".join(cells) + " |")
    return lines


def _limits(results: dict[str, Any]) -> list[str]:
    """Notes from the figures themselves, then the profile notes (LIMITS)."""
    notes = []
    for key in ("sqlite", "postgres"):
        for size, figures in results.get(key, {}).get("sizes", {}).items():
            alone = figures.get("openfisca")
            for run in figures["runs"]:
                s, p = run["stages_s"], run["process"]
                total = run["wall_s"]
                share = ", ".join(
                    f"{name} {value / total:.0%}"
                    for name, value in (*s.items(), ("outside chunks", run["outside_chunks_s"]))
                )
                server = (
                    f", the PostgreSQL server {_duration(p['server_cpu_s'])} of CPU"
                    if p.get("server_cpu_s") is not None
                    else ""
                )
                variant = f", {run['variant']}" if run.get("variant") else ""
                text = (
                    f"- {LABELS[key]}, {int(size):,} residents, {run['chunk_size']:,} per chunk"
                    f"{variant}: "
                    f"{share} of the total. The process used {_duration(p['cpu_s'])} of CPU in "
                    f"{_duration(p['wall_s'])}{server}; other processes kept "
                    f"{p['other_cores']:.2f} CPUs busy, I/O wait {p['iowait_cores']:.2f}. "
                    f"Memory {run['rss_start_mib']:.0f} MiB at the start of the run, "
                    f"{p['max_rss_mib']:.0f} MiB at its peak."
                )
                if alone:
                    compute_gap = s["compute"] - min(alone["calculate_s"]) - min(alone["build_s"])
                    text += (
                        f" Compute summed over {run['chunks']} chunks is "
                        f"{_duration(compute_gap)} more than building and calculating one "
                        "simulation over everyone."
                    )
                notes.append(text)
            if alone:
                notes.append(
                    f"- {LABELS[key]}, OpenFisca alone at {int(size):,} "
                    f"({alone['persons']:,} persons in {alone['households']:,} households): "
                    f"calculate {', '.join(_duration(x) for x in alone['calculate_s'])}, build "
                    f"{', '.join(_duration(x) for x in alone['build_s'])}; loading the rule "
                    f"package with its YAML tests {_duration(alone['package_load_s'])} (once per "
                    f"process); picking the eligible and making {alone['offer_rows']:,} offer rows "
                    f"in Python {_duration(alone['offer_rows_s'])} (the run counts this in "
                    f"“write”); one simulation over everyone peaks at "
                    f"{alone['process']['max_rss_mib']:.0f} MiB."
                )
    return [*notes, *LIMITS]

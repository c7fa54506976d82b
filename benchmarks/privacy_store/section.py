"""The privacy-store section (issue 16): on PostgreSQL, for each size, a jurisdiction generated
(``civic jurisdiction generate``), copied into a second database whose sensitive fields are
then sealed (``civic privacy rotate-key``: the time and memory of sealing every row), then
alternate rounds of one-subject exchange queries against the clear and the sealed copy (the
cost of field encryption on the query rate), and last the retention run over the clear copy
(``civic privacy retention``: time, peak memory, rows removed) with ``civic auditlog verify``
after it. Figures in benchmarks/results/privacy_store.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from typing import Any

from benchmarks.exchange.common import environment
from benchmarks.harness import context
from benchmarks.harness.build import demo_build
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.meter import Child, child_run
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.report import (
    begin,
    end,
    mark,
    results_load,
    results_save,
    say,
    seconds,
    section_write,
)
from benchmarks.harness.targets import Target, postgres_database_drop, postgres_run

NAME = "privacy_store"
CHILD = "benchmarks.privacy_store.child"
GOAL_COST = 0.10  # field encryption may cost the query rate at most 10 %


def _target(name: str) -> Target:
    run = context.current()
    database = run.database(name)
    return Target("postgres", "PostgreSQL", run.var_dir(name), f"{POSTGRES_SERVER}/{database}")


def _sealed_env(sealed: Target) -> dict[str, str]:
    sealed.var_dir.mkdir(parents=True, exist_ok=True)
    return environment(
        sealed,
        CIVIC_FIELD_KEYS="keyfile",
        CIVIC_FIELD_KEY_FILE=str(sealed.var_dir / "field-keys.json"),
    )


def _checked(child: Child, what: str) -> Child:
    if child.returncode:
        raise RuntimeError(f"{what} failed:\n{child.stderr[-4000:]}")
    return child


def _civic(target: Target, env: dict[str, str], *args: str) -> Child:
    return _checked(
        child_run(
            [str(CIVIC), *args], env=env, cwd=ROOT, postgres_database=target.postgres_database
        ),
        f"civic {' '.join(args)}",
    )


def _figures(child: Child) -> dict[str, Any]:
    import json

    return json.loads(child.stdout.strip().splitlines()[-1])


def measure(residents: int, sizes: dict[str, Any]) -> dict[str, Any]:
    clear, sealed = (
        _target("civic_bench_privacy_store"),
        _target("civic_bench_privacy_store_sealed"),
    )
    clear.recreate()
    say(f"privacy store: generating {residents:,} residents")
    demo_build(clear, residents=residents, demo=False)
    clear_env = environment(clear)
    _checked(
        child_run(
            [sys.executable, "-m", CHILD, "grant"],
            env=clear_env,
            cwd=ROOT,
            postgres_database=clear.postgres_database,
        ),
        "the benchmark's grant",
    )
    postgres_database_drop(sealed.postgres_database or "")
    postgres_run(
        f'CREATE DATABASE "{sealed.postgres_database}" TEMPLATE "{clear.postgres_database}"'
    )
    sealed_env = _sealed_env(sealed)
    say("privacy store: sealing the sensitive fields of the copy")
    rotation = _civic(sealed, sealed_env, "privacy", "rotate-key")
    out: dict[str, Any] = {
        "residents": residents,
        "seal_wall_s": rotation.wall_s,
        "seal_cpu_s": rotation.cpu_s,
        "seal_rss_mib": rotation.max_rss_mib,
        "seal_server_cpu_s": rotation.usage.server_cpu_s,
        "seal_said": rotation.stdout.strip().splitlines()[-1],
    }
    rates: dict[str, list[float]] = {"clear": [], "sealed": []}
    cpu: dict[str, list[float]] = {"clear": [], "sealed": []}
    for round_ in range(sizes["rounds"]):
        for kind, target, env in (("clear", clear, clear_env), ("sealed", sealed, sealed_env)):
            child = _checked(
                child_run(
                    [sys.executable, "-m", CHILD, "query", str(sizes["queries"]), str(round_)],
                    env=env,
                    cwd=ROOT,
                    postgres_database=target.postgres_database,
                ),
                f"queries on the {kind} copy",
            )
            figures = _figures(child)
            if not figures["nationality_seen"]:
                raise RuntimeError(f"the {kind} copy released no clear nationality")
            rates[kind].append(figures["rate"])
            cpu[kind].append(figures["cpu_ms_per_query"])
    out["rate_clear"] = statistics.median(rates["clear"])
    out["rate_sealed"] = statistics.median(rates["sealed"])
    out["cpu_ms_clear"] = statistics.median(cpu["clear"])
    out["cpu_ms_sealed"] = statistics.median(cpu["sealed"])
    out["rates"] = rates
    out["cost"] = 1 - out["rate_sealed"] / out["rate_clear"]
    postgres_database_drop(sealed.postgres_database or "")
    say("privacy store: the retention run")
    _civic(clear, clear_env, "auditlog", "integrate")
    retention = _civic(clear, clear_env, "privacy", "retention")
    lines = retention.stdout.strip().splitlines()
    out.update(
        retention_wall_s=retention.wall_s,
        retention_cpu_s=retention.cpu_s,
        retention_rss_mib=retention.max_rss_mib,
        retention_server_cpu_s=retention.usage.server_cpu_s,
        retention_rules=[line for line in lines[:-1] if "removed" in line],
        retention_said=lines[-1],
    )
    verify = _civic(clear, clear_env, "auditlog", "verify")
    out["verify_said"] = verify.stdout.strip().splitlines()[-1]
    if not context.current().smoke:
        postgres_database_drop(clear.postgres_database or "")
    return out


def doc_text(results: dict[str, Any]) -> str:
    lines = [
        begin(NAME, "benchmarks/privacy_store"),
        "## Privacy store: retention runs and field encryption (issue 16)",
        "",
        "PostgreSQL. For each size: the jurisdiction generated, a copy whose sensitive fields",
        "(`identity.nationality`, `income.source`) are sealed with `civic privacy rotate-key`,",
        "alternate rounds of one-subject queries through the exchange's query service",
        "(`register_query`: grant check, access-log entry committed, register read; no HTTP)",
        "against the clear and the sealed copy, then `civic privacy retention` over the clear",
        "copy and `civic auditlog verify` after it. Peak memory is the command's own max RSS.",
        "",
        "| residents | retention run (wall) | peak memory | rows removed | log verifies after | "
        "sealing every row (wall, peak) | query rate clear → sealed | cost (goal < 10 %) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in sorted(results["figures"].values(), key=lambda f: f["residents"]):
        lines.append(
            f"| {f['residents']:,} | {seconds(f['retention_wall_s'])} | "
            f"{f['retention_rss_mib']:.0f} MiB | {f['retention_said'].split(': ', 1)[-1]} | "
            f"{f['verify_said']} | {seconds(f['seal_wall_s'])}, {f['seal_rss_mib']:.0f} MiB | "
            f"{f['rate_clear']:.0f}/s → {f['rate_sealed']:.0f}/s | "
            f"{100 * f['cost']:.1f} % {mark(f['cost'] < GOAL_COST)} |"
        )
    lines += ["", f"Run: {results.get('run', '?')}; machine: {results.get('machine', '?')}.", ""]
    for f in sorted(results["figures"].values(), key=lambda f: f["residents"]):
        lines.append(f"Rules at {f['residents']:,} residents:")
        lines.append("")
        lines += [f"    {rule}" for rule in f["retention_rules"]]
        lines.append("")
    lines.append(end(NAME))
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    results = results_load(NAME, {"figures": {}})
    failed = []
    machine = machine_describe(postgres_url=f"{POSTGRES_SERVER}/postgres")
    results["run"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    results["machine"] = f"{machine['cpu']}, load {machine['load_at_start']} at the start"
    for residents in sizes["residents"]:
        try:
            results["figures"][str(residents)] = measure(residents, sizes)
        except Exception as error:  # report it, keep the other sizes' figures
            say(f"privacy store at {residents:,}: FAILED: {error}")
            failed.append(f"{residents:,} residents")
            continue
        results_save(NAME, results)  # each size as soon as it is measured
        section_write(NAME, doc_text(results))
    return failed

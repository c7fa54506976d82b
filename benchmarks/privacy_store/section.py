"""The privacy-store section (issue 16), on PostgreSQL:

1. the retention run over each size of jurisdiction (full run: 1,000,000 residents;
   ``--residents`` chooses others): a copy of the kept seed (seed.py), ``civic privacy
   retention`` over it (wall time, CPU, peak memory, what each rule removed or anonymised),
   then ``civic auditlog verify``;
2. field encryption's cost on the exchange's query rate (encryption.py): a copy of the seed of
   ``encryption_residents``, sealed with ``civic privacy rotate-key``, and alternating short
   rounds of one-subject queries against the clear and the sealed copy; then the proactive
   runs' read of every resident's income (amounts sealed: opened and added up in Python) on
   each copy, ``population_repeats`` times.

The load average goes with every figure: the machine is shared. Figures in
benchmarks/results/privacy_store.json and docs/benchmarks.md (report.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from typing import Any

from benchmarks.exchange.common import environment
from benchmarks.harness import context
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.meter import Child, child_run
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.report import results_load, results_save, say, section_write
from benchmarks.harness.targets import Target, postgres_database_drop, postgres_run
from benchmarks.privacy_store import encryption, seed
from benchmarks.privacy_store.report import NAME, doc_text, results_upgrade

WORKING = "civic_bench_privacy_store"


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_line() -> str:
    machine = machine_describe(postgres_url=f"{POSTGRES_SERVER}/postgres")
    return (
        f"{machine['cpu']}, memory {machine.get('memory', '?')}, "
        f"PostgreSQL {machine.get('postgresql', '?')}"
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


def _drop_unless_smoke(target: Target) -> None:
    """A full run's working copies are dropped (the seed stays); a smoke run drops its own."""
    if not context.current().smoke:
        postgres_database_drop(target.postgres_database or "")


def _grant(target: Target, env: dict[str, str]) -> None:
    _checked(
        child_run(
            [sys.executable, "-m", encryption.CHILD, "grant"],
            env=env,
            cwd=ROOT,
            postgres_database=target.postgres_database,
        ),
        "the benchmark's grant",
    )


def retention_measure(residents: int, sizes: dict[str, Any]) -> dict[str, Any]:
    made = seed.seed_ensure(residents)
    say(f"privacy store: copying the seed of {residents:,} for the retention run")
    work = seed.working_copy(str(made["database"]), WORKING)
    env = environment(work)
    _grant(work, env)  # then queries, so that the log has entries to verify after the run
    encryption.queries_run(env, sizes["log_queries"])
    _civic(work, env, "auditlog", "integrate")
    load_before = _load()
    say(f"privacy store: civic privacy retention over {residents:,} residents (load {load_before})")
    retention = _civic(work, env, "privacy", "retention")
    lines = retention.stdout.strip().splitlines()
    verify = _civic(work, env, "auditlog", "verify")
    out = {
        "residents": residents,
        "seed": made,
        "load_before": load_before,
        "load_after": _load(),
        "wall_s": retention.wall_s,
        "cpu_s": retention.cpu_s,
        "rss_mib": retention.max_rss_mib,
        "server_cpu_s": retention.usage.server_cpu_s,
        "other_cores": retention.other_cores,
        "rules": [line for line in lines[:-1] if "removed" in line],
        "said": lines[-1],
        "verify_said": verify.stdout.strip().splitlines()[-1],
        "verified": verify.returncode == 0,
        "run": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "machine": machine_line(),
    }
    say(
        f"  {out['said']} in {out['wall_s']:.1f} s, peak {out['rss_mib']:.0f} MiB; {out['verify_said']}"
    )
    _drop_unless_smoke(work)
    return out


def encryption_measure(residents: int, sizes: dict[str, Any]) -> dict[str, Any]:
    made = seed.seed_ensure(residents)
    clear = seed.working_copy(str(made["database"]), f"{WORKING}_clear")
    clear_env = environment(clear)
    _grant(clear, clear_env)
    sealed = seed.target(f"{WORKING}_sealed")
    postgres_database_drop(sealed.postgres_database or "")
    postgres_run(
        f'CREATE DATABASE "{sealed.postgres_database}" TEMPLATE "{clear.postgres_database}"'
    )
    sealed.var_dir.mkdir(parents=True, exist_ok=True)
    sealed_env = environment(
        sealed,
        CIVIC_FIELD_KEYS="keyfile",
        CIVIC_FIELD_KEY_FILE=str(sealed.var_dir / "field-keys.json"),
    )
    say(f"privacy store: sealing the sensitive fields of a copy of {residents:,} (load {_load()})")
    rotation = _civic(sealed, sealed_env, "privacy", "rotate-key")
    say(
        f"privacy store: {sizes['rounds']} alternating pairs of {sizes['queries']} queries "
        f"(load {_load()})"
    )
    figures = encryption.rounds_run(
        {"clear": clear_env, "sealed": sealed_env},
        rounds=sizes["rounds"],
        queries=sizes["queries"],
    )
    cost = figures["cost"]
    say(
        f"  cost {100 * cost['median']:.1f} % (median; {100 * cost['min']:.1f} – "
        f"{100 * cost['max']:.1f} %), CPU cost {100 * figures['cpu_cost']['median']:.1f} %"
    )
    say(f"privacy store: the proactive read of every income, clear and sealed (load {_load()})")
    population = encryption.population_run(
        {"clear": clear_env, "sealed": sealed_env}, repeats=sizes["population_repeats"]
    )
    say(
        f"  {population['wall_s']['clear']:.1f} s → {population['wall_s']['sealed']:.1f} s, "
        f"cost {100 * population['cost']:.1f} % (CPU {100 * population['cpu_cost']:.1f} %)"
    )
    for target in (clear, sealed):
        _drop_unless_smoke(target)
    return {
        "population": population,
        "residents": residents,
        "seal": {
            "wall_s": rotation.wall_s,
            "cpu_s": rotation.cpu_s,
            "rss_mib": rotation.max_rss_mib,
            "server_cpu_s": rotation.usage.server_cpu_s,
            "said": rotation.stdout.strip().splitlines()[-1],
        },
        **figures,
        "run": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "machine": machine_line(),
    }


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    results = results_upgrade(results_load(NAME, {}))
    failed = []
    results["machine"] = machine_line()
    part = getattr(options, "part", None)
    asked = None if context.current().smoke else getattr(options, "residents", None)
    chosen = asked or sizes["residents"]
    for residents in chosen if part in (None, "retention") else ():
        try:
            results["retention"][str(residents)] = retention_measure(residents, sizes)
        except Exception as error:  # report it, keep the other figures
            say(f"privacy store: the retention run at {residents:,} FAILED: {error}")
            failed.append(f"retention at {residents:,} residents")
            continue
        results_save(NAME, results)  # each figure as soon as it is measured
        section_write(NAME, doc_text(results))
    if part in (None, "encryption"):
        try:
            results["encryption"] = encryption_measure(sizes["encryption_residents"], sizes)
        except Exception as error:
            say(f"privacy store: the encryption measurement FAILED: {error}")
            failed.append("field encryption's cost")
        else:
            results_save(NAME, results)
            section_write(NAME, doc_text(results))
    return failed

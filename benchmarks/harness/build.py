"""The one data builder: a Civic installation with the demo jurisdiction, made the way an
operator makes one, through Civic's own commands — ``civic migrate``, the population generator
(``civic jurisdiction generate``) and ``civic demo --no-serve``, which applies the demo's
set-up file (``civic setup apply``: services, purposes, grants, the partner) and adds the demo
staff, history and first proactive run. Nothing here writes Civic's tables itself.

In a smoke run the first build of a size is kept as a template (the SQLite file and the var
folder, or a PostgreSQL template database) and later builds of the same size copy it, so the
sections of a smoke run share one build of seconds instead of each making its own.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks.harness import context
from benchmarks.harness.paths import CIVIC, ROOT
from benchmarks.harness.report import say
from benchmarks.harness.targets import Target, postgres_database_drop, postgres_run

UNTIL = "2026-11-30"


def generate_argv(residents: int, *, seed: int = 1, until: str | None = UNTIL) -> list[str]:
    """The population generator's command line."""
    argv = [str(CIVIC), "jurisdiction", "generate", "--residents", str(residents)]
    argv += ["--seed", str(seed), *(["--until", until] if until else []), "--quiet"]
    return argv


def demo_build(
    target: Target,
    *,
    residents: int,
    seed: int = 1,
    until: str | None = UNTIL,
    env: Mapping[str, str] | None = None,
    demo: bool = True,
) -> dict[str, float]:
    """``target`` from nothing to the demo installation of ``residents`` residents (without
    ``demo``: migrated and generated only). ``env`` is the environment the commands run in
    (``target.env()`` by default). Returns the seconds each step took (for the log)."""
    environment = dict(env or target.env())
    run = context.current()
    key = f"{target.key}-{residents}-{seed}-{until}-{'demo' if demo else 'plain'}"
    template = run.scratch / "templates" / key if run.smoke and run.scratch else None
    if template and template.exists():
        began = time.perf_counter()
        _restore(target, template, key)
        return {"copy of the smoke build": time.perf_counter() - began}
    steps = {
        "migrate": [str(CIVIC), "migrate", "-v0"],
        "generate": generate_argv(residents, seed=seed, until=until),
    }
    if demo:
        steps["demo"] = [str(CIVIC), "demo", "--no-serve", "--residents", str(residents)]
    target.recreate()
    for folder in ("media", "outbox"):  # files of an earlier run (receipts, e-mails)
        shutil.rmtree(target.var_dir / folder, ignore_errors=True)
    took: dict[str, float] = {}
    for name, argv in steps.items():
        began = time.perf_counter()
        say(f"  {target.label}: civic {' '.join(argv[1:])}")
        subprocess.run(argv, env=environment, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        took[name] = time.perf_counter() - began
    if template:
        _keep(target, template, key)
    return took


def _template_database(key: str) -> str:
    return context.current().database("civic_bench_tpl_" + key.replace("-", "_").lower()[:30])


def _keep(target: Target, template: Path, key: str) -> None:
    template.parent.mkdir(parents=True, exist_ok=True)
    if target.key == "postgres":
        name = _template_database(key)
        postgres_database_drop(name)
        postgres_run(f'CREATE DATABASE "{name}" TEMPLATE "{target.postgres_database}"')
    shutil.copytree(target.var_dir, template)


def _restore(target: Target, template: Path, key: str) -> None:
    shutil.rmtree(target.var_dir, ignore_errors=True)
    shutil.copytree(template, target.var_dir)
    if target.key == "postgres":
        postgres_database_drop(target.postgres_database or "")
        postgres_run(
            f'CREATE DATABASE "{target.postgres_database}" TEMPLATE "{_template_database(key)}"'
        )

"""The one data builder: a Civic installation with the demo jurisdiction, made the way an
operator makes one, through Civic's own commands — ``civic migrate``, the population generator
(``civic jurisdiction generate``) and ``civic demo --no-serve``, which applies the demo's
set-up file (``civic setup apply``: services, purposes, grants, the partner) and adds the demo
staff, history and first proactive run. Nothing here writes Civic's tables itself.

In a smoke run the first build is kept as a template (the SQLite file and the var folder, or
a PostgreSQL template database with a name of the run's own) and later builds copy it, so the
sections of a smoke run share one build per engine instead of each making its own: every
smoke build is of ``SMOKE_RESIDENTS`` residents up to ``UNTIL``, whatever the section asks
(``smoke_build`` makes it at the start of the run). A migrated empty database (``migrated``)
is kept the same way, for the sections that generate their own population.
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
#: The residents of every demo build in a smoke run (one build per engine, shared).
SMOKE_RESIDENTS = 300


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
    if run.smoke:  # one build per engine, shared by every section
        residents, seed, until = SMOKE_RESIDENTS, 1, UNTIL
    key = f"{target.key}-{residents}-{seed}-{until}-{'demo' if demo else 'plain'}"
    template = run.scratch / "templates" / key if run.smoke and run.scratch else None
    if template and template.exists():
        began = time.perf_counter()
        _restore(target, template, key)
        return {"copy of the smoke build": time.perf_counter() - began}
    steps = {"generate": generate_argv(residents, seed=seed, until=until)}
    if demo:
        steps["demo"] = [str(CIVIC), "demo", "--no-serve", "--residents", str(residents)]
    for folder in ("media", "outbox"):  # files of an earlier run (receipts, e-mails)
        shutil.rmtree(target.var_dir / folder, ignore_errors=True)
    took: dict[str, float] = {"migrate": migrated(target, env=environment)}
    for name, argv in steps.items():
        began = time.perf_counter()
        say(f"  {target.label}: civic {' '.join(argv[1:])}")
        subprocess.run(argv, env=environment, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        took[name] = time.perf_counter() - began
    if template:
        _keep(target, template, key)
    return took


def migrated(target: Target, *, env: Mapping[str, str] | None = None, fresh: bool = True) -> float:
    """``target`` migrated (``civic migrate``): from nothing (``fresh``), else on the database
    as it is (``Target.prepare``: a new SQLite file; PostgreSQL's kept, the generator's
    ``--replace`` empties it); returns the seconds it took. In a smoke run the first migration of an engine is kept (the database
    only: the SQLite file or a template database) and later ones copy it."""
    began = time.perf_counter()
    run = context.current()
    key = f"{target.key}-migrated"
    template = run.scratch / "templates" / key if run.smoke and run.scratch else None
    if fresh or template:
        target.recreate()
    else:
        target.prepare()
    if template and template.exists():
        if target.key == "postgres":
            postgres_database_drop(target.postgres_database or "")
            postgres_run(
                f'CREATE DATABASE "{target.postgres_database}" TEMPLATE "{_template_database(key)}"'
            )
        else:
            shutil.copyfile(template / "civic.sqlite3", target.sqlite_file)
        return time.perf_counter() - began
    say(f"  {target.label}: civic migrate -v0")
    subprocess.run(
        [str(CIVIC), "migrate", "-v0"],
        env=dict(env or target.env()),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if template:
        template.mkdir(parents=True, exist_ok=True)
        if target.key == "postgres":
            name = _template_database(key)
            postgres_database_drop(name)
            postgres_run(f'CREATE DATABASE "{name}" TEMPLATE "{target.postgres_database}"')
        else:
            target.checkpoint()
            shutil.copyfile(target.sqlite_file, template / "civic.sqlite3")
    return time.perf_counter() - began


def smoke_build(target: Target) -> dict[str, float]:
    """The smoke run's shared demo build on ``target``'s engine (made once; see above)."""
    return demo_build(target, residents=SMOKE_RESIDENTS, env=target.env())


def _template_database(key: str) -> str:
    return context.current().database("civic_bench_tpl_" + key.replace("-", "_").lower()[:30])


def _keep(target: Target, template: Path, key: str) -> None:
    template.parent.mkdir(parents=True, exist_ok=True)
    if target.key == "sqlite":
        target.checkpoint()
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

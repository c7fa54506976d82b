"""The privacy-store section's databases: one generated jurisdiction per size kept as a seed
(a PostgreSQL database ``civic_bench_privacy_store_seed_N``, never written to after it is
made), and working databases copied from it for each run, migrated, so that the retention
run and the sealing start from the same rows every time and 1,000,000 residents are generated
once, not per run (some ten minutes on the shared machine).

A seed is current while the registers code that generated it is the same: its fingerprint is
the database's comment (``COMMENT ON DATABASE``), so that a seed made by hand with the same
commands (``civic migrate``, ``civic jurisdiction generate --residents N --seed 1 --until
2026-11-30``) and given the comment is reused too. In a smoke run the names are the run's own
and are dropped at its end.
"""

from __future__ import annotations

import subprocess
import time

from benchmarks.exchange.common import environment
from benchmarks.harness import context
from benchmarks.harness.build import UNTIL, demo_build
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.report import say
from benchmarks.harness.targets import Target, postgres_database_drop, postgres_run

SEED_PREFIX = "civic_bench_privacy_store_seed_"


def target(name: str) -> Target:
    """A PostgreSQL target of this section: ``name``'s database and var/ folder."""
    run = context.current()
    database = run.database(name)
    return Target("postgres", "PostgreSQL", run.var_dir(name), f"{POSTGRES_SERVER}/{database}")


def fingerprint(residents: int) -> str:
    """What a seed of ``residents`` depends on: the generator's arguments and the registers
    app (the generator, the register models and their migrations), committed and on disk."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    code = git("rev-parse", "HEAD:src/civic/registers")
    dirty = "+dirty" if git("diff", "HEAD", "--", "src/civic/registers") else ""
    return f"privacy_store seed residents={residents} seed=1 until={UNTIL} registers={code}{dirty}"


def _value(sql: str, *params: object) -> object:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def _comment_of(database: str) -> str | None:
    return _value(  # type: ignore[return-value]
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        database,
    )


def seed_ensure(residents: int) -> dict[str, object]:
    """The seed of ``residents``, made unless a current one exists; returns its name and how
    it came to be (reused, or the seconds generating took)."""
    seed = target(f"{SEED_PREFIX}{residents}")
    name = seed.postgres_database or ""
    wanted = fingerprint(residents)
    if _comment_of(name) == wanted:
        say(f"privacy store: reusing the kept seed {name}")
        return {"database": name, "reused": True}
    say(f"privacy store: generating {residents:,} residents into the seed {name}")
    began = time.perf_counter()
    demo_build(seed, residents=residents, demo=False, env=environment(seed))
    generated = time.perf_counter() - began
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "VACUUM ANALYZE"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # as autovacuum would soon after the load: the first reader would set hint bits
    postgres_run(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    return {"database": name, "reused": False, "generate_s": generated}


def working_copy(seed_database: str, name: str) -> Target:
    """``name``'s database made again as a copy of the seed, then migrated (a kept seed may
    predate the latest migrations of other apps)."""
    work = target(name)
    postgres_database_drop(work.postgres_database or "")
    postgres_run(f'CREATE DATABASE "{work.postgres_database}" TEMPLATE "{seed_database}"')
    work.var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(CIVIC), "migrate", "-v0"],
        env=environment(work),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return work

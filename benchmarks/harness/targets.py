"""The databases the benchmarks run against, and how to prepare, migrate and size them.

Each target has its own folder under var/ (git-ignored) for CIVIC_VAR_DIR. SQLite starts
from a fresh file before each generation, so a figure never includes deleting the previous
jurisdiction; PostgreSQL uses the ``civic_bench`` database (created when missing), where the
generator's ``--replace`` is a TRUNCATE, which costs milliseconds. The exchange benchmarks
have targets of their own (``exchange_targets``: var/bench-exchange-*, ``civic_bench_exchange``),
which they recreate from nothing on every run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import context
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT

__all__ = [
    "CIVIC",
    "POSTGRES_SERVER",
    "ROOT",
    "UNLIMITED",
    "Target",
    "exchange_targets",
    "speed_targets",
    "targets",
]

POSTGRES_DATABASE = "civic_bench"

#: The exchange's limits out of the way (calls, and a client's subjects a minute and a day):
#: the benchmarks measure Civic, not a partner's allowance.
UNLIMITED = {
    "CIVIC_EXCHANGE_RATE_LIMIT": "100000000",
    "CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE": "100000000",
    "CIVIC_EXCHANGE_SUBJECTS_PER_DAY": "100000000",
}


@dataclass(frozen=True)
class Target:
    key: str  # "sqlite" or "postgres"
    label: str
    var_dir: Path
    database_url: str  # empty: SQLite under var_dir

    @property
    def sqlite_file(self) -> Path:
        return self.var_dir / "civic.sqlite3"

    @property
    def postgres_database(self) -> str | None:
        """The PostgreSQL database's name (None on SQLite)."""
        return self.database_url.rsplit("/", 1)[1] if self.key == "postgres" else None

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a child process that uses this database."""
        env = dict(os.environ)
        env.update(CIVIC_VAR_DIR=str(self.var_dir), DATABASE_URL=self.database_url, **extra)
        env.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
        return env

    def prepare(self) -> None:
        """Make the database exist and be empty of register rows where that is cheap."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if self.key == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)
        else:
            postgres_database_ensure(self.postgres_database or POSTGRES_DATABASE)

    def recreate(self) -> None:
        """Start from nothing: a new SQLite file, or the PostgreSQL database dropped and made
        again (the exchange benchmarks want a fresh access log and demo set-up each run)."""
        if self.key == "postgres" and self.postgres_database:
            postgres_database_drop(self.postgres_database)
        self.prepare()

    def migrate(self) -> None:
        subprocess.run([str(CIVIC), "migrate", "-v0"], env=self.env(), cwd=ROOT, check=True)

    def checkpoint(self) -> None:
        """SQLite: the write-ahead log folded into the file, so that a copy of the file alone
        is the whole database."""
        if self.key == "sqlite" and self.sqlite_file.exists():
            with sqlite3.connect(self.sqlite_file) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()

    def size(self) -> int:
        """Bytes of the database (SQLite: the file, after checkpointing any write-ahead log)."""
        if self.key == "sqlite":
            if not self.sqlite_file.exists():
                raise RuntimeError(
                    f"{self.sqlite_file} vanished during the run (was var/ removed?)"
                )
            with sqlite3.connect(self.sqlite_file) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            return self.sqlite_file.stat().st_size
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


def postgres_database_ensure(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def postgres_run(statement: str) -> None:
    """One statement on the server's ``postgres`` database, outside a transaction."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement.encode())


def postgres_database_drop(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def targets(only: str | None) -> list[Target]:
    """The targets to run, SQLite first."""
    return _pair(only, "bench", POSTGRES_DATABASE)


EXCHANGE_DATABASE = "civic_bench_exchange"


def exchange_targets(only: str | None) -> list[Target]:
    """The exchange benchmarks' own targets (their own var/ folders and PostgreSQL database),
    so that they never touch the foundation's."""
    return _pair(only, "bench-exchange", EXCHANGE_DATABASE)


SPEED_DATABASE = "civic_bench_speed"


def speed_targets(only: str | None) -> list[Target]:
    """The exchange speed's own targets (var/bench-speed-*, ``civic_bench_speed``)."""
    return _pair(only, "bench-speed", SPEED_DATABASE)


def _pair(only: str | None, folder: str, database: str) -> list[Target]:
    run = context.current()
    every = [
        Target("sqlite", "SQLite", run.var_dir(f"{folder}-sqlite"), ""),
        Target(
            "postgres",
            "PostgreSQL",
            run.var_dir(f"{folder}-postgres"),
            f"{POSTGRES_SERVER}/{run.database(database)}",
        ),
    ]
    return [t for t in every if only in (None, t.key)]

"""The databases the benchmarks run against, and how to prepare, migrate and size them.

Each target has its own folder under var/ (git-ignored) for CIVIC_VAR_DIR. SQLite starts
from a fresh file before each generation, so a figure never includes deleting the previous
jurisdiction; PostgreSQL uses the ``civic_bench`` database (created when missing), where the
generator's ``--replace`` is a TRUNCATE, which costs milliseconds.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CIVIC = Path(sys.executable).with_name("civic")
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "civic_bench"


@dataclass(frozen=True)
class Target:
    key: str  # "sqlite" or "postgres"
    label: str
    var_dir: Path
    database_url: str  # empty: SQLite under var_dir

    @property
    def sqlite_file(self) -> Path:
        return self.var_dir / "civic.sqlite3"

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
            _postgres_database_ensure(POSTGRES_DATABASE)

    def migrate(self) -> None:
        subprocess.run([str(CIVIC), "migrate", "-v0"], env=self.env(), cwd=ROOT, check=True)

    def size(self) -> int:
        """Bytes of the database (SQLite: the file, after checkpointing any write-ahead log)."""
        if self.key == "sqlite":
            if not self.sqlite_file.exists():
                raise RuntimeError(f"{self.sqlite_file} vanished during the run (was var/ removed?)")
            with sqlite3.connect(self.sqlite_file) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            return self.sqlite_file.stat().st_size
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0


def _postgres_database_ensure(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def targets(only: str | None) -> list[Target]:
    """The targets to run, SQLite first."""
    var = ROOT / "var"
    every = [
        Target("sqlite", "SQLite", var / "bench-sqlite", ""),
        Target("postgres", "PostgreSQL", var / "bench-postgres",
               f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"),
    ]
    return [t for t in every if only in (None, t.key)]

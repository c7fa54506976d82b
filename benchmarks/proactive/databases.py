"""The proactive benchmark's databases: a seed per size (SQLite: a file under
var/bench-proactive-*/; PostgreSQL: a template database), kept while the registers code stays
the same, and a working database restored from it for every run; and the calls into Django.
In a smoke run the folders and database names are the run's own (``harness.context``)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import context, django_call
from benchmarks.harness import targets as harness_targets
from benchmarks.harness.build import migrated
from benchmarks.proactive.common import CIVIC, DATABASE, LABELS, POSTGRES_SERVER, ROOT
from benchmarks.proactive.common import say as _say

DJANGO_SIDE = "benchmarks.proactive.django_side"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def code_state() -> tuple[str, str]:
    """(what to print, a fingerprint of src/ as it is on disk)."""
    commit = _git("rev-parse", "--short", "HEAD")
    diff = _git("diff", "HEAD", "--", "src")
    fingerprint = f"{_git('rev-parse', 'HEAD:src')}\n{diff}"
    return f"{commit}{' + uncommitted changes in src/' if diff else ''}", fingerprint


def _seed_fingerprint() -> str:
    """What the seed depends on: the registers app (the generator, the register models and
    their migrations), committed and on disk."""
    return _git("rev-parse", "HEAD:src/civic/registers") + _git(
        "diff", "HEAD", "--", "src/civic/registers"
    )


class Target:
    """One database engine: a working database restored from a seed per size."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.label = LABELS[key]
        run = context.current()
        self.var_dir = run.var_dir(f"bench-proactive-{key}")
        #: The working database (PostgreSQL; a smoke run's own name).
        self.database = run.database(DATABASE)

    def url(self, database: str | None = None) -> str:
        return f"{POSTGRES_SERVER}/{database or self.database}" if self.key == "postgres" else ""

    def seed_name(self, residents: int) -> str:
        return context.current().database(f"{DATABASE}_seed_{residents}")

    def env(self, database: str | None = None, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "CIVIC_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": self.url(database),
            "CIVIC_DEBUG": "false",
            **harness_targets.UNLIMITED,
            "CIVIC_PROACTIVE_RUNNER": "inline",
            "CIVIC_EVENT_DELIVERY": "off",
            **extra,
        }
        env.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
        return env

    @property
    def sqlite_file(self) -> Path:
        return self.var_dir / "civic.sqlite3"

    def seed_file(self, residents: int) -> Path:
        return self.var_dir / f"seed-{residents}.sqlite3"

    def seed_meta(self, residents: int) -> Path:
        return self.var_dir / f"seed-{residents}.json"

    def _sqlite_clear(self, path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def working_drop(self) -> None:
        if self.key == "postgres":
            _psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        else:
            self._sqlite_clear(self.sqlite_file)
        for folder in ("media", "outbox"):
            shutil.rmtree(self.var_dir / folder, ignore_errors=True)

    def seed_ensure(self, residents: int, *, regenerate: bool) -> dict[str, Any]:
        """Make the seed of ``residents`` unless a current one exists; returns how it was made."""
        from benchmarks.foundation.generation import command
        from benchmarks.harness.meter import child_run

        self.var_dir.mkdir(parents=True, exist_ok=True)
        meta_path = self.seed_meta(residents)
        fingerprint = _seed_fingerprint()
        if meta_path.exists() and not regenerate:
            meta = json.loads(meta_path.read_text())
            present = (
                self.seed_file(residents).exists()
                if self.key == "sqlite"
                else _psql_value(
                    f"SELECT 1 FROM pg_database WHERE datname = '{self.seed_name(residents)}'"
                )
                == "1"
            )
            if present and meta.get("fingerprint") == fingerprint:
                _say(f"{self.label}: reusing the seed of {residents:,} residents ({meta['made']})")
                if self.key == "postgres" and not meta.get("vacuumed_s"):
                    meta["vacuumed_s"] = _vacuum(self.seed_name(residents))
                    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
                return {**meta, "reused": True}
        _say(f"{self.label}: generating {residents:,} residents into a seed …")
        self.working_drop()
        env = self.env()
        migrated(harness_targets.Target(self.key, self.label, self.var_dir, self.url()), env=env)
        generated = child_run(
            command(residents),
            env=env,
            cwd=ROOT,
            postgres_database=self.database if self.key == "postgres" else None,
        )
        if generated.returncode:
            raise RuntimeError(f"generating failed: {generated.stderr[-2000:]}")
        platform = in_django(env, "django_platform")
        meta = {
            "residents": residents,
            "fingerprint": fingerprint,
            "made": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "code": code_state()[0],
            "generate_s": generated.wall_s,
            "generate_output": generated.stdout.strip().splitlines()[-1:],
            "platform_s": platform["seconds"],
        }
        if self.key == "postgres":
            meta["vacuumed_s"] = _vacuum(self.database)
            _psql(f"DROP DATABASE IF EXISTS {self.seed_name(residents)} WITH (FORCE)")
            _psql(f"ALTER DATABASE {self.database} RENAME TO {self.seed_name(residents)}")
        else:
            with sqlite3.connect(self.sqlite_file) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            self._sqlite_clear(self.seed_file(residents))
            shutil.move(self.sqlite_file, self.seed_file(residents))
            self._sqlite_clear(self.sqlite_file)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
        _say(f"  generated in {generated.wall_s:.0f} s, platform data {platform['seconds']:.0f} s")
        return {**meta, "reused": False}

    def working_restore(self, residents: int) -> float:
        """The working database as a copy of the seed, migrated; returns the seconds it took."""
        began = time.perf_counter()
        self.working_drop()
        if self.key == "postgres":
            _psql(
                f"CREATE DATABASE {self.database} TEMPLATE {self.seed_name(residents)} "
                "STRATEGY FILE_COPY"
            )
        else:
            shutil.copyfile(self.seed_file(residents), self.sqlite_file)
        if not context.current().smoke:  # a kept seed may predate migrations (a smoke run's not)
            subprocess.run([str(CIVIC), "migrate", "-v0"], env=self.env(), cwd=ROOT, check=True)
        return time.perf_counter() - began


def _psql(statement: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def _vacuum(database: str) -> float:
    """VACUUM a freshly generated database, as autovacuum would soon after the load (it is off
    on the benchmark server): otherwise the first run to read each page pays for setting its
    hint bits, writing the page again. Returns the seconds it took."""
    began = time.perf_counter()
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", "VACUUM"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def _psql_value(query: str) -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def in_django(env: dict[str, str], function: str, spec: Any = None) -> Any:
    """Call ``function`` of the Django side in a ``civic shell``; returns what it returned."""
    return django_call.ask(env, function, spec, timeout=86_400, module=DJANGO_SIDE)


def metered(
    target: Target, function: str, spec: Any, settings: dict[str, str] | None = None
) -> dict[str, Any]:
    """Call ``function`` in a ``civic shell`` under a Meter: its result, and what the process
    (and the PostgreSQL server) used."""
    from benchmarks.harness.meter import child_run

    child = child_run(
        django_call.shell_argv(django_call.shell_code(DJANGO_SIDE, function, spec)),
        env=target.env(**(settings or {})),
        cwd=ROOT,
        postgres_database=target.database if target.key == "postgres" else None,
    )
    if child.returncode:
        raise RuntimeError(f"{function} failed:\n{child.stderr[-3000:]}")
    return {
        **django_call.result_of(child.stdout),
        "process": {
            "wall_s": child.wall_s,
            "cpu_s": child.cpu_s,
            "max_rss_mib": child.max_rss_mib,
            "median_rss_mib": child.usage.median_rss_mib,
            "server_cpu_s": child.usage.server_cpu_s,
            "busy_cores": child.usage.busy_cores,
            "other_cores": child.other_cores,
            "iowait_cores": child.usage.iowait_cores,
            "steal_cores": child.usage.steal_cores,
        },
    }


def database_bytes(target: Target) -> int:
    if target.key == "sqlite":
        return target.sqlite_file.stat().st_size
    return int(_psql_value(f"SELECT pg_database_size('{target.database}')") or 0)

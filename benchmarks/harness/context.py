"""The run in progress: full or smoke, which databases, and where its output goes.

A full run (``make bench``) writes docs/benchmarks.md and benchmarks/results/. A smoke run
(``--smoke``) runs the same code at tiny sizes to prove it still works: its page and results
go to a scratch folder (the page is a copy, so rendering is exercised), its databases and
var folders have names of their own and are removed afterwards, and its servers take free
ports, so a smoke run never disturbs a full run or the recorded figures.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness.paths import DOC, RESULTS, ROOT


@dataclass
class Run:
    smoke: bool = False
    only: str | None = None  # "sqlite", "postgres" or None for both
    doc: Path = DOC
    results: Path = RESULTS
    scratch: Path | None = None  # smoke: everything this run makes lives here
    databases: list[str] = field(default_factory=list)  # PostgreSQL databases made (smoke)

    def databases_of(self, keys: tuple[str, ...] = ("sqlite", "postgres")) -> list[str]:
        """The databases to run on, of ``keys`` (a section that runs on PostgreSQL only
        passes ``("postgres",)``)."""
        return [k for k in keys if self.only in (None, k)]

    def var_dir(self, name: str) -> Path:
        """A CIVIC_VAR_DIR for ``name`` (var/NAME in a full run)."""
        base = self.scratch / "var" if self.smoke and self.scratch else ROOT / "var"
        return base / name

    def database(self, name: str) -> str:
        """A PostgreSQL database's name for ``name``: itself in a full run, one of this run's
        own in a smoke run (dropped at the end)."""
        if not self.smoke:
            return name
        own = f"{name}_smoke_{os.getpid()}"
        if own not in self.databases:
            self.databases.append(own)
        return own

    def port(self, default: int) -> int:
        """The port a server of the benchmark listens on: ``default`` in a full run, a free one
        in a smoke run (another run may hold the default)."""
        if not self.smoke:
            return default
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    def size(self, full: int, smoke: int) -> int:
        return smoke if self.smoke else full


_current = Run()


def current() -> Run:
    """The run in progress (a full run unless ``started`` said otherwise)."""
    return _current


@contextlib.contextmanager
def started(*, smoke: bool, only: str | None) -> Iterator[Run]:
    global _current
    previous = _current
    if not smoke:
        _current = Run(smoke=False, only=only)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="civic-bench-smoke-"))
        (scratch / "results").mkdir()
        shutil.copyfile(DOC, scratch / "benchmarks.md")
        for kept in RESULTS.glob("*.json"):  # rendering reads the figures of earlier runs
            shutil.copyfile(kept, scratch / "results" / kept.name)
        _current = Run(
            smoke=True,
            only=only,
            doc=scratch / "benchmarks.md",
            results=scratch / "results",
            scratch=scratch,
        )
    try:
        yield _current
    finally:
        done, _current = _current, previous
        if done.smoke and done.scratch:
            from benchmarks.harness.targets import postgres_database_drop

            for name in done.databases:
                with contextlib.suppress(Exception):
                    postgres_database_drop(name)
            if not os.environ.get("CIVIC_BENCH_KEEP"):
                shutil.rmtree(done.scratch, ignore_errors=True)

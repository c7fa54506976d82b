"""What a measured child process used, and what happened around it on the machine.

The benchmark machine is shared (another engineer's tests may run meanwhile), so a wall time
alone cannot say whether it was limited by our process, by the database server or by someone
else. ``Meter`` reads /proc/stat around a measurement (busy, I/O wait and steal time of all
CPUs) and polls, four times a second, the CPU time of the PostgreSQL processes serving the
benchmark database, the resident memory of the child (its median tells the steady working set
from a short peak) and, optionally, the size of one file (SQLite's write-ahead log, which is
gone once the last connection closes). ``child_run`` runs a command under it and reads the
child's own resource usage with ``os.wait4``, so its peak memory is that child's, not the
largest of every child so far.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

TICK = os.sysconf("SC_CLK_TCK")
POLL_SECONDS = 0.25
# Server processes not titled with a database: shared ones (counted as a delta) and the
# parallel workers a backend starts, e.g. to build a large index.
AUXILIARY = ("checkpointer", "background writer", "walwriter", "autovacuum", "parallel worker")


@dataclass(frozen=True)
class Usage:
    wall_s: float
    busy_cores: float  # average busy logical CPUs over the whole machine
    iowait_cores: float
    steal_cores: float  # time the hypervisor gave our virtual CPUs to someone else
    server_cpu_s: float | None  # PostgreSQL processes serving the database (None: SQLite)
    peak_file_bytes: int | None  # largest size seen of the watched file
    median_rss_mib: float | None  # of the followed process, over the samples taken


def _machine_ticks() -> tuple[int, int, int]:
    """Busy, I/O-wait and steal ticks summed over all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal, iowait, steal


def _postgres_processes() -> dict[int, tuple[str, int]]:
    """Process id to (title, user + system ticks) of every process titled ``postgres: ...``."""
    found: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres:"):
                continue
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        after_name = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (title, int(after_name[11]) + int(after_name[12]))
    return found


class Meter:
    """Context manager; ``usage`` holds the figures after the block."""

    def __init__(self, *, postgres_database: str | None = None, watch: Path | None = None) -> None:
        self.database = postgres_database
        self.watch = watch
        self._peak_file = 0
        self._pid: int | None = None
        self._rss_kib: list[int] = []
        self.usage: Usage | None = None
        self._start: dict[int, int] = {}
        self._latest: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _ours(self, title: str) -> bool:
        return f" {self.database} " in title or any(name in title for name in AUXILIARY)

    def follow(self, pid: int) -> None:
        """Sample the resident memory of process ``pid`` from now on."""
        self._pid = pid

    def _poll(self) -> None:
        if self._pid:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{self._pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self._rss_kib.append(int(line.split()[1]))
        if self.database:
            for pid, (title, ticks) in _postgres_processes().items():
                if self._ours(title):
                    self._latest[pid] = max(ticks, self._latest.get(pid, 0))
        if self.watch:
            with contextlib.suppress(OSError):  # not there (yet, or any more)
                self._peak_file = max(self._peak_file, self.watch.stat().st_size)

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._poll()

    def __enter__(self) -> Meter:
        self._poll()
        self._start = dict(self._latest)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._began = time.perf_counter()
        self._ticks = _machine_ticks()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        ticks = _machine_ticks()
        wall = time.perf_counter() - self._began
        server: float | None = None
        if self._thread:
            self._stop.set()
            self._thread.join()
        self._poll()
        if self.database:
            used = sum(t - self._start.get(pid, 0) for pid, t in self._latest.items())
            server = used / TICK
        busy, iowait, steal = (b - a for a, b in zip(self._ticks, ticks, strict=True))
        self.usage = Usage(
            wall_s=wall,
            busy_cores=busy / TICK / wall,
            iowait_cores=iowait / TICK / wall,
            steal_cores=steal / TICK / wall,
            server_cpu_s=server,
            peak_file_bytes=self._peak_file if self.watch else None,
            median_rss_mib=statistics.median(self._rss_kib) / 1024 if self._rss_kib else None,
        )


@dataclass(frozen=True)
class Child:
    """A finished child process and what it used."""

    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float  # user + system time of the child itself
    max_rss_mib: float
    usage: Usage

    @property
    def other_cores(self) -> float:
        """Average CPUs kept busy by processes other than the child and the database server."""
        ours = self.cpu_s + (self.usage.server_cpu_s or 0.0)
        return max(0.0, self.usage.busy_cores - ours / self.wall_s)


def child_run(
    argv: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    postgres_database: str | None,
    watch: Path | None = None,
) -> Child:
    """Run ``argv`` to completion under a ``Meter``; output is collected in files."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with Meter(postgres_database=postgres_database, watch=watch) as meter:
            started = time.perf_counter()
            process = subprocess.Popen(list(argv), env=env, cwd=cwd, stdout=out, stderr=err)
            meter.follow(process.pid)
            _pid, status, rusage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    assert meter.usage is not None
    return Child(
        returncode=process.returncode,
        stdout=stdout,
        stderr=stderr,
        wall_s=wall,
        cpu_s=rusage.ru_utime + rusage.ru_stime,
        max_rss_mib=rusage.ru_maxrss / 1024,  # kilobytes on Linux
        usage=meter.usage,
    )

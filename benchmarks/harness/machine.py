"""The machine a benchmark ran on: CPU, memory, OS and the versions that shape the figures.

Figures mean little without the machine, so every run records this next to them. Read from
/proc and /etc/os-release (Linux); anything missing is reported as "unknown", never guessed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

UNKNOWN = "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_describe() -> tuple[str, int]:
    """The CPU model name and the number of logical processors, from /proc/cpuinfo."""
    model, count = UNKNOWN, 0
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "processor":
            count += 1
        elif key == "model name" and model == UNKNOWN:
            model = value.strip()
    return model, count or (os.cpu_count() or 0)


def memory_gib() -> float:
    """Total memory in GiB, from /proc/meminfo."""
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def os_describe() -> str:
    """The distribution's pretty name and the kernel release."""
    pretty = UNKNOWN
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            pretty = line.partition("=")[2].strip().strip('"')
    return f"{pretty}, Linux {platform.release()}"


POSTGRES_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "max_wal_size",
    "synchronous_commit",
    "autovacuum",
    "jit",
)


def postgres_describe(url: str) -> tuple[str, str]:
    """The server version of the PostgreSQL at ``url`` (any database on the server will do)
    and the settings that shape the figures; or why it could not be asked."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            settings = [
                f"{name} {row[0]}"
                for name in POSTGRES_SETTINGS
                if (row := conn.execute(f"SHOW {name}").fetchone())
            ]
        return (str(version[0]) if version else UNKNOWN), ", ".join(settings)
    except Exception as error:  # the machine may simply have no PostgreSQL
        return f"not reachable ({type(error).__name__})", "—"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return UNKNOWN


def machine_describe(*, postgres_url: str | None) -> dict[str, str]:
    """Everything worth printing about the machine, as display strings."""
    model, count = cpu_describe()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    postgres, settings = postgres_describe(postgres_url) if postgres_url else ("not used", "—")
    return {
        "cpu": f"{model}, {count} logical CPU{'s' if count != 1 else ''}",
        "memory": f"{memory_gib():.1f} GiB",
        "os": os_describe(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        "postgresql_settings": settings,
        "libraries": f"Django {_version('django')}, NumPy {_version('numpy')}, "
        f"psycopg {_version('psycopg')}",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_at_start": load,
    }

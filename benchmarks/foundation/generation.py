"""Generating the synthetic jurisdiction: wall time, CPU and peak memory of the command.

Runs exactly what an operator runs::

    civic jurisdiction generate --residents N --seed 1 --until 2026-11-30 --replace --quiet

in a child process (see ``meter.child_run``), on a database already prepared and migrated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness.meter import child_run
from benchmarks.harness.targets import CIVIC, ROOT, Target

SEED = 1
UNTIL = "2026-11-30"


@dataclass(frozen=True)
class Generation:
    residents: int
    wall_s: float
    cpu_s: float  # user + system time of the generator process (SQLite runs inside it)
    max_rss_mib: float
    median_rss_mib: float | None  # the working set for most of the run
    server_cpu_s: float | None  # PostgreSQL server processes; None on SQLite
    busy_cores: float  # whole machine, average over the run
    other_cores: float  # of which processes other than ours
    iowait_cores: float
    steal_cores: float
    output: str  # the command's own summary line
    wal_bytes: int | None  # SQLite: the write-ahead log at its largest during the run
    database_bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def command(residents: int | str, *, program: str = str(CIVIC)) -> list[str]:
    return [
        program,
        "jurisdiction",
        "generate",
        "--residents",
        str(residents),
        "--seed",
        str(SEED),
        "--until",
        UNTIL,
        "--replace",
        "--quiet",
    ]


def generation_run(target: Target, residents: int) -> Generation:
    """Run the generator once against ``target``."""
    database = target.postgres_database
    wal = Path(f"{target.sqlite_file}-wal") if target.key == "sqlite" else None
    child = child_run(
        command(residents), env=target.env(), cwd=ROOT, postgres_database=database, watch=wal
    )
    if child.returncode:
        raise RuntimeError(
            f"{' '.join(command(residents))} failed on {target.label} "
            f"(exit {child.returncode}):\n{child.stderr or child.stdout}"
        )
    output = child.stdout.strip()
    return Generation(
        residents=residents,
        wall_s=child.wall_s,
        cpu_s=child.cpu_s,
        max_rss_mib=child.max_rss_mib,
        median_rss_mib=child.usage.median_rss_mib,
        server_cpu_s=child.usage.server_cpu_s,
        busy_cores=child.usage.busy_cores,
        other_cores=child.other_cores,
        iowait_cores=child.usage.iowait_cores,
        steal_cores=child.usage.steal_cores,
        output=output.splitlines()[-1] if output else "",
        wal_bytes=child.usage.peak_file_bytes,
    )

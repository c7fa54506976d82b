"""What the exchange benchmarks share: the demo set-up, child processes, the log's counts.

The in-process measurements (log appends, the integrator, the 10-million-entry builder, the
data tracker) run in child processes configured for their target database, like the point
query: Django reads its settings once per process. Each child prints its figures as JSON on
the last line of its standard output; ``child_json`` runs one under a ``Meter`` and adds what
it used.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness.build import demo_build
from benchmarks.harness.meter import Child, child_run
from benchmarks.harness.targets import ROOT, UNLIMITED, Target

RESIDENTS = 50_000
SEED = 1
UNTIL = "2026-11-30"
PURPOSE = "child-benefit-assessment"
FIELDS = ("identity.given_names", "identity.birth_date", "residence.address")
LOG_TABLE = "exchange_accesslogentry"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def environment(target: Target, **extra: str) -> dict[str, str]:
    """A production-like environment for ``target``: no debug (Django would keep every query
    in memory), the limits out of the way, the embedded integrator on (the default)."""
    return target.env(
        CIVIC_DEBUG="false",
        CIVIC_LOG_FORMAT="json",  # the request lines the load benchmark counts answers from
        **UNLIMITED,
        **extra,
    )


def demo_prepare(target: Target, *, residents: int | None = None) -> dict[str, float]:
    """A fresh database with the demo jurisdiction and the demo's purposes, grants and partner;
    returns the seconds each step took (not benchmark figures, just for the log)."""
    return demo_build(
        target, residents=residents or RESIDENTS, seed=SEED, until=UNTIL, env=environment(target)
    )


def partner_credentials(target: Target) -> tuple[str, str]:
    """The demo partner's client id and secret, as `civic demo` wrote them."""
    data = json.loads((target.var_dir / "demo-partner.json").read_text())
    return str(data["client_id"]), str(data["secret"])


def child_json(target: Target, module: str, args: Sequence[str]) -> tuple[dict[str, Any], Child]:
    """Run ``module`` (``python -m``, a module of this package) for ``target``; its figures
    and what it used."""
    argv = [sys.executable, "-m", module, *args]
    child = child_run(
        argv, env=environment(target), cwd=ROOT, postgres_database=target.postgres_database
    )
    if child.returncode:
        raise RuntimeError(
            f"{module} {' '.join(args)} failed on {target.label}:\n{child.stderr[-4000:]}"
        )
    lines = child.stdout.strip().splitlines()
    return json.loads(lines[-1]), child


def usage_of(child: Child) -> dict[str, float | None]:
    """What a child used, for the figures file."""
    return {
        "wall_s": child.wall_s,
        "cpu_s": child.cpu_s,
        "max_rss_mib": child.max_rss_mib,
        "server_cpu_s": child.usage.server_cpu_s,
        "busy_cores": child.usage.busy_cores,
        "other_cores": child.other_cores,
        "iowait_cores": child.usage.iowait_cores,
        "steal_cores": child.usage.steal_cores,
    }


def django_setup() -> None:
    """For a child: configure Django for the environment it was given."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    import django

    django.setup()


def partner_credentials_here() -> tuple[str, str]:
    """For a child: the demo partner's credentials from this process's CIVIC_VAR_DIR."""
    from django.conf import settings

    data = json.loads((Path(settings.VAR_DIR) / "demo-partner.json").read_text())
    return str(data["client_id"]), str(data["secret"])


def log_counts(target: Target) -> tuple[int, int]:
    """(entries, entries integrated into the tree) of the access log, read directly."""
    sql = f"SELECT count(*), count(position) FROM {LOG_TABLE}"
    if target.key == "sqlite":
        with sqlite3.connect(target.sqlite_file, timeout=60) as conn:
            row = conn.execute(sql).fetchone()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(target.database_url) as pg:
            row = pg.execute(sql).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def emit(figures: dict[str, Any]) -> None:
    """For a child: print the figures as the last line of standard output."""
    sys.stdout.write("\n" + json.dumps(figures, default=str) + "\n")

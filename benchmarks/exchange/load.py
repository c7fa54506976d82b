"""The exchange API under load: single-subject queries per second and their latency.

Starts the real server (``civic serve``: gunicorn, gthread workers, the access log written with
every release, the integrator thread of each worker signing checkpoints every second) and
drives it with ``wrk`` (Debian's, in C) on the same two-core machine, so the load generator
competes with the server and PostgreSQL for the CPUs, as it would on a small host. Each
request is POST /api/exchange/v1/persons/query with HTTP Basic credentials of the demo
partner, for one random living resident (a Lua script picks one per request from a list).

Per server setting (workers × threads): GET /health at the same concurrency, then the query,
each after a warm-up; the CPU time of gunicorn (master and workers), of the PostgreSQL server
and of wrk is sampled around every run, so the report can say what limits the rate. The best
setting is then run at other concurrencies, and once with the integrator off (the cost of the
background integration). Afterwards: every 200 answer in Civic's request log must have
its access-log entry (entries added = successful queries), the integrator must catch up, and
``civic auditlog verify`` must pass.

wrk is closed-loop: each connection sends its next request when the answer arrives, so the
latencies are those of a server kept exactly busy by that many clients (no queueing beyond).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.exchange.common import (
    FIELDS,
    PURPOSE,
    child_json,
    django_setup,
    emit,
    environment,
    log_counts,
    partner_credentials,
    say,
)
from benchmarks.exchange.server import (
    Server,
    Setting,
    lua_write,
    wrk_run,
    wrk_version,
)
from benchmarks.harness.meter import child_run
from benchmarks.harness.targets import CIVIC, ROOT, Target

QUERY_PATH = "/api/exchange/v1/persons/query"
USAGE_PATH = "/api/exchange/v1/usage"
#: The routes (URL patterns) these are logged under.
QUERY_ROUTE = "/api/exchange/v1/<register>/query"
USAGE_ROUTE = "/api/exchange/v1/usage"
#: (workers, threads) tried; the first is `civic serve`'s default.
SETTINGS = ((2, 4), (4, 2), (3, 3))
CONNECTIONS = 8  # concurrency when comparing settings
SWEEP = (2, 4, 16)  # other concurrencies tried on the best setting
DURATION_S = 30
WARMUP_S = 5
QUICK_DURATION_S = 10  # --quick: shorter runs, one setting
QUICK_WARMUP_S = 2
SUBJECTS = 5_000  # random living residents the load picks from


def subjects_write(target: Target, *, count: int = SUBJECTS) -> Path:
    """A file of ``count`` random living residents' personal numbers, one a line."""
    out = target.var_dir / "load-subjects.txt"
    child_json(target, "benchmarks.exchange.load", ["--subjects", str(out), "--count", str(count)])
    return out


def query_script(target: Target, subjects: Path) -> Path:
    client_id, secret = partner_credentials(target)
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    fields = ", ".join(json.dumps(f) for f in FIELDS)
    return lua_write(
        target.var_dir / "wrk-query.lua",
        lines=subjects,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Basic {basic}"},
        body=('{"subjects": ["', f'"], "fields": [{fields}], "purpose": "{PURPOSE}"}}'),
    )


def log_drain(target: Target, *, limit_s: float = 180.0) -> dict[str, Any]:
    """Wait for the integrator to take every entry; how many waited and how long it took."""
    entries, integrated = log_counts(target)
    backlog, began = entries - integrated, time.perf_counter()
    while integrated < entries and time.perf_counter() - began < limit_s:
        time.sleep(0.25)
        entries, integrated = log_counts(target)
    return {
        "backlog": backlog,
        "drain_s": time.perf_counter() - began,
        "left": entries - integrated,
    }


def _session(
    target: Target,
    setting: Setting,
    runs: list[tuple[str, int]],
    scripts: dict[str, Path],
    *,
    seconds: int,
    warmup: int,
    tag: str,
) -> dict[str, Any]:
    """One server with ``setting``: each (what, connections) in ``runs`` after a warm-up."""
    out: dict[str, Any] = {
        "setting": setting.label(),
        "workers": setting.workers,
        "threads": setting.threads,
        "integrator": setting.integrator,
        "runs": [],
    }
    with Server(target, setting, tag=tag) as server:
        for what, connections in runs:
            path = QUERY_PATH if what == "query" else "/health"
            url = server.url + path
            wrk_run(
                url,
                script=scripts[what],
                connections=connections,
                seconds=warmup,
                target=target,
                server=server,
            )
            figures = wrk_run(
                url,
                script=scripts[what],
                connections=connections,
                seconds=seconds if what == "query" else max(5, seconds // 2),
                target=target,
                server=server,
            )
            figures["what"] = what
            if figures["status_errors"] or figures["ok"] == 0:
                raise RuntimeError(
                    f"{what}: {figures['status_errors']} answers were not 2xx "
                    f"(see {server.access_log})"
                )
            out["runs"].append(figures)
            lat = figures["latency_ms"]
            say(
                f"    {setting.label()}, {what}, {connections} connections: "
                f"{figures['rate']:,.0f}/s, p50/p95/p99 {lat['p50']:.1f}/{lat['p95']:.1f}/"
                f"{lat['p99']:.1f} ms; CPU cores: gunicorn {figures['gunicorn_cpu_cores']:.2f}, "
                f"PostgreSQL {figures['postgres_cpu_cores']:.2f}, wrk "
                f"{figures['wrk_cpu_cores']:.2f}, other {figures['other_cores']:.2f}"
            )
        if setting.integrator:
            out["drain"] = log_drain(target)
        else:  # nothing integrates: the backlog waits for `civic auditlog integrate`
            entries, integrated = log_counts(target)
            out["drain"] = {
                "backlog": entries - integrated,
                "drain_s": 0.0,
                "left": entries - integrated,
            }
    # Counted once the server has stopped: gunicorn finishes the requests still in flight when
    # wrk ends (their entries are written) and logs them as it does.
    out["answers"] = server.answers(QUERY_ROUTE)
    return out


def load_run(
    target: Target, *, quick: bool = False, durations: tuple[int, int] | None = None
) -> dict[str, Any]:
    """Every server setting, the sweep, the integrator-off run, the entry count and verify.
    ``durations`` (seconds, warm-up) replace the default ones (a smoke run: one setting, a
    second each)."""
    subjects = subjects_write(target)
    scripts = {
        "query": query_script(target, subjects),
        "health": lua_write(
            target.var_dir / "wrk-health.lua", lines=subjects, method="GET", headers={}
        ),
    }
    quick = quick or durations is not None
    settings = SETTINGS[:1] if quick else SETTINGS
    seconds, warmup = (QUICK_DURATION_S, QUICK_WARMUP_S) if quick else (DURATION_S, WARMUP_S)
    if durations:
        seconds, warmup = durations
    entries_before, _ = log_counts(target)
    sessions = []
    for setting in settings:
        sessions.append(
            _session(
                target,
                Setting(*setting),
                [("health", CONNECTIONS), ("query", CONNECTIONS)],
                scripts,
                seconds=seconds,
                warmup=warmup,
                tag="compare",
            )
        )

    def rate(session: dict[str, Any]) -> float:
        return float(session["runs"][-1]["rate"])

    best = max(sessions, key=rate)
    best_setting = Setting(best["workers"], best["threads"])
    if not quick:
        sessions.append(
            _session(
                target,
                best_setting,
                [("query", c) for c in SWEEP],
                scripts,
                seconds=seconds,
                warmup=warmup,
                tag="sweep",
            )
        )
        sessions.append(
            _session(
                target,
                Setting(best["workers"], best["threads"], False),
                [("query", CONNECTIONS)],
                scripts,
                seconds=seconds,
                warmup=warmup,
                tag="compare",
            )
        )
    # With the integrator off, the entries of that run wait for `civic auditlog integrate`.
    subprocess.run(
        [str(CIVIC), "auditlog", "integrate"],
        env=environment(target),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    entries_after, integrated = log_counts(target)
    answered = sum(s["answers"].get("200", 0) for s in sessions)
    verify = child_run(
        [str(CIVIC), "auditlog", "verify"],
        env=environment(target),
        cwd=ROOT,
        postgres_database=target.postgres_database,
    )
    return {
        "connections": CONNECTIONS,
        "duration_s": seconds,
        "warmup_s": warmup,
        "subjects": SUBJECTS,
        "fields": list(FIELDS),
        "purpose": PURPOSE,
        "load_generator": wrk_version(),
        "sessions": sessions,
        "best": best_setting.key(),
        "entries_before": entries_before,
        "entries_after": entries_after,
        "entries_added": entries_after - entries_before,
        "answered_200": answered,
        "integrated_after": integrated,
        "verify": {
            "ok": verify.returncode == 0,
            "output": (verify.stdout or verify.stderr).strip(),
            "wall_s": verify.wall_s,
            "max_rss_mib": verify.max_rss_mib,
        },
    }


# --- the child's side ----------------------------------------------------------------------


def living_residents(count: int, seed: int = 7) -> list[str]:
    """``count`` random residents alive and living in the jurisdiction today."""
    from civic.core import clock
    from civic.registers.models import PersonRecord, Residence
    from civic.registers.selectors import bitemporal_at

    today = clock.today()
    living = set(
        bitemporal_at(Residence.objects.all(), valid_at=today).values_list(
            "person__personal_number", flat=True
        )
    )
    dead = set(
        bitemporal_at(
            PersonRecord.objects.filter(date_of_death__isnull=False), valid_at=today
        ).values_list("person__personal_number", flat=True)
    )
    chosen = sorted(living - dead)
    return random.Random(seed).sample(chosen, min(count, len(chosen)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=Path, required=True, help="write subjects here")
    parser.add_argument("--count", type=int, default=SUBJECTS)
    options = parser.parse_args()
    django_setup()
    numbers = living_residents(options.count)
    options.subjects.write_text("\n".join(numbers) + "\n")
    emit({"subjects": len(numbers)})


if __name__ == "__main__":
    sys.exit(main())

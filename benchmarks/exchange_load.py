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
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from databases import CIVIC, ROOT, Target
from exchange_common import (
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
from meter import TICK, child_run

PORT = 8100
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


@dataclass(frozen=True)
class Setting:
    workers: int
    threads: int
    integrator: bool = True

    def label(self) -> str:
        text = f"{self.workers} workers × {self.threads} threads"
        return text if self.integrator else text + ", integrator off"

    def key(self) -> str:
        return f"{self.workers}x{self.threads}" + ("" if self.integrator else "-nointegrator")


# --- the server ----------------------------------------------------------------------------


def _tree_ticks(root: int) -> int:
    """User + system ticks of process ``root`` and its children (gunicorn's master and workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            after_name = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == root or int(after_name[1]) == root:
            total += int(after_name[11]) + int(after_name[12])
    return total


class Server:
    """``civic serve`` for one setting, on 127.0.0.1:PORT; its request log (stdout) to a file."""

    def __init__(
        self, target: Target, setting: Setting, *, port: int = PORT, tag: str = ""
    ) -> None:
        self.target, self.setting, self.port = target, setting, port
        name = setting.key() + (f"-{tag}" if tag else "")
        self.access_log = target.var_dir / f"gunicorn-access-{name}.log"
        self.error_log = target.var_dir / f"gunicorn-error-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        env = environment(
            self.target,
            CIVIC_WEB_WORKERS=str(self.setting.workers),
            CIVIC_WEB_THREADS=str(self.setting.threads),
            CIVIC_AUDITLOG_INTEGRATOR="thread" if self.setting.integrator else "off",
        )
        with self.access_log.open("wb") as out, self.error_log.open("wb") as err:
            self.process = subprocess.Popen(
                [str(CIVIC), "serve", "--bind", f"127.0.0.1:{self.port}"],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"civic serve exited:\n{self.error_log.read_text()[-3000:]}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return self
            time.sleep(0.25)
        self.__exit__(None, None, None)
        raise RuntimeError("civic serve did not answer /health within 60 s")

    def ticks(self) -> int:
        assert self.process is not None
        return _tree_ticks(self.process.pid)

    def __exit__(self, *_exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def answers(self, route: str) -> dict[str, int]:
        """Responses the server logged for ``route`` (a URL pattern), by status: Civic's request
        lines, JSON one a line (gunicorn's own access log is off: it would log paths)."""
        counts: dict[str, int] = {}
        for line in self.access_log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") == "civic.request" and entry.get("route") == route:
                status = str(entry.get("status", "?"))
                counts[status] = counts.get(status, 0) + 1
        return counts


# --- wrk -----------------------------------------------------------------------------------

LUA = """-- written by benchmarks/exchange_load.py
local lines = {}
for line in io.lines([==[%(lines)s]==]) do lines[#lines + 1] = line end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(%(seed)d + (id or 0))
end
wrk.method = [==[%(method)s]==]
%(headers)s
request = function()
  local line = lines[math.random(#lines)]
  %(request)s
end
done = function(summary, latency, requests)
  io.write(string.format(
    'JSON:{"requests":%%d,"duration_us":%%d,"bytes":%%d,"status_errors":%%d,' ..
    '"connect_errors":%%d,"read_errors":%%d,"write_errors":%%d,"timeouts":%%d,' ..
    '"p50_us":%%d,"p90_us":%%d,"p95_us":%%d,"p99_us":%%d,"mean_us":%%f,"max_us":%%d}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max))
end
"""


def lua_write(
    path: Path,
    *,
    lines: Path,
    method: str,
    headers: dict[str, str],
    body: tuple[str, str] | None = None,
    cookie: str | None = None,
    seed: int = 1,
) -> Path:
    """A wrk script that sends one request per call, with a random line of ``lines`` put
    between ``body``'s prefix and suffix, or as the value of cookie ``cookie``."""
    header_lines = "\n".join(
        f"wrk.headers[ [==[{k}]==] ] = [==[{v}]==]" for k, v in headers.items()
    )
    if body:
        request = (
            f"return wrk.format(nil, nil, nil, [==[{body[0]}]==] .. line .. [==[{body[1]}]==])"
        )
    elif cookie:
        request = (
            f'wrk.headers["Cookie"] = [==[{cookie}=]==] .. line\n'
            "  return wrk.format(nil, nil, nil, nil)"
        )
    else:
        request = "return wrk.format(nil, nil, nil, nil)"
    path.write_text(
        LUA
        % {
            "lines": lines,
            "seed": seed,
            "method": method,
            "headers": header_lines,
            "request": request,
        }
    )
    return path


def wrk_run(
    url: str, *, script: Path, connections: int, seconds: int, target: Target, server: Server | None
) -> dict[str, Any]:
    """One wrk run; its figures with the CPU used by wrk, gunicorn and PostgreSQL meanwhile."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    argv = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    before = server.ticks() if server else 0
    child = child_run(
        argv, env=dict(os.environ), cwd=ROOT, postgres_database=target.postgres_database
    )
    gunicorn_s = ((server.ticks() - before) / TICK) if server else 0.0
    found = [line for line in child.stdout.splitlines() if line.startswith("JSON:")]
    if child.returncode or not found:
        raise RuntimeError(f"wrk failed ({child.returncode}):\n{child.stdout}\n{child.stderr}")
    figures: dict[str, Any] = json.loads(found[0][5:])
    wall = figures["duration_us"] / 1e6
    ok = figures["requests"] - figures["status_errors"]
    server_s = child.usage.server_cpu_s or 0.0
    figures.update(
        connections=connections,
        ok=ok,
        rate=ok / wall,
        latency_ms={k: figures[f"{k}_us"] / 1000 for k in ("p50", "p90", "p95", "p99", "max")},
        wall_s=child.wall_s,
        wrk_cpu_cores=child.cpu_s / child.wall_s,
        gunicorn_cpu_cores=gunicorn_s / child.wall_s,
        postgres_cpu_cores=server_s / child.wall_s,
        busy_cores=child.usage.busy_cores,
        other_cores=max(
            0.0, child.usage.busy_cores - (child.cpu_s + gunicorn_s + server_s) / child.wall_s
        ),
        steal_cores=child.usage.steal_cores,
        iowait_cores=child.usage.iowait_cores,
    )
    figures["mean_ms"] = figures.pop("mean_us") / 1000
    return figures


# --- the orchestrator's side ---------------------------------------------------------------


def subjects_write(target: Target, *, count: int = SUBJECTS) -> Path:
    """A file of ``count`` random living residents' personal numbers, one a line."""
    out = target.var_dir / "load-subjects.txt"
    child_json(target, Path(__file__).resolve(), ["--subjects", str(out), "--count", str(count)])
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


def load_run(target: Target, *, quick: bool = False) -> dict[str, Any]:
    """Every server setting, the sweep, the integrator-off run, the entry count and verify."""
    subjects = subjects_write(target)
    scripts = {
        "query": query_script(target, subjects),
        "health": lua_write(
            target.var_dir / "wrk-health.lua", lines=subjects, method="GET", headers={}
        ),
    }
    settings = SETTINGS[:1] if quick else SETTINGS
    seconds, warmup = (QUICK_DURATION_S, QUICK_WARMUP_S) if quick else (DURATION_S, WARMUP_S)
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


def wrk_version() -> str:
    wrk = shutil.which("wrk") or "wrk"
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "wrk"


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

"""The exchange load's server and load generator: ``civic serve`` for one setting (workers ×
threads, the integrator on or off) and ``wrk`` driving it with a Lua script (see
exchange/load.py for what is measured)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.exchange.common import environment
from benchmarks.harness import context
from benchmarks.harness.meter import TICK, child_run
from benchmarks.harness.targets import CIVIC, ROOT, Target

PORT = 8100


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


def tree_ticks(root: int) -> int:
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
        self, target: Target, setting: Setting, *, port: int | None = None, tag: str = ""
    ) -> None:
        self.target, self.setting = target, setting
        self.port = port or context.current().port(PORT)
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
        return tree_ticks(self.process.pid)

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


def wrk_version() -> str:
    wrk = shutil.which("wrk") or "wrk"
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "wrk"

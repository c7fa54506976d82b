"""Tracing overhead: what CIVIC_TRACES_EXPORTER costs a request.
``python -m benchmarks --section tracing``; alone: ``python -m benchmarks.tracing.section
--figures FILE [--requests N] [--rounds N] [--residents N] [--var DIR]``.

On a fresh SQLite demo installation (var/bench-tracing, built by the harness's builder; alone,
without ``--var``, in a temporary folder), Django's test client sends the
same requests through the whole middleware stack in three settings, in interleaved rounds so
that the machine's other load falls on all three alike: traces off (the default: no SDK), OTLP
on with every trace recorded and exported to an OTLP/HTTP receiver in this process (the spans
decoded, as a collector would), and OTLP on with sampling at 0 (spans made but not recorded).
Two requests: a service page (one server span) and an exchange query over the API (a server
span and five exchange spans). Reports the median and p95 per request and the difference to
off, and writes the "tracing" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.exchange.common import FIELDS, PURPOSE
from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.paths import ROOT
from benchmarks.harness.targets import UNLIMITED, Target

MODES = ("off", "otlp, sampled out", "otlp")


def _environment(var: Path) -> dict[str, str]:
    """The measuring process's environment: none of the caller's CIVIC_ and OTEL_ settings,
    SQLite under ``var``, DEBUG off, warnings only, the integrator off."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "OTEL_")) and k != "DATABASE_URL"
    }
    env.update(
        CIVIC_VAR_DIR=str(var),
        CIVIC_DEBUG="false",
        CIVIC_LOG_LEVEL="WARNING",
        CIVIC_AUDITLOG_INTEGRATOR="off",
        DJANGO_SETTINGS_MODULE="civic.settings",
        **UNLIMITED,
    )
    return env


def _prepare(var: Path, residents: int) -> None:
    """The demo installation under ``var`` (the harness's builder: in a smoke run, a copy
    of the run's shared build)."""
    demo_build(Target("sqlite", "SQLite", var, ""), residents=residents, env=_environment(var))


def _mode_start(mode: str, receiver_url: str) -> None:
    from opentelemetry import trace
    from opentelemetry.util._once import Once

    from civic.core import traces

    traces.traces_stop()
    trace._TRACER_PROVIDER_SET_ONCE, trace._TRACER_PROVIDER = Once(), None
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver_url
    if mode != "off":
        ratio = 0.0 if mode == "otlp, sampled out" else 1.0
        traces.traces_start(default_service=traces.WEB, exporter="otlp", sample_ratio=ratio)


_RECEIVER = """
import sys
sys.path.insert(0, sys.argv[1])
from tests.otlp import receiver_start
receiver, server = receiver_start()
print(receiver.url, flush=True)
sys.stdin.read()
print(len(receiver.spans), flush=True)
"""


def _receiver_start() -> tuple[subprocess.Popen, str]:
    """The OTLP receiver in a process of its own, so that its decoding is not counted as
    Civic's CPU time (a collector runs beside Civic, not inside it)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _RECEIVER, str(ROOT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return child, child.stdout.readline().strip()


def _timed(send, count: int) -> tuple[list[float], float]:
    """Wall time of each request (ms) and the process's CPU time per request (ms), the SDK's
    exporting thread included."""
    times = []
    cpu = time.process_time()
    for _ in range(count):
        began = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content[:300]
    return times, (time.process_time() - cpu) * 1000 / count


def _span_cost(count: int = 2_000) -> float:
    """Microseconds to make, end and (when recorded) send one span (``traces.span``) in the
    current setting: as many as the SDK's queue holds (2,048), then flushed."""
    from civic.core import traces

    began = time.perf_counter()
    for _ in range(count):
        with traces.span("benchmark.step", {"civic.subjects": 1}):
            pass
    traces.traces_flush()
    return (time.perf_counter() - began) * 1e6 / count


def measure(requests: int, rounds: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from civic.core import traces
    from civic.registers.selectors import demo_resident_personal_number

    receiver, receiver_url = _receiver_start()
    partner = json.loads((Path(settings.VAR_DIR) / "demo-partner.json").read_text())
    token = base64.b64encode(f"{partner['client_id']}:{partner['secret']}".encode()).decode()
    body = {
        "subjects": [demo_resident_personal_number()],
        "fields": list(FIELDS),
        "purpose": PURPOSE,
    }
    client = Client()
    kinds = {
        "service page (`GET /services/<slug:code>/`, 1 span)": lambda: client.get(
            "/services/child-benefit/"
        ),
        "exchange query (`POST /api/exchange/v1/<register>/query`, 6 spans)": lambda: client.post(
            "/api/exchange/v1/persons/query",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Basic {token}",
        ),
    }
    times: dict[str, dict[str, list[float]]] = {k: {m: [] for m in MODES} for k in kinds}
    cpu: dict[str, dict[str, list[float]]] = {k: {m: [] for m in MODES} for k in kinds}
    span_costs: dict[str, list[float]] = {m: [] for m in MODES}
    for send in kinds.values():
        _timed(send, 50)  # warm-up: caches, prepared statements, the first span's set-up
    for _ in range(rounds):
        for mode in MODES:
            _mode_start(mode, receiver_url)
            for kind, send in kinds.items():
                wall, per_request_cpu = _timed(send, requests)
                times[kind][mode] += wall
                cpu[kind][mode].append(per_request_cpu)
            span_costs[mode].append(_span_cost())
            traces.traces_flush()
    _mode_start("off", receiver_url)
    received = int(receiver.communicate("")[0].strip().splitlines()[-1])
    figures: dict = {"kinds": {}, "span_us": {}, "spans_received": received}
    for kind, by_mode in times.items():
        figures["kinds"][kind] = {
            mode: {
                "median_ms": statistics.median(t),
                "p95_ms": statistics.quantiles(t, n=20)[-1],
                "cpu_ms": statistics.median(cpu[kind][mode]),
                "requests": len(t),
            }
            for mode, t in by_mode.items()
        }
    figures["span_us"] = {mode: statistics.median(c) for mode, c in span_costs.items()}
    return figures


def render(figures: dict, machine: dict, requests: int, rounds: int, residents: int) -> str:
    lines = [
        report.begin("tracing", "benchmarks --section tracing"),
        "## Tracing overhead",
        "",
        f"Machine: {machine['cpu']}, {machine['memory']}, Python {machine['python']}, "
        f"SQLite {machine['sqlite']}. Date: {machine['date']}; load average at start "
        f"{machine['load_at_start']}. `benchmarks/tracing.py`: Django's test client through the "
        f"whole middleware stack on a {residents:,}-resident demo (SQLite, DEBUG off, log level "
        f"WARNING), {rounds} interleaved rounds of {requests} requests per setting and request (the load average says how busy the shared machine was); "
        "OTLP over loopback to a receiver in a process of its own that decodes every export, as a "
        "collector on the host would (its work shares the two CPUs).",
        "",
        "Per request: median and p95 of the wall time, and the CPU time of Civic's process "
        "(the SDK's exporting thread included, the receiver's decoding not).",
        "",
        "| Request | off: median / p95 (CPU) | OTLP, sampled out | OTLP, every trace | Cost of every trace: wall (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, by_mode in figures["kinds"].items():
        off, out, on = (by_mode[m] for m in MODES)

        def cell(f):
            return f"{f['median_ms']:.2f} / {f['p95_ms']:.2f} ms ({f['cpu_ms']:.2f})"

        extra = on["median_ms"] - off["median_ms"]
        extra_cpu = on["cpu_ms"] - off["cpu_ms"]
        lines.append(
            f"| {kind} | {cell(off)} | {cell(out)} | {cell(on)} "
            f"| {extra * 1000:+.0f} µs, {extra / off['median_ms']:+.1%} "
            f"({extra_cpu * 1000:+.0f} µs, {extra_cpu / off['cpu_ms']:+.1%}) |"
        )
    spans = figures["span_us"]
    lines += [
        "",
        f"One span made and ended by `traces.span`, alone in a loop: off {spans['off']:.2f} µs "
        f"(a shared no-op context), sampled out {spans['otlp, sampled out']:.1f} µs, "
        f"recorded and sent {spans['otlp']:.1f} µs (2,000 spans, then a flush). Spans the receiver got: "
        f"{figures['spans_received']:,}.",
        "",
        f"So a request of six spans pays about {6 * spans['otlp'] / 1000:.2f} ms of CPU with "
        f"every trace recorded and {6 * spans['otlp, sampled out'] / 1000:.2f} ms sampled out; "
        "the per-request figures agree within their noise, which on this shared machine is a few "
        "hundred microseconds from run to run (compare the p95s). Sample "
        "(CIVIC_TRACES_SAMPLE_RATIO) where that matters.",
        "",
        "Off, a request pays a check of a module variable: no SDK is imported. On, a recorded span "
        "costs its making, ending and a share of its batch's encoding and sending, which the SDK "
        "does in a thread of its own, off the request's path; on these two shared CPUs that "
        "thread still competes with the requests.",
        "",
        "<!-- tracing: end -->",
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The tracing section: measured in a process of its own (it sets Django up for a demo
    installation of its own), written here."""
    out = context.current().results / "tracing-run.json"
    var = context.current().var_dir("bench-tracing")
    _prepare(var, sizes["residents"])
    argv = [sys.executable, "-m", "benchmarks.tracing.section", "--figures", str(out)]
    for name in ("requests", "rounds", "residents"):
        argv += [f"--{name}", str(sizes[name])]
    argv += ["--var", str(var)]
    if subprocess.run(argv, cwd=ROOT, check=False).returncode:
        return ["tracing"]
    saved = json.loads(out.read_text())
    out.unlink()
    report.results_save("tracing", saved)
    report.section_write("tracing", render(saved["figures"], saved["machine"], **saved["run"]))
    return []


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--residents", type=int, default=5_000)
    parser.add_argument("--figures", type=Path, required=True, help="write the figures here")
    parser.add_argument("--var", type=Path, help="a demo installation built already (else one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="civic-tracing-") as scratch:
        var = args.var or Path(scratch)
        if not args.var:
            _prepare(var, args.residents)
        os.environ.clear()
        os.environ.update(_environment(var))
        import django

        django.setup()
        figures = measure(args.requests, args.rounds)
    machine = machine_describe(postgres_url=None)
    run = {"requests": args.requests, "rounds": args.rounds, "residents": args.residents}
    args.figures.write_text(
        json.dumps({"machine": machine, "run": run, "figures": figures}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()

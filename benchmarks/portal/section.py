"""Portal benchmarks: server time of the resident-facing pages, their weight, and the service
finder's accuracy. ``python -m benchmarks --section portal [--only sqlite|postgres]``

Against the 50,000-resident demo jurisdiction on SQLite and PostgreSQL, served by gunicorn with
production settings (DEBUG off): p50/p95 of the time from request to last byte, one request at a
time on loopback (so it is the server's time), for the home page, a service page, a search and a
resident's dashboard (logged in; the dashboard reads the resident's data through the exchange and
logs it). Page weight: the HTML and every stylesheet and script it loads, as sent compressed.
Writes the "portal" section of docs/benchmarks.md and benchmarks/results/portal.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build, migrated
from benchmarks.harness.machine import cpu_describe
from benchmarks.harness.paths import POSTGRES_SERVER, ROOT
from benchmarks.harness.report import LABELS, say
from benchmarks.harness.targets import UNLIMITED, Target

CIVIC = Path(sys.executable).with_name("civic")
PORT = 8110
PAGES = {
    "home": "/",
    "service page": "/services/child-benefit/",
    "search": "/services/search/?q=lost+my+job",
    "dashboard (logged in)": "/my/",
}
GOALS = {"dashboard (logged in)": 100.0}


def _say(text: str) -> None:
    say(text)


def _target(key: str) -> Target:
    run = context.current()
    database = run.database("civic_bench_portal")
    url = f"{POSTGRES_SERVER}/{database}" if key == "postgres" else ""
    return Target(key, LABELS[key], run.var_dir(f"bench-portal-{key}"), url)


def _env(target: Target) -> dict[str, str]:
    return target.env(CIVIC_DEBUG="false", **UNLIMITED)


def _prepare(target: Target, residents: int) -> None:
    _say(f"{target.key}: building the {residents:,}-resident demo …")
    demo_build(target, residents=residents, until=None, env=_env(target))


def _resident_session(env: dict[str, str]) -> str:
    code = (
        "from civic.registers.selectors import demo_resident_personal_number as d;"
        "from civic.identity.services import resident_account_ensure as r;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "u=r(personal_number=d()); s=SessionStore();"
        "s['_auth_user_id']=str(u.pk); s['_auth_user_backend']='civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend';"
        "s['_auth_user_hash']=u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    out = subprocess.run(
        [str(CIVIC), "shell", "-v", "0", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _get(url: str, session: str | None = None, *, gzip_ok: bool = True) -> tuple[bytes, int]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers), timeout=30
    ) as response:
        body = response.read()
        return body, response.status


def _timings(base: str, path: str, session: str | None, count: int) -> dict[str, float]:
    for _ in range(min(20, count)):  # warm-up (a smoke run's few)
        _get(base + path, session)
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        _get(base + path, session)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[int(0.95 * len(samples)) - 1],
        "count": count,
    }


def _weight(base: str, path: str, session: str | None) -> dict[str, int]:
    html, _ = _get(base + path, session)
    text = gzip.decompress(html).decode() if html[:2] == b"\x1f\x8b" else html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text) + re.findall(
        r'<script[^>]+src="([^"]+)"', text
    )
    sent = {"html": len(html)}
    for asset in dict.fromkeys(assets):
        body, _ = _get(base + asset)
        sent[asset] = len(body)
    return sent


def measure(key: str, requests: int, residents: int = 50_000) -> dict:
    target = _target(key)
    _prepare(target, residents)
    env = _env(target)
    port = context.current().port(PORT)
    session = _resident_session(env)
    server = subprocess.Popen(
        [str(CIVIC), "serve", "--bind", f"127.0.0.1:{port}"],
        env={**env, "CIVIC_WEB_WORKERS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(base + "/health")
                break
            except OSError:
                time.sleep(0.3)
        pages = {}
        for name, path in PAGES.items():
            who = session if "logged in" in name else None
            pages[name] = {
                "path": path,
                **_timings(base, path, who, requests),
                "weight": _weight(base, path, who),
            }
            _say(
                f"  {key} {name}: p50 {pages[name]['p50']:.1f} ms, p95 {pages[name]['p95']:.1f} ms, "
                f"{sum(pages[name]['weight'].values()) / 1024:.1f} KiB"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"pages": pages, "requests": requests}


def finder_accuracy() -> dict:
    """Top-1 and top-3 over both query sets, in this process against a scratch database."""
    scratch = Target("sqlite", "SQLite", context.current().var_dir("bench-finder"), "")
    env = scratch.env()
    migrated(scratch, env=env)
    code = (
        "import json; from pathlib import Path;"
        "from civic.setup.services import DEMO_SETUP, setup_apply; setup_apply(path=DEMO_SETUP);"
        "from civic.catalog.selectors import services_find;"
        "out={};\n"
        "for name in ('finder_queries', 'finder_queries_heldout'):\n"
        "    qs=json.loads(Path('src/civic/catalog/data/'+name+'.json').read_text()); t1=t3=0\n"
        "    for c in qs:\n"
        "        f=[s.code for s,_ in services_find(query=c['query'], limit=3)]\n"
        "        t1+=bool(f) and f[0] in c['expected']; t3+=any(x in c['expected'] for x in f)\n"
        "    out[name]={'queries': len(qs), 'top1': t1/len(qs), 'top3': t3/len(qs)}\n"
        "print(json.dumps(out))"
    )
    Path(env["CIVIC_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [str(CIVIC), "shell", "-v", "0", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def render(results: dict) -> str:
    machine = results.get("machine", "")
    lines = [
        report.begin("portal", "benchmarks --section portal"),
        "## Portal: page times, page weight and the finder's accuracy",
        "",
        f"Machine: {machine}. Date: {results.get('date', '')}. Pages served by gunicorn (2 workers, DEBUG off) "
        "on the 50,000-resident demo; one request at a time on loopback, so the time is the server's; "
        f"{results.get('requests', '?')} requests per page after 20 warm-up requests.",
        "",
        "| Page | SQLite p50 / p95 | PostgreSQL p50 / p95 | Weight sent (compressed) | Goal |",
        "|---|---:|---:|---:|---|",
    ]
    for name in PAGES:
        cells = []
        for key in ("sqlite", "postgres"):
            page = results.get(key, {}).get("pages", {}).get(name)
            cells.append(f"{page['p50']:.1f} / {page['p95']:.1f} ms" if page else "not measured")
        any_page = results.get("postgres", {}).get("pages", {}).get(name) or results.get(
            "sqlite", {}
        ).get("pages", {}).get(name)
        weight = f"{sum(any_page['weight'].values()) / 1024:.1f} KiB" if any_page else "—"
        goal = f"p95 under {GOALS[name]:.0f} ms; " if name in GOALS else ""
        lines.append(
            f"| {name} (`{PAGES[name]}`) | {cells[0]} | {cells[1]} | {weight} | {goal}under 150 KB |"
        )
    finder = results.get("finder", {})
    lines += [
        "",
        "Service finder, right service first (top-1) and among the first three (top-3); goal top-3 at least 90%:",
        "",
        "| Query set | Queries | Top-1 | Top-3 |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "finder_queries": "written with the catalogue",
        "finder_queries_heldout": "held out (written from the service names only)",
    }
    for key, label in labels.items():
        if key in finder:
            f = finder[key]
            lines.append(f"| {label} | {f['queries']} | {f['top1']:.1%} | {f['top3']:.1%} |")
    lines += [
        "",
        "What limits the page times: Django's template rendering and, on the dashboard, three reads through the "
        "exchange (persons, addresses, income), each with its access-log entry written and committed. Weight is "
        "GOV.UK Frontend's stylesheet (about 16 KiB compressed) and script (about 11 KiB) plus the page itself.",
        "",
        "<!-- portal: end -->",
    ]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The portal section (``sizes``: "requests" per page, "residents" of the demo)."""
    results = report.results_load("portal")
    model, count = cpu_describe()
    results["machine"] = f"{model}, {count} logical CPUs, Python {platform.python_version()}"
    results["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["requests"] = sizes["requests"]
    for key in [options.only] if options.only else ["sqlite", "postgres"]:
        results[key] = measure(key, sizes["requests"], sizes["residents"])
    results["finder"] = finder_accuracy()
    report.results_save("portal", results)
    _say(f"Wrote {report.section_write('portal', render(results))}")
    return []

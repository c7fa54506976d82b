"""The "faults" section of docs/benchmarks.md, from benchmarks/results/faults.json."""

from __future__ import annotations

import json
from typing import Any

from benchmarks.harness.report import section_write

TITLES = {
    "worker": "1. A Celery worker killed (SIGKILL) mid-task",
    "restarts": "2. RabbitMQ and PostgreSQL restarted under load",
    "disk": "3. The media disk full",
    "web": "4. The web server killed (SIGKILL) mid-submission",
}


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return json.dumps(value) if value else "none"
    return str(value)


def render(results: dict[str, Any], notes: dict[str, str] | None = None) -> str:
    machine = results.get("machine", {})
    lines = [
        "<!-- faults: begin (written by benchmarks/faults.py; edits in here are overwritten) -->",
        "## Fault tests",
        "",
        f"Machine: {machine.get('cpu', '?')}, {machine.get('memory', '?')}. "
        "`benchmarks/faults.py` (or `benchmarks/run.py --section faults`, as root) starts a "
        "private PostgreSQL 15 cluster (port 55432) and a private RabbitMQ node (port 55672) "
        "in var/bench-faults, so that stopping them disturbs none of the machine's shared "
        "services, with the 3,000-resident demo and Civic as production runs it: `civic serve`, "
        "Celery workers (and beat) on RabbitMQ, e-mail, register events and proactive runs "
        "through Celery. Each fault asserts that nothing is lost and nothing is done twice.",
        "",
    ]
    for key, title in TITLES.items():
        fault = results.get("faults", {}).get(key)
        if not fault:
            continue
        lines += [f"### {title}", ""]
        lines.append(f"- Done: {fault.get('done', fault.get('why', '—'))}.")
        if "moments_s" in fault:
            lines.append("- When (seconds from the start): " + _text(fault["moments_s"]) + ".")
        if "users saw" in fault:
            lines.append(f"- Users saw: {_text(fault['users saw'])}.")
        for extra in (
            "users saw, by outage",
            "errors whose application had been stored all the same",
            "sent again afterwards",
            "sent once more after success",
            "feed",
            "subscriber received",
            "expected",
        ):
            if extra in fault:
                lines.append(f"- {extra.capitalize()}: {_text(fault[extra])}.")
        if "checked" in fault:
            lines.append(f"- Checked: {_text(fault['checked'])}.")
        if "error" in fault:
            lines.append(f"- Error: {fault['error']}")
        lines.append(
            f"- Result: **{fault.get('result', '?')}** ({fault.get('date', '?')}, "
            f"{fault.get('took_s', 0):.0f} s; load average after "
            f"{' / '.join(f'{x:.2f}' for x in fault.get('load_average', []))})."
        )
        if notes and key in notes:
            lines += ["", notes[key]]
        lines.append("")
    lines.append("<!-- faults: end -->")
    return "\n".join(lines)


def write(results: dict[str, Any]) -> None:
    section_write("faults", render(results, results.get("notes")))

"""``python -m benchmarks`` (``make bench``; ``benchmarks/run.py`` is the same): run the
sections of the registry and write docs/benchmarks.md.

``--section NAME`` (repeatable) runs those only; ``--only sqlite|postgres`` one database;
``--quick`` the smaller sizes of the foundation and proactive sections; ``--smoke`` every
section at tiny sizes, writing only to a scratch folder (never docs/benchmarks.md), to prove
the benchmarks still run (``make test`` does it: tests/benchmarks). ``--list`` prints the
sections with their sizes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

from benchmarks.harness import context
from benchmarks.harness.build import smoke_build
from benchmarks.harness.registry import SECTIONS, Section
from benchmarks.harness.report import say
from benchmarks.harness.targets import targets


def parser() -> argparse.ArgumentParser:
    names = [s.name for s in SECTIONS]
    p = argparse.ArgumentParser(
        prog="benchmarks", description="Run Civic's benchmarks; write docs/benchmarks.md."
    )
    p.add_argument("--section", action="append", choices=names, help="this section only")
    p.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    p.add_argument("--quick", action="store_true", help="the smaller sizes only (foundation)")
    p.add_argument(
        "--smoke",
        action="store_true",
        help="every section at tiny sizes; writes nothing but a scratch folder",
    )
    p.add_argument("--list", action="store_true", help="print the sections and their sizes")
    p.add_argument(
        "--outcomes", type=Path, help="write the registry and each section's outcome here (JSON)"
    )
    p.add_argument("--samples", type=int, help="foundation: point queries to time per database")
    p.add_argument("--entries", type=int, help="exchange: entries of the big access log")
    p.add_argument(
        "--residents",
        type=lambda text: tuple(int(x.replace("_", "")) for x in text.split(",")),
        help="privacy_store: the jurisdiction sizes of the retention run, comma-separated; "
        "opendata: the jurisdiction's size (the first)",
    )
    p.add_argument(
        "--part",
        choices=["retention", "encryption"],
        help="privacy_store: only this one of its two measurements",
    )
    return p


def section_list() -> str:
    lines = []
    for s in SECTIONS:
        lines.append(f"{s.name:14} {s.about} ({', '.join(s.databases)})")
        lines.append(f"{'':14}   full:  {s.full or 'fixed'}")
        on = f" (on {s.smoke_on} only)" if s.smoke_on else ""
        lines.append(f"{'':14}   smoke: {s.smoke or 'fixed'}{on}")
    return "\n".join(lines)


def section_run(section: Section, options: argparse.Namespace) -> str:
    """Run one section; "" when it passed, else what went wrong (or "SKIPPED: why")."""
    run = context.current()
    supported = section.runs_on(run.smoke)
    databases = [d for d in supported if options.only in (None, d)]
    if not databases:
        where = " in a smoke run" if supported != section.databases else ""
        return f"SKIPPED: runs on {' and '.join(supported)} only{where}"
    module = importlib.import_module(section.module)
    sizes = section.sizes(run.smoke)
    sizes["skip"] = section.smoke_skip() if run.smoke else ""
    local = argparse.Namespace(**vars(options))
    local.only = options.only or (databases[0] if len(supported) == 1 else None)
    failed = module.run(sizes, local)
    if failed:
        return "FAILED: " + ", ".join(failed)
    return f"SKIPPED: {sizes['skip']}" if sizes["skip"] else ""


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (not the database
    server's): with the wall time, how much of a section was waiting for a busy machine."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    options = parser().parse_args(argv)
    if options.list:
        print(section_list())
        return 0
    chosen = [s for s in SECTIONS if not options.section or s.name in options.section]
    # Stopped (a test's timeout, kill): unwind, so a smoke run drops its databases and folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    outcomes: dict[str, str] = {}
    with context.started(smoke=options.smoke, only=options.only) as run:
        if run.smoke:
            say(f"Smoke run: tiny sizes, output in {run.scratch} (docs/benchmarks.md untouched).")
        if run.smoke and not options.section:  # (else the first section to want it builds it)
            began, cpu = time.monotonic(), _cpu_s()
            for target in targets(options.only):  # the one demo build the sections share
                smoke_build(target)
            took = f"{time.monotonic() - began:.0f} s, CPU {_cpu_s() - cpu:.0f} s"
            say(f"== the shared smoke build: {took}")
        for section in chosen:
            began, cpu = time.monotonic(), _cpu_s()
            say(f"== {section.name}")
            try:
                outcome = section_run(section, options)
            except Exception as error:  # report it, go on with the next section
                traceback.print_exc()
                outcome = f"FAILED: {type(error).__name__}: {error}"
            outcomes[section.name] = outcome
            took = f"{time.monotonic() - began:.0f} s, CPU {_cpu_s() - cpu:.0f} s"
            say(f"== {section.name}: {outcome or 'ok'} ({took})")
    say("\n".join(f"{name:14} {outcome or 'ok'}" for name, outcome in outcomes.items()))
    if options.outcomes:
        registered = {
            s.name: {
                "databases": list(s.databases),
                "smoke_databases": list(s.runs_on(smoke=True)),
                "smoke_skip": s.smoke_skip(),
            }
            for s in SECTIONS
        }
        ran = {k: v or "ok" for k, v in outcomes.items()}
        options.outcomes.write_text(json.dumps({"registered": registered, "outcomes": ran}))
    return 1 if any(o.startswith("FAILED") for o in outcomes.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

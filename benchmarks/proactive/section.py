"""Rules-as-code benchmarks (issue 6): a proactive run over generated residents end to end, and
one automated decision with its explanation.

``python -m benchmarks.proactive.section [--only sqlite|postgres] [--quick] [--large-chunk N]
[--decisions N] [--repeats N] [--regenerate] [--runs-only]``, or ``benchmarks/run.py --section proactive [--quick]
[--only sqlite|postgres]``.

On SQLite and PostgreSQL, for 100,000 and 1,000,000 generated residents (``--quick``: 100,000
only):

1. the proactive run as ``civic proactive run --fresh`` does it, ``run_execute(run_start())``,
   in a process of its own: its wall time, the time per stage summed over the chunks (each
   chunk records read, compute and write), the time outside the chunks (making the run and its
   chunks, locking, saving and committing each chunk), the process's peak memory (max RSS), the
   CPU of the PostgreSQL server, and what it wrote: offers, inbox messages, access-log entries;
   at the largest size on PostgreSQL once more with ``--large-chunk`` addresses per chunk, as
   configured and with server-side prepared statements off (``--runs-only`` measures only
   those of them missing from the results);
2. OpenFisca alone, in another process after the run: the same arrays for the whole
   population at once (the run's statements, without logging), one simulation built over
   them, and only the ``calculate`` calls the run makes (every proactive rule set's eligibility
   and amount, household income, children under 18), best of three fresh simulations; the run's
   total divided by it, and the run's overhead (total − OpenFisca) against the goal of 10
   minutes at 1,000,000 residents on PostgreSQL;
3. on the 100,000-resident database: one automated decision of the school clothing grant,
   ``application_evaluate`` (the household read through the exchange and logged, the rule set
   run with its trace) plus ``decision_summary`` (the reasons in words), for ``--decisions``
   different applicants after 20 warm-up calls (goal: p95 under 50 ms); next to it the whole
   submission (``application_submit``) with the rules off and with the rules deciding.

Each size is generated once into a seed (SQLite: a file under var/bench-proactive-*/;
PostgreSQL: a template database) with the platform data (catalogue, message templates, demo
forms and case types, the rules' purpose and grants), kept while the generator and registers
code stay the same (``--regenerate`` makes it again); every run starts from a copy of the seed,
migrated. Writes the "proactive" section of docs/benchmarks.md and
benchmarks/results/proactive.json. The measurements run in ``civic shell`` subprocesses that
call the ``django_*`` functions of django_side.py (databases.py: the seeds; measure.py: the
runs; report.py and notes.py: the page). In a smoke run its folders and databases are the
run's own, so it never touches a full run's seeds.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from benchmarks.harness import context, report
from benchmarks.proactive.common import (
    DECISIONS,
    FULL_SIZES,
    LARGE_CHUNK,
    POSTGRES_SERVER,
    QUICK_SIZES,
    REPEATS,
)
from benchmarks.proactive.common import say as _say
from benchmarks.proactive.databases import code_state
from benchmarks.proactive.measure import measure, runs_missing
from benchmarks.proactive.report import render


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--quick", action="store_true", help="100,000 residents only")
    parser.add_argument(
        "--sizes", help="residents, comma-separated (default 100,000 and 1,000,000; a check)"
    )
    parser.add_argument(
        "--large-chunk",
        type=int,
        default=LARGE_CHUNK,
        help=f"a second PostgreSQL run at the largest size with this chunk (default {LARGE_CHUNK:,}; 0: none)",
    )
    parser.add_argument(
        "--decisions", type=int, default=DECISIONS, help="automated decisions to time (0: none)"
    )
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help="fresh OpenFisca simulations to time"
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the seeds even if current ones exist"
    )
    parser.add_argument(
        "--runs-only",
        action="store_true",
        help="only the larger-chunk runs missing from the results (kept otherwise)",
    )
    args = parser.parse_args(argv)
    from importlib import metadata

    from benchmarks.harness.machine import machine_describe

    results = report.results_load("proactive")
    chosen = [args.only] if args.only else ["sqlite", "postgres"]
    results["machine"] = machine_describe(postgres_url=f"{POSTGRES_SERVER}/postgres")
    results["openfisca_version"] = metadata.version("openfisca-core")
    results["decisions"] = args.decisions
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.sizes:
        sizes = tuple(int(x) for x in args.sizes.split(","))
    if args.runs_only:
        for key in chosen:
            if key in results:
                runs_missing(key, results[key], args.large_chunk)
        report.results_save("proactive", results)
        write_doc(results)
        return
    for key in chosen:
        code, fingerprint = code_state()
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        figures = measure(
            key,
            sizes=sizes,
            large_chunk=args.large_chunk,
            decisions=args.decisions,
            regenerate=args.regenerate,
            repeats=args.repeats,
        )
        date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        earlier = results.get(key, {})
        kept = {}
        if args.quick or args.sizes:  # the sizes not measured now keep their earlier figures
            for size, old in earlier.get("sizes", {}).items():
                if size not in figures["sizes"]:
                    old.setdefault("measured", {"date": earlier["date"], "code": earlier["code"]})
                    kept[size] = old
        figures["sizes"] = dict(
            sorted({**kept, **figures["sizes"]}.items(), key=lambda item: int(item[0]))
        )
        results[key] = {
            "code": code,
            "date": date,
            "mode": "quick" if args.quick else "full",
            "load": f"{load} → {' / '.join(f'{x:.2f}' for x in os.getloadavg())}",
            **figures,
        }
        now, later = code_state()
        if later != fingerprint:
            _say(f"  src/ changed during the {key} run: now {now}")
            results[key]["code_changed_to"] = now
        report.results_save("proactive", results)
    write_doc(results)


def write_doc(results: dict[str, Any]) -> None:
    _say(f"Wrote {report.section_write('proactive', render(results))}")


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """The proactive section (``sizes``: "residents" and, in a smoke run, "decisions",
    "repeats" and "large_chunk")."""
    argv = ["--only", options.only] if options.only else []
    if options.quick:
        argv.append("--quick")
    elif context.current().smoke:
        argv += ["--sizes", ",".join(str(n) for n in sizes["residents"])]
        argv += ["--decisions", str(sizes["decisions"]), "--repeats", str(sizes["repeats"])]
        argv += ["--large-chunk", str(sizes["large_chunk"])]
    main(argv)
    return []


if __name__ == "__main__":
    main()

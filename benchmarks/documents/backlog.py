"""A backlog end to end (issue 17): ``civic documents process`` on a folder of ``documents``
mixed files, on a SQLite installation with the demo's set-up applied, timed from the command's
start to its report, with the peak memory of the command and its worker processes.
``python -m benchmarks --section documents_backlog [--smoke]``

The files are made from the classifier's generator (every template, both languages, seed 29, so
none is a page the shipped model was trained on): every ``scan_every``-th a degraded scan
(JPEG, as scanners send them), one in a hundred a bad file (empty, corrupt, a ZIP named .pdf),
the rest PDFs with a text layer. Every file is received, read (OCR for the scans), classified,
extracted, searched for personal data and routed; the registers are empty here, so routing
finds no person and puts each read document in the intake agency's queue. A second run on
the same folder then reads nothing again.

Writes the "documents_backlog" section of docs/benchmarks.md and
benchmarks/results/documents_backlog.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.harness import report
from benchmarks.harness.isolated import embedded_django, figures_write, run_isolated
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.paths import ROOT

SEED = 29
BAD = ((b"", "empty.pdf"), (b"%PDF-1.7\n% broken", "corrupt.pdf"), (b"PK\x03\x04zip", "zip.pdf"))


def _make(task: tuple[int, int, str]) -> tuple[str, int]:
    index, scan_every, folder = task
    import io

    from civic.documents.training.generate import sample_make

    if index % 100 == 99:
        data, name = BAD[(index // 100) % len(BAD)]
        path = Path(folder) / f"{index:05d}-{name}"
        path.write_bytes(data)
        return "bad", 0
    scan = index % scan_every == 0
    sample = sample_make(SEED, index, scan=scan)
    if scan:
        buffer = io.BytesIO()
        sample.scan.save(buffer, format="JPEG", quality=85)
        (Path(folder) / f"{index:05d}-scan.jpg").write_bytes(buffer.getvalue())
        return "scan", 1
    (Path(folder) / f"{index:05d}.pdf").write_bytes(sample.pdf)
    return "pdf", 1


def _backlog_make(folder: Path, documents: int, scan_every: int, workers: int) -> dict[str, Any]:
    began = time.perf_counter()
    tasks = [(i, scan_every, str(folder)) for i in range(documents)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        made = Counter(kind for kind, _pages in pool.imap_unordered(_make, tasks, chunksize=20))
    return {"kinds": dict(made), "seconds": time.perf_counter() - began}


def _tree_rss(process) -> int:
    import psutil

    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        with contextlib.suppress(psutil.Error):  # a worker that ended meanwhile
            total += member.memory_info().rss
    return total


def _timed(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run the command; wall time and the peak of its process tree's resident memory."""
    import psutil

    began = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.5)
    out = child.stdout.read() if child.stdout else ""
    return {
        "seconds": time.perf_counter() - began,
        "peak_rss_mib": peak / 2**20,
        "returncode": child.returncode,
        "summary": out.strip().splitlines()[-1] if out.strip() else "",
    }


def measure(documents: int, scan_every: int, workers: int, var: Path) -> dict[str, Any]:
    folder = var / "backlog"
    folder.mkdir()
    made = _backlog_make(folder, documents, scan_every, workers)
    civic = [sys.executable, "-m", "civic"]
    env = dict(os.environ)
    subprocess.run([*civic, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    setup = ROOT / "src/civic/setup/data/havenstad/setup.yaml"
    subprocess.run([*civic, "setup", "apply", str(setup)], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    report_file = var / "report.json"
    argv = [*civic, "documents", "process", "--folder", str(folder), "--report", str(report_file)]
    argv += ["--workers", str(workers), "--no-progress"]
    first = _timed(argv, env)
    load_at_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = json.loads(report_file.read_text()) if report_file.exists() else []
    again = _timed(argv, env)
    pages = sum(row.get("pages") or 0 for row in rows)
    return {
        "made": made,
        "first": first,
        "again": again,
        "files": len(rows),
        "pages": pages,
        "types": dict(Counter(row["type"] or "refused" for row in rows).most_common()),
        "refused": dict(Counter(row["refused"] for row in rows if row["refused"])),
        "routed": dict(Counter(row["routed_to"].split(":")[0] for row in rows)),
        "errors": sum(1 for row in rows if row.get("error")),
        "load_at_end": load_at_end,
    }


def render(figures: dict[str, Any], machine: dict[str, str], run: dict[str, Any]) -> str:
    first, again, made = figures["first"], figures["again"], figures["made"]
    minutes = first["seconds"] / 60
    rate = figures["files"] / first["seconds"] if first["seconds"] else 0.0
    kinds = made["kinds"]
    types = ", ".join(f"{t} {n:,}" for t, n in figures["types"].items())
    return "\n".join(
        [
            report.begin("documents_backlog"),
            "## Documents: a backlog end to end (issue 17)",
            "",
            f"Machine: {machine['cpu']}, {machine['memory']}; SQLite {machine['sqlite']}. "
            f"Date: {machine['date']}; load average at the start {machine['load_at_start']}"
            + (f", at the end {figures['load_at_end']}" if figures.get("load_at_end") else "")
            + f". `python -m benchmarks --section documents_backlog` (sizes: {run}).",
            "",
            f"{figures['files']:,} files ({kinds.get('pdf', 0):,} PDFs with a text layer, "
            f"{kinds.get('scan', 0):,} degraded JPEG scans, {kinds.get('bad', 0):,} bad files), "
            f"made from the classifier's generator (seed {SEED}) in {made['seconds']:.0f} s, then "
            f"`civic documents process --workers {run['workers']}` on SQLite with the demo's "
            "set-up and empty registers: received, read (OCR for the scans), classified, "
            "extracted, searched for personal data and routed (to the intake queue, as no "
            "person is found in empty registers).",
            "",
            "| Measure | Value |",
            "|---|---:|",
            f"| Files, end to end | {figures['files']:,} in {minutes:.1f} min ({rate:.1f} files/s) |",
            f"| Pages read | {figures['pages']:,} |",
            f"| Peak memory, the command and its workers together | {first['peak_rss_mib']:,.0f} MiB |",
            f"| A second run on the same folder (reads nothing again) | {again['seconds']:.1f} s |",
            f"| Refused | {sum(figures['refused'].values()):,} ({figures['refused']}) |",
            f"| Failed (a fault, not a refusal) | {figures['errors']:,} |",
            "",
            f"Types found: {types}. Routed: {figures['routed']}. The command said: "
            f"“{first['summary']}”",
            "",
            report.end("documents_backlog"),
        ]
    )


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    known = {k: sizes[k] for k in ("documents", "scan_every", "workers")}
    return run_isolated("documents_backlog", "benchmarks.documents.backlog", known, render)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--scan-every", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--figures", type=Path, required=True, help="write the figures here")
    args = parser.parse_args(argv)
    with embedded_django("civic-backlog-") as var:
        sizes = {
            "documents": args.documents,
            "scan_every": args.scan_every,
            "workers": args.workers,
        }
        machine = machine_describe(postgres_url=None)
        figures = measure(**sizes, var=var)
    figures_write(args.figures, machine, sizes, figures)


if __name__ == "__main__":
    main()

"""The one report writer: each section's raw figures in benchmarks/results/NAME.json and its
text in docs/benchmarks.md between ``<!-- NAME: begin`` and ``<!-- NAME: end -->`` (the text
between is replaced; a page without the section gets it appended). In a smoke run both go to
the run's scratch copies (``context``), never to the recorded ones."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import context

LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def say(text: str) -> None:
    """Progress, on standard error (standard output is for children's figures)."""
    print(text, file=sys.stderr, flush=True)


def begin(name: str, writer: str = "benchmarks") -> str:
    """The section's opening marker."""
    return f"<!-- {name}: begin (written by {writer}; edits in here are overwritten) -->"


def end(name: str) -> str:
    return f"<!-- {name}: end -->"


def doc_path() -> Path:
    return context.current().doc


def results_path(name: str) -> Path:
    return context.current().results / f"{name}.json"


def results_load(name: str, empty: dict[str, Any] | None = None) -> dict[str, Any]:
    """The section's raw figures of earlier runs (``empty`` when there are none)."""
    path = results_path(name)
    if path.exists():
        return json.loads(path.read_text())
    return json.loads(json.dumps(empty or {}))


def results_save(
    name: str, results: dict[str, Any], *, indent: int = 2, sort_keys: bool = False
) -> Path:
    path = results_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=indent, sort_keys=sort_keys, default=str)
    path.write_text(text + "\n")
    return path


def section_write(name: str, section: str, doc: Path | None = None) -> Path:
    """Put ``section`` (markers included) in the page in place of the section ``name``."""
    path = doc or doc_path()
    if not section.lstrip().startswith(f"<!-- {name}: begin") or end(name) not in section:
        raise ValueError(f"the {name} section must start and end with its markers")
    text = path.read_text()
    pattern = rf"<!-- {re.escape(name)}: begin.*?<!-- {re.escape(name)}: end -->"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _m: section.strip(), text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section.strip() + "\n"
    path.write_text(text)
    return path


# --- formatting the figures -------------------------------------------------------------------


def seconds(value: float) -> str:
    """``12.3 s`` under two minutes, ``3 min 21 s`` above."""
    if value < 120:
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def size(value: float) -> str:
    """Bytes in B, KiB, MiB or GiB."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit in ("B", "KiB") else f"{value:.2f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def mark(ok: bool) -> str:
    """The goal's verdict."""
    return "✓" if ok else "✗ missed"


# --- a section's page: figures by database, tagged with the run they came from ----------------


class FiguresPage:
    """What the pages of sections that keep figures per database with the run they came from
    (``{"runs": {run: info}, "figures": {database: ...}}``) share: the databases measured, a
    letter per run when figures come from more than one, the table's head and the machine of
    each run. ``figures_of(database)`` lists a database's figures (each with its "run")."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results
        self.databases = [d for d in LABELS if d in results["figures"]]
        ordered = sorted({f["run"] for d in self.databases for f in self.figures_of(d)})
        self.run_tags = {run: chr(ord("a") + i) for i, run in enumerate(ordered)}

    def figures_of(self, database: str) -> list[dict[str, Any]]:
        return list(self.results["figures"].get(database, {}).values())

    def _tag(self, figure: dict[str, Any]) -> str:
        return f" <sup>{self.run_tags[figure['run']]}</sup>" if len(self.run_tags) > 1 else ""

    def table_head(self) -> list[str]:
        """The head of the figures table: a column per database, then the goal."""
        return [
            "| Figure | " + " | ".join(LABELS[d] for d in self.databases) + " | Goal |",
            "|---|" + "---:|" * len(self.databases) + "---|",
        ]

    def _machines(self, *, tools: str = "", shared: str = "") -> list[str]:
        """The machine, code and load of each run (``tools``: a run's info key whose value
        follows the libraries, as "load generator …"), then ``shared`` (a paragraph)."""
        lines = ["### Machine", ""]
        for run, tag in self.run_tags.items():
            info = self.results["runs"].get(run, {})
            machine = info.get("machine", {})
            if len(self.run_tags) > 1:
                lines += [f"Run <sup>{tag}</sup> ({info.get('mode', '?')}):", ""]
            extra = f"; {tools.replace('_', ' ')} {info.get(tools, '?')}" if tools else ""
            lines += [
                f"- CPU: {machine.get('cpu', '?')}; memory {machine.get('memory', '?')}",
                f"- OS: {machine.get('os', '?')}",
                f"- Python {machine.get('python', '?')}, SQLite {machine.get('sqlite', '?')}, "
                f"PostgreSQL {machine.get('postgresql', '?')}; {machine.get('libraries', '?')}"
                + extra,
                f"- PostgreSQL settings: {machine.get('postgresql_settings', '?')}",
                f"- Code: commit {info.get('code', '?')}",
                f"- Date: {machine.get('date', '?')}; mode: {info.get('mode', '?')}; load average "
                f"(1/5/15 min) at start {machine.get('load_at_start', '?')}, at end "
                f"{info.get('load_at_end', '?')}",
                "",
            ]
        return [*lines, shared] if shared else lines


def postgres_section(
    name: str,
    sizes: dict[str, Any],
    measure: Callable[[dict[str, Any]], dict[str, Any]],
    render: Callable[[dict[str, Any]], str],
    summary: Callable[[dict[str, Any]], str],
) -> list[str]:
    """A section measured once on PostgreSQL: the machine described, ``measure(sizes)`` run
    (a failure reported, the other sections going on), its figures saved with the machine and
    the sizes, ``render``ed into docs/benchmarks.md, and ``summary`` said. The failed names."""
    from benchmarks.harness.machine import machine_describe
    from benchmarks.harness.paths import POSTGRES_SERVER

    machine = machine_describe(postgres_url=POSTGRES_SERVER + "/postgres")
    try:
        figures = measure(sizes)
    except Exception as error:  # report it, keep the other sections going
        say(f"{name}: FAILED: {error}")
        return [name]
    results = {"machine": machine, "run": sizes, "figures": figures}
    results_save(name, results)
    section_write(name, render(results))
    say(f"{name}: {summary(figures)}")
    return []

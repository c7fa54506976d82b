"""The one report writer: each section's raw figures in benchmarks/results/NAME.json and its
text in docs/benchmarks.md between ``<!-- NAME: begin`` and ``<!-- NAME: end -->`` (the text
between is replaced; a page without the section gets it appended). In a smoke run both go to
the run's scratch copies (``context``), never to the recorded ones."""

from __future__ import annotations

import json
import re
import sys
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

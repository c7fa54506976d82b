"""Sections measured in a process of their own, on an embedded installation of its own (a
temporary var folder, SQLite, none of the caller's CIVIC_ settings): the parent starts
``python -m MODULE --figures FILE --size value …``, the child measures inside
``embedded_django`` and writes its figures with ``figures_write``, and the parent keeps them
(``benchmarks/results/NAME.json``) and writes the section of docs/benchmarks.md."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.paths import ROOT


def run_isolated(
    name: str,
    module: str,
    sizes: Mapping[str, Any],
    render: Callable[[dict[str, Any], str, dict[str, Any]], str],
) -> list[str]:
    """Run ``module`` with ``sizes`` as its options; returns the sections that failed."""
    out = context.current().results / f"{name}-run.json"
    argv = [sys.executable, "-m", module, "--figures", str(out)]
    for key, value in sizes.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    if subprocess.run(argv, cwd=ROOT, check=False).returncode:
        return [name]
    saved = json.loads(out.read_text())
    out.unlink()
    report.results_save(name, saved)
    report.section_write(name, render(saved["figures"], saved["machine"], saved["run"]))
    return []


@contextlib.contextmanager
def embedded_django(prefix: str) -> Iterator[Path]:
    """Django set up on a temporary var folder of its own (SQLite there, no DATABASE_URL)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as var:
        for key in [k for k in os.environ if k.startswith("CIVIC_")]:
            del os.environ[key]
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(
            CIVIC_VAR_DIR=var, CIVIC_DEBUG="false", DJANGO_SETTINGS_MODULE="civic.settings"
        )
        import django

        django.setup()
        yield Path(var)


def figures_write(path: Path, machine: str, sizes: dict[str, Any], figures: Any) -> None:
    path.write_text(
        json.dumps({"machine": machine, "run": sizes, "figures": figures}, indent=2) + "\n"
    )

"""Where things are: the repository, the ``civic`` command of this virtualenv, the page the
figures go to and the folder of their raw results."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CIVIC = BIN / "civic"
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"

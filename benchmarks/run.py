"""``benchmarks/run.py`` (``make bench``): the same as ``python -m benchmarks`` from the
repository's root; see benchmarks/harness/cli.py and docs/benchmarks.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness.cli import main

sys.exit(main())

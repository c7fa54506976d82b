"""``python -m benchmarks``: see benchmarks/harness/cli.py."""

import sys

from benchmarks.harness.cli import main

sys.exit(main())

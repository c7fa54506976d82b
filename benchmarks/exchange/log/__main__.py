"""``python -m benchmarks.exchange.log ACTION``: a child of the exchange benchmark for its
target (build, track, sessions, profile-verify); prints its figures as JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.exchange.common import django_setup, emit
from benchmarks.exchange.log import ENTRIES, SEED, TRACK_SAMPLES
from benchmarks.exchange.log.build import build
from benchmarks.exchange.log.tracker import sessions, track, verify_profile


def main() -> None:
    parser = argparse.ArgumentParser(description="a child of the exchange benchmark")
    parser.add_argument("action", choices=["build", "track", "sessions", "profile-verify"])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--samples", type=int, default=TRACK_SAMPLES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path)
    options = parser.parse_args()
    django_setup()
    if options.action == "build":
        emit(build(entries=options.entries, seed=options.seed))
    elif options.action == "track":
        emit(track(samples=options.samples, seed=options.seed))
    elif options.action == "profile-verify":
        emit(verify_profile(entries=options.entries))
    else:
        emit(sessions(options.out))


if __name__ == "__main__":
    main()

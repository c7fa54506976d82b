"""civic jurisdiction generate --residents N --seed S [--until DATE] [--replace]"""

from __future__ import annotations

import datetime as dt
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.core.errors import CivicError
from civic.registers import selectors, services


class Command(BaseCommand):
    help = "Generate the synthetic jurisdiction (residents, addresses, ten years of history)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="generate a jurisdiction into the database")
        generate.add_argument(
            "--residents",
            type=int,
            default=50_000,
            help="residents living there today (default 50,000)",
        )
        generate.add_argument(
            "--seed",
            type=int,
            default=1,
            help="random seed; the same seed and date give the same data",
        )
        generate.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="last day of the ten-year history, YYYY-MM-DD (default: today)",
        )
        generate.add_argument(
            "--replace", action="store_true", help="delete the jurisdiction already there first"
        )
        generate.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("show", help="describe the jurisdiction in the database")

    def handle(self, *args, action, **options):
        if action == "show":
            return self._show()
        residents = options["residents"]
        bar = tqdm(
            total=residents,
            unit=" residents",
            unit_scale=True,
            disable=options["quiet"] or None,
            file=sys.stderr,
        )
        started = time.perf_counter()
        try:
            jurisdiction = services.jurisdiction_generate(
                residents=residents,
                seed=options["seed"],
                until=options["until"],
                replace=options["replace"],
                progress=bar.update,
            )
        except CivicError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        summary = jurisdiction.summary
        self.stdout.write(
            f"Generated {jurisdiction.name}: {summary['residents_now']:,} residents in "
            f"{summary['households']:,} households, {summary['persons']:,} persons in the register "
            f"(history {jurisdiction.history_from} – {jurisdiction.history_until}), "
            f"{summary['businesses']:,} businesses, {summary['vehicles']:,} vehicles, "
            f"in {time.perf_counter() - started:.1f} s."
        )

    def _show(self):
        jurisdiction = selectors.jurisdiction_get()
        if jurisdiction is None:
            raise CommandError("No jurisdiction yet: run `civic jurisdiction generate`.")
        for key, value in jurisdiction.summary.items():
            self.stdout.write(f"{key}: {value}")

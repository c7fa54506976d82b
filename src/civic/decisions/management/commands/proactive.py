"""civic proactive run [--fresh] [--chunk-size N] | status"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from tqdm import tqdm

from civic.decisions.models import Offer, ProactiveRun
from civic.decisions.proactive import RunStalled, run_execute, run_start


class Command(BaseCommand):
    help = "Check the whole population for proactive offers (resumes an interrupted run)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="evaluate every household; resumes an unfinished run")
        run.add_argument(
            "--fresh", action="store_true", help="start a new run even if one is unfinished"
        )
        run.add_argument("--chunk-size", type=int, default=None, help="addresses per chunk")
        sub.add_parser("status", help="the latest runs and the offers they made")

    def handle(self, *args, action, **options):
        if action == "run":
            run = run_start(
                trigger=ProactiveRun.Trigger.MANUAL,
                chunk_size=options["chunk_size"],
                resume=not options["fresh"],
            )
            total = run.chunks.count()
            done = total - run.chunks.filter(done_at__isnull=True).count()
            if done:
                self.stderr.write(f"resuming run {run.pk}: {done} of {total} chunks were done")
            with tqdm(
                total=total, initial=done, unit=" chunks", file=sys.stderr, disable=None
            ) as bar:
                try:
                    run_execute(run, progress=lambda i, _total: bar.update(i - bar.n))
                except RunStalled as stalled:
                    raise CommandError(str(stalled)) from None
            self._report(run)
        else:
            for run in ProactiveRun.objects.order_by("-started_at")[:5]:
                self._report(run)

    def _report(self, run: ProactiveRun) -> None:
        totals = run.chunks.aggregate(residents=Sum("residents"), offers=Sum("offers"))
        offers = totals["offers"] or Offer.objects.filter(run=run).count()
        self.stdout.write(
            f"run {run.pk} ({run.get_trigger_display()}, {run.status}): "
            f"{totals['residents'] or 0:,} residents checked, {offers:,} new offers"
        )

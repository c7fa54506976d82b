"""civic proactive run [--fresh] [--chunk-size N] | status"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from tqdm import tqdm

from civic.core.errors import CivicError
from civic.decisions.models import Offer, ProactiveRun
from civic.decisions.proactive import run_start
from civic.decisions.proactive_runner import run_execute


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
            try:
                run = run_start(
                    trigger=ProactiveRun.Trigger.MANUAL,
                    chunk_size=options["chunk_size"],
                    resume=not options["fresh"],
                )
            except CivicError as refused:
                raise CommandError(str(refused)) from None
            total = run.chunks.count()
            done = total - run.chunks.filter(done_at__isnull=True).count()
            if done:
                self.stderr.write(f"resuming run {run.pk}: {done} of {total} chunks were done")
            with tqdm(
                total=total, initial=done, unit=" chunks", file=sys.stderr, disable=None
            ) as bar:
                try:
                    run_execute(run, progress=lambda i, _total: bar.update(i - bar.n))
                except BaseException as error:
                    self._stopped(run, error)
                    if isinstance(error, CivicError):
                        raise CommandError(str(error)) from None
                    raise
            self._report(run)
        else:
            for run in ProactiveRun.objects.order_by("-started_at")[:5]:
                self._report(run)

    def _stopped(self, run: ProactiveRun, error: BaseException) -> None:
        """Say which run stopped where, so that nobody takes it for one still running."""
        left = run.chunks.filter(done_at__isnull=True).count()
        total = run.chunks.count()
        self.stderr.write(
            f"run {run.pk} stopped with {total - left} of {total} chunks done "
            f"({type(error).__name__}); `civic proactive run` resumes it once the cause is fixed"
        )

    def _report(self, run: ProactiveRun) -> None:
        totals = run.chunks.aggregate(residents=Sum("residents"), offers=Sum("offers"))
        offers = totals["offers"] or Offer.objects.filter(run=run).count()
        line = (
            f"run {run.pk} ({run.get_trigger_display()}, {run.status}): "
            f"{totals['residents'] or 0:,} residents checked, {offers:,} new offers"
        )
        if run.status != ProactiveRun.Status.DONE and run.chunk_size:
            left = run.chunks.filter(done_at__isnull=True).count()
            line += f"; {run.chunks.count() - left} of {run.chunks.count()} chunks done"
        if run.status == ProactiveRun.Status.STOPPED:
            line += f"; stopped by {run.error}; `civic proactive run` resumes it"
        self.stdout.write(line)

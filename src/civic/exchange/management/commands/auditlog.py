"""civic auditlog verify | integrate [--follow] | show"""

from __future__ import annotations

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.exchange import auditlog
from civic.exchange.models import AccessLogEntry
from civic.exchange.verify import auditlog_verify


class Command(BaseCommand):
    help = "Verify the access log's Merkle tree and checkpoints, or integrate waiting entries."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute the tree from the entries; check every checkpoint")
        integrate = sub.add_parser(
            "integrate", help="add waiting entries to the tree and sign checkpoints"
        )
        integrate.add_argument(
            "--follow",
            action="store_true",
            help="keep integrating, every CIVIC_AUDITLOG_CHECKPOINT_SECONDS",
        )
        sub.add_parser("show", help="the latest checkpoint")

    def handle(self, *args, action, **options):
        if action == "verify":
            total = AccessLogEntry.objects.filter(position__isnull=False).count()
            with tqdm(
                total=total, unit=" entries", unit_scale=True, file=sys.stderr, disable=None
            ) as bar:
                report = auditlog_verify(progress=bar.update)
            if not report.ok:
                _position, message = report.problems[0]
                raise CommandError(f"the access log does not verify: {message}")
            self.stdout.write(
                f"ok: {report.entries:,} entries and {report.checkpoints:,} checkpoints verify"
            )
        elif action == "integrate":
            while True:
                signed = auditlog.integrate_all()
                if not options["follow"]:
                    self.stdout.write(f"signed {signed} checkpoint(s)")
                    return
                time.sleep(settings.AUDITLOG_CHECKPOINT_SECONDS)
        else:
            checkpoint = auditlog.checkpoint_latest()
            if checkpoint is None:
                self.stdout.write("no checkpoint yet")
                return
            self.stdout.write(
                f"size {checkpoint.tree_size}\nroot {checkpoint.root_hash}\n"
                f"time {checkpoint.timestamp.isoformat()}\nkey {checkpoint.key_id}"
            )

"""civic notify retry [--follow] | status | templates [--overwrite]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from civic.core.errors import CivicError
from civic.notify.models import Delivery
from civic.notify.services import deliveries_retry_due, templates_load


class Command(BaseCommand):
    help = "Retry email and SMS that are due, show delivery status, or load message templates."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retry = sub.add_parser("retry", help="try the email and SMS deliveries that are due")
        retry.add_argument(
            "--follow", action="store_true", help="keep retrying, every --every seconds"
        )
        retry.add_argument("--every", type=int, default=30, metavar="SECONDS")
        sub.add_parser("status", help="deliveries per channel and status")
        templates = sub.add_parser(
            "templates", help="create the message templates in notify/data/templates.json"
        )
        templates.add_argument(
            "--overwrite", action="store_true", help="also replace texts staff have edited"
        )

    def handle(self, *args, action, **options):
        if action == "retry":
            while True:
                counts = deliveries_retry_due()
                if not options["follow"]:
                    self.stdout.write(
                        ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
                        or "nothing due"
                    )
                    return
                time.sleep(max(1, options["every"]))
        elif action == "status":
            rows = (
                Delivery.objects.values("channel", "status")
                .annotate(n=Count("id"))
                .order_by("channel", "status")
            )
            for row in rows:
                self.stdout.write(f"{row['channel']:6} {row['status']:9} {row['n']}")
            if not rows:
                self.stdout.write("no deliveries yet")
        else:
            try:
                written = templates_load(overwrite=options["overwrite"])
            except CivicError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{written} template(s) written")

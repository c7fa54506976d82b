"""``civic accessreview``: explain the staff reads logged since the last pass, and raise the
rest for the data protection officers' queues (what Celery beat runs every few minutes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from civic.compliance.review.services import access_review_run


class Command(BaseCommand):
    help = "Review the staff reads of personal data logged since the last pass."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=1_000_000, help="At most this many reads in one pass."
        )

    def handle(self, *args, limit: int, **options):
        run = access_review_run(limit=limit)
        if run is None:
            self.stdout.write("No new staff reads.")
            return
        self.stdout.write(
            f"{run.entries} staff reads looked at: {run.explained} explained, "
            f"{run.raised} new reviews raised."
        )

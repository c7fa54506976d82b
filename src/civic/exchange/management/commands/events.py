"""civic events deliver [--follow] | status: events' deliveries to subscribers (register and
case events' webhooks), and the retries of in-process event handlers that are due."""

from __future__ import annotations

import logging
import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from civic.core.handlings import handlings_sweep
from civic.exchange import selectors
from civic.exchange.delivery import deliveries_sweep
from civic.exchange.delivery.attempt import sweep_summary

log = logging.getLogger("civic.exchange")


class Command(BaseCommand):
    help = (
        "Deliver the register events that are due (new, retries, and those a dead worker held), "
        "or show how deliveries stand."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser(
            "deliver", help="one pass over the due deliveries, with a summary line"
        )
        deliver.add_argument(
            "--follow",
            action="store_true",
            help="keep delivering (for installations without Celery beat); a line per busy pass",
        )
        deliver.add_argument(
            "--interval", type=float, default=2.0, help="seconds between passes with --follow"
        )
        sub.add_parser("status", help="deliveries by status; the latest dead and withdrawn")

    def handle(self, *args, action, **options):
        if action == "status":
            self._status()
            return
        if not options["follow"]:
            self.stdout.write(self._line(deliveries_sweep()))
            self._handled(handlings_sweep())
            return
        try:
            while True:
                try:
                    outcomes = deliveries_sweep()
                    if outcomes:
                        self.stdout.write(self._line(outcomes))
                    self._handled(handlings_sweep())
                except Exception:  # a database that is away for a moment: try again
                    log.exception("delivering register events failed; retrying")
                finally:
                    close_old_connections()
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            return

    def _line(self, outcomes: Counter) -> str:
        standing = selectors.deliveries_standing()
        return (
            f"{sweep_summary(outcomes)}; now {standing['pending']} pending, "
            f"{standing['dead']} dead, {standing['withdrawn']} withdrawn"
        )

    def _handled(self, outcomes: Counter) -> None:
        if outcomes:
            self.stdout.write(
                f"event handlers: {outcomes.get('done', 0)} done, "
                f"{outcomes.get('pending', 0)} failed (to be retried), "
                f"{outcomes.get('dead', 0)} dead"
            )

    def _status(self) -> None:
        standing = selectors.deliveries_standing()
        self.stdout.write(", ".join(f"{count} {status}" for status, count in standing.items()))
        for delivery in selectors.deliveries_stopped(limit=20):
            why = delivery.withdrawn_reason or delivery.last_error
            self.stdout.write(
                f"{delivery.pk}\t{delivery.status}\t{delivery.event_type}\t"
                f"subscription {delivery.subscription_id}\t{why}"
            )

"""civic sensors ingest | refusals"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db.models import F

from civic.sensors.models import Refusal
from civic.sensors.mqtt import Ingester


class Command(BaseCommand):
    help = "Ingest SensorThings observations from MQTT, or show the refused readings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("ingest", help="subscribe to the broker and store observations in batches")
        sub.add_parser("refusals", help="refused readings per datastream and reason")

    def handle(self, *args, action, **options):
        if action == "refusals":
            for row in Refusal.objects.order_by(F("datastream_ref").asc(nulls_last=True), "reason"):
                where = f"Datastreams({row.datastream_ref})" if row.datastream_ref else "unknown"
                self.stdout.write(f"{where}\t{row.reason}\t{row.count}")
            return
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        ingester = Ingester()
        self.stdout.write(f"ingesting {ingester.topic} from {ingester.host}:{ingester.port}")
        ingester.run(stop)
        self.stdout.write(f"stopped; {ingester.stored} observations stored")

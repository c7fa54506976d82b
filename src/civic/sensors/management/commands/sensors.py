"""civic sensors ingest | refusals | simulate | retention"""

from __future__ import annotations

import datetime as dt
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from civic.core import clock
from civic.sensors.models import Refusal
from civic.sensors.mqtt import Ingester
from civic.sensors.retention import retention_run
from civic.sensors.simulation.run import KINDS, VIAS, SimulationError, simulate


class Command(BaseCommand):
    help = "Ingest SensorThings observations from MQTT, or show the refused readings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("ingest", help="subscribe to the broker and store observations in batches")
        sub.add_parser("refusals", help="refused readings per datastream and reason")
        retention = sub.add_parser(
            "retention", help="sum up and delete raw readings past their retention"
        )
        retention.add_argument("--dry-run", action="store_true", help="count, change nothing")
        simulate = sub.add_parser(
            "simulate", help="the demo city's sensor readings over a period (docs/sensors.md)"
        )
        simulate.add_argument("--since", help="start, ISO date or time (UTC); default a day ago")
        simulate.add_argument("--until", help="end, ISO date or time (UTC); default now")
        simulate.add_argument("--step", type=int, default=10, help="minutes between readings")
        simulate.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
        simulate.add_argument(
            "--kinds", default=",".join(KINDS), help=f"comma-separated: {', '.join(KINDS)}"
        )
        simulate.add_argument(
            "--incident", help="a downpour of six hours from this time: the river rises past 2.5 m"
        )
        simulate.add_argument("--via", default="store", choices=VIAS)
        simulate.add_argument("--url", default="", help="the broker (mqtt) or /sta/v1.1/ (http)")
        simulate.add_argument("--key", default="", help="the API's write key (http)")

    def handle(self, *args, action, **options):
        if action == "simulate":
            return self._simulate(**options)
        if action == "retention":
            return self._retention(dry_run=options["dry_run"])
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

    def _retention(self, *, dry_run: bool) -> None:
        outcome = retention_run(dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"would retire {len(outcome.days)} days: {outcome.raw_deleted:,} raw readings "
                f"summed up and deleted, {outcome.hourly_deleted:,} hourly aggregates deleted"
            )
            return
        self.stdout.write(
            f"retired {len(outcome.days)} days: {outcome.aggregates:,} aggregates written, "
            f"{outcome.raw_deleted:,} raw readings deleted, {outcome.hourly_deleted:,} hourly "
            "aggregates deleted"
        )

    def _simulate(self, *, since, until, step, seed, kinds, incident, via, url, key, **_):
        now = clock.now().replace(second=0, microsecond=0)
        end = _moment(until, "--until") if until else now
        start = _moment(since, "--since") if since else end - dt.timedelta(days=1)
        try:
            outcome = simulate(
                since=start,
                until=end,
                step_minutes=step,
                seed=seed,
                kinds=tuple(k.strip() for k in kinds.split(",") if k.strip()),
                incident=_moment(incident, "--incident") if incident else None,
                via=via,
                url=url,
                key=key or settings.SENSORS_WRITE_KEY,
            )
        except SimulationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{outcome.readings:,} readings from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} "
            f"UTC via {via}: {outcome.stored:,} sent or stored, {outcome.refused:,} refused, "
            f"in {outcome.seconds:.1f} s"
        )


def _moment(text: str, option: str) -> dt.datetime:
    """An ISO date (midnight UTC) or date and time (UTC unless it says otherwise)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not an ISO date or time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

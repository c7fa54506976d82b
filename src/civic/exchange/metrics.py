"""The exchange's gauges for /metrics: the access log's size, what waits to be integrated, how
old the newest checkpoint is, and webhook deliveries waiting or dead. Cheap queries only (the
unsequenced entries have a partial index; delivered deliveries are never counted)."""

from __future__ import annotations

from django.db.models import Count

from civic.core import clock
from civic.core.metrics import CounterMetricFamily, GaugeMetricFamily
from civic.exchange.models import AccessLogEntry, Checkpoint, Delivery, TreeHead


def exchange_gauges():
    head = TreeHead.objects.first()
    size = head.size if head else 0
    waiting = AccessLogEntry.objects.filter(position__isnull=True, quarantined="").count()
    quarantined = AccessLogEntry.objects.filter(position__isnull=True).exclude(quarantined="")
    yield CounterMetricFamily(
        "civic_auditlog_entries",
        "Access-log entries appended (rate(): the append rate).",
        value=size + waiting,
    )
    yield GaugeMetricFamily(
        "civic_auditlog_waiting_entries", "Entries not yet in the Merkle tree.", value=waiting
    )
    yield GaugeMetricFamily(
        "civic_auditlog_quarantined_entries",
        "Entries the integrator left out of the tree as malformed (forged?); alert on > 0.",
        value=quarantined.count(),
    )
    latest = Checkpoint.objects.order_by("-tree_size").first()
    yield GaugeMetricFamily(
        "civic_auditlog_checkpoint_lag_entries",
        "Entries appended since the newest signed checkpoint.",
        value=size + waiting - (latest.tree_size if latest else 0),
    )
    if latest is not None:
        yield GaugeMetricFamily(
            "civic_auditlog_checkpoint_age_seconds",
            "Seconds since the newest signed checkpoint.",
            value=(clock.now() - latest.timestamp).total_seconds(),
        )
    deliveries = GaugeMetricFamily(
        "civic_webhook_deliveries",
        "Webhook deliveries waiting or dead, by status.",
        labels=["status"],
    )
    counts = dict(
        Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.DEAD])
        .values_list("status")
        .annotate(n=Count("id"))
    )
    for status in (Delivery.Status.PENDING, Delivery.Status.DEAD):
        deliveries.add_metric([status], counts.get(status, 0))
    yield deliveries

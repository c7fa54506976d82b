"""Notify's gauges for /metrics: e-mail and SMS deliveries waiting, failing or given up."""

from __future__ import annotations

from django.db.models import Count

from civic.core.metrics import GaugeMetricFamily
from civic.notify.models import Delivery

UNFINISHED = [Delivery.Status.QUEUED, Delivery.Status.FAILED, Delivery.Status.GIVEN_UP]


def notify_gauges():
    family = GaugeMetricFamily(
        "civic_notify_deliveries",
        "E-mail and SMS deliveries not (yet) sent, by channel and status.",
        labels=["channel", "status"],
    )
    counts = (
        Delivery.objects.filter(status__in=UNFINISHED)
        .exclude(channel=Delivery.Channel.INBOX)
        .values_list("channel", "status")
        .annotate(n=Count("id"))
    )
    seen = {(channel, status): n for channel, status, n in counts}
    for channel in (Delivery.Channel.EMAIL, Delivery.Channel.SMS):
        for status in UNFINISHED:
            family.add_metric([channel, status], seen.get((channel, status), 0))
    yield family

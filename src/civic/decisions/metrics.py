"""The rules' gauges for /metrics: how far the newest proactive run has got."""

from __future__ import annotations

from civic.core.metrics import GaugeMetricFamily
from civic.decisions.models import ProactiveChunk, ProactiveRun


def decisions_gauges():
    run = (
        ProactiveRun.objects.exclude(trigger=ProactiveRun.Trigger.LIFE_EVENT)
        .order_by("-started_at")
        .first()
    )
    chunks = GaugeMetricFamily(
        "civic_proactive_run_chunks",
        "Chunks of the newest population run, by state.",
        labels=["state"],
    )
    running = GaugeMetricFamily(
        "civic_proactive_run_running", "1 while a population run is unfinished.", value=0
    )
    if run is not None:
        total = ProactiveChunk.objects.filter(run=run).count()
        done = ProactiveChunk.objects.filter(run=run, done_at__isnull=False).count()
        chunks.add_metric(["done"], done)
        chunks.add_metric(["pending"], total - done)
        running = GaugeMetricFamily(
            "civic_proactive_run_running",
            "1 while a population run is unfinished.",
            value=int(run.status == ProactiveRun.Status.RUNNING),
        )
    yield chunks
    yield running

"""Writes of insights: recording the day's digital-maturity index."""

from __future__ import annotations

import datetime as dt

from civic.core import clock
from civic.insights.maturity import maturity_compute
from civic.insights.models import MaturitySnapshot


def maturity_record(*, now: dt.datetime | None = None) -> MaturitySnapshot:
    """Compute the index and keep it as the day's (replacing an earlier one of that day)."""
    now = now or clock.now()
    computed = maturity_compute(now=now)
    snapshot, _ = MaturitySnapshot.objects.update_or_create(
        day=now.date(),
        defaults={
            "computed_at": now,
            "index": computed["index"],
            "dimensions": computed["dimensions"],
            "inputs": computed["inputs"],
            "seconds": computed["seconds"],
        },
    )
    return snapshot

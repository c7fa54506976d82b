"""Settings of insights (gathered by ``civic.settings``)."""

from __future__ import annotations

#: Periodic work of insights, for `celery -A civic beat`: the day's digital-maturity index.
INSIGHTS_BEAT_SCHEDULE = {
    "insights-maturity-daily": {
        "task": "civic.insights.maturity_record",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600.0},
    },
}

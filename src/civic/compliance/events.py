"""The events privacy oversight handles: the exchange's ACCESS_UNUSUAL becomes an access alert
for the client agency's data protection officer. The handler runs after the partner's request
committed (core.events): its failure is logged and retried, and never fails that request."""

from __future__ import annotations

import datetime as dt

from civic.core import events
from civic.core.events import Event
from civic.exchange.events import ACCESS_UNUSUAL


@events.handler(ACCESS_UNUSUAL)
def access_unusual_received(event: Event) -> None:
    from civic.compliance.services import access_alert_record

    data = event.data
    access_alert_record(
        client_id=data["api_client"],
        kind=data["kind"],
        window_start=dt.datetime.fromisoformat(data["window_start"]),
        window_end=dt.datetime.fromisoformat(data["window_end"]),
        counts=data.get("counts", {}),
        examples=data.get("examples", []),
        trace_id=data.get("trace_id", ""),
    )

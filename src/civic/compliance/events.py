"""The events privacy oversight handles: the exchange's ACCESS_UNUSUAL becomes an access alert
for the client agency's data protection officer. A handler's failure is logged and never fails
the partner's request that set it off."""

from __future__ import annotations

import datetime as dt
import logging

from civic.core.events import Event, subscribe
from civic.exchange.events import ACCESS_UNUSUAL

log = logging.getLogger("civic.compliance")


def access_unusual_received(event: Event) -> None:
    from civic.compliance.services import access_alert_record

    data = event.data
    try:
        access_alert_record(
            client_id=data["api_client"],
            kind=data["kind"],
            window_start=dt.datetime.fromisoformat(data["window_start"]),
            window_end=dt.datetime.fromisoformat(data["window_end"]),
            counts=data.get("counts", {}),
            examples=data.get("examples", []),
            trace_id=data.get("trace_id", ""),
        )
    except Exception:
        log.exception("could not record the access alert of event %s", event.id)


def handlers_connect() -> None:
    subscribe(ACCESS_UNUSUAL, access_unusual_received)

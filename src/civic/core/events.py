"""The in-process event bus: publishers do not know their subscribers.

Events are CloudEvents 1.0 (https://cloudevents.io): ``type`` says what happened, ``subject``
whom it is about, ``data`` the facts. Handlers run synchronously inside the publisher's
transaction, so whatever they record (the exchange's deliveries) commits or rolls back with the
change itself: the outbox pattern.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from civic.core import clock

SPEC_VERSION = "1.0"


@dataclass(frozen=True)
class Event:
    type: str
    source: str
    subject: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    time: dt.datetime = field(default_factory=clock.now)

    def as_cloudevent(self) -> dict[str, Any]:
        return {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "data": self.data,
        }


Handler = Callable[[Event], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event_type: str, handler: Handler) -> None:
    """Call ``handler`` for every event of ``event_type`` (``*`` for all)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: Event) -> None:
    for handler in [*_handlers.get(event.type, []), *_handlers.get("*", [])]:
        handler(event)

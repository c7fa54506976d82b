"""The event bus: publishers do not know their handlers.

Events are CloudEvents 1.0 (https://cloudevents.io): ``type`` says what happened, ``subject``
whom it is about, ``data`` the facts. Each publishing app declares its event types as
constants in its ``events.py``; each app that reacts declares its handlers there too, with
the ``handler`` decorator. The core imports every app's ``events`` module when Django starts
(``autodiscover``), so there is one way to register a handler and one place to look.

A handler runs in one of two ways:

- **after the commit** (the default): ``publish`` writes one row per handler to the outbox
  (``EventHandling``) in the publisher's transaction; after it commits, the handler runs in
  its own transaction: right away in-process in the embedded default, in a Celery worker in
  production (``CIVIC_EVENT_DELIVERY=celery``). A handler that fails is logged and retried
  later (``handlings_sweep``, run by the web process's background thread or Celery beat),
  and never rolls back or fails the publisher. Work for another app (rules deciding a case)
  belongs here.
- **in the transaction** (``in_transaction=True``): called by ``publish`` itself, so what it
  writes commits or rolls back with the change (the exchange recording register-event
  deliveries in its outbox, a revocation withdrawing them). Keep these few, small and local.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from civic.core import clock

SPEC_VERSION = "1.0"
#: Seconds before each retry of a failed handler; after the last one it is left dead, for an
#: operator (``civic events handlings``).
RETRY_SCHEDULE = (10, 60, 300, 1800, 7200, 21600)
log = logging.getLogger("civic.events")


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

    @classmethod
    def from_cloudevent(cls, payload: dict[str, Any]) -> Event:
        return cls(
            type=payload["type"],
            source=payload["source"],
            subject=payload["subject"],
            data=payload["data"],
            id=payload["id"],
            time=dt.datetime.fromisoformat(payload["time"].replace("Z", "+00:00")),
        )


Handler = Callable[[Event], None]


@dataclass(frozen=True)
class _Registered:
    name: str
    function: Handler
    in_transaction: bool


_by_type: dict[str, list[_Registered]] = defaultdict(list)
_by_name: dict[str, _Registered] = {}


def _name(function: Handler) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def handler(*event_types: str, in_transaction: bool = False) -> Callable[[Handler], Handler]:
    """Declare ``function`` the handler of ``event_types``::

        @events.handler(CASE_OPENED)
        def case_opened(event: Event) -> None: ...

    After the publisher's commit unless ``in_transaction`` (see the module's notes)."""
    if not event_types:
        raise ValueError("name the event types the handler handles")

    def register(function: Handler) -> Handler:
        registered = _Registered(_name(function), function, in_transaction)
        _by_name[registered.name] = registered
        for event_type in event_types:
            if all(r.name != registered.name for r in _by_type[event_type]):
                _by_type[event_type].append(registered)
        return function

    return register


def handlers_of(event_type: str) -> list[str]:
    """The names of the handlers of ``event_type``, in the order they run."""
    return [r.name for r in _by_type.get(event_type, [])]


def autodiscover() -> None:
    """Import every installed app's ``events`` module, registering its handlers."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("events")


#: Writes the pending after-commit runs of an event (``core.outbox.handlings_record``), set by
#: ``CoreConfig.ready``: the outbox lies above the bus, which imports nothing of it.
_recorder: Callable[[Event, list[str]], object] | None = None


def recorder_set(recorder: Callable[[Event, list[str]], object]) -> None:
    global _recorder
    _recorder = recorder


def publish(event: Event) -> None:
    """Run the in-transaction handlers of ``event`` now, and write one outbox row for each of
    the others, which run after the commit."""
    handlers = _by_type.get(event.type, [])
    later = [r.name for r in handlers if not r.in_transaction]
    if later:
        if _recorder is None:
            raise RuntimeError("the event outbox is not set up: is civic.core in INSTALLED_APPS?")
        _recorder(event, later)
    for registered in handlers:
        if registered.in_transaction:
            registered.function(event)


def handler_run(name: str, event: Event) -> None:
    """Run the registered handler ``name`` (an outbox row names no other code)."""
    registered = _by_name.get(name)
    if registered is None:
        raise LookupError(f"no event handler is registered as {name}")
    registered.function(event)


def names_registered() -> Iterable[str]:
    return sorted(_by_name)

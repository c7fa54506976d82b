"""Events the cases app publishes, for other apps (the rules decide a case that opened) and
for the agency's own systems (API clients subscribed to their case types get them as
CloudEvents webhooks, through the exchange's delivery, like register events).

Each event names the case by its reference (the CloudEvent's ``subject``) and carries no
personal data: a client reads the case itself through the case API.
"""

from __future__ import annotations

from civic.core import events
from civic.exchange.services import event_deliveries_record

SOURCE = "/civic/cases"
#: A case opened (an application was submitted, an objection filed).
CASE_OPENED = "org.civic.cases.opened"
#: A case moved along its workflow: ``data.from_state`` to ``data.state``.
CASE_STATUS_CHANGED = "org.civic.cases.status-changed"
#: A case was decided, by a caseworker or by the rules (``data.automated``).
CASE_DECIDED = "org.civic.cases.decided"
#: What an API client may subscribe to.
CASE_EVENT_TYPES = (CASE_OPENED, CASE_STATUS_CHANGED, CASE_DECIDED)


def _publish(event_type: str, case, **data) -> events.Event:
    event = events.Event(
        type=event_type,
        source=SOURCE,
        subject=case.reference,
        data={
            "reference": case.reference,
            "case_type": case.case_type.code,
            "agency": case.agency.code,
            "state": case.state,
            **data,
        },
    )
    events.publish(event)
    return event


def case_opened_publish(*, case) -> events.Event:
    return _publish(CASE_OPENED, case)


def case_status_changed_publish(*, case, from_state: str) -> events.Event:
    return _publish(CASE_STATUS_CHANGED, case, from_state=from_state)


def case_decided_publish(*, case, outcome: str, automated: bool) -> events.Event:
    return _publish(CASE_DECIDED, case, outcome=outcome, automated=automated)


@events.handler(*CASE_EVENT_TYPES, in_transaction=True)
def case_event_webhooks_record(event: events.Event) -> None:
    """The outbox of the webhooks: a delivery for each subscription of an API client of the
    case's agency to its case type, written with the change itself; sent after the commit."""
    event_deliveries_record(
        event=event, agency=event.data["agency"], case_type=event.data["case_type"]
    )

"""Events the decisions app handles: cases opened are decided by the rules where their case
type says so; caseworkers' decisions are compared with the rules' in shadow mode. Both run
after the case's change committed (core.events): a rule set that fails leaves the case with a
caseworker, never the resident's submission undone.

Register changes (life events) reach the rules another way: through the exchange's
subscription of the proactive job (``life_event_received``, named in its subscription), since
their data is released only under that job's grants."""

from __future__ import annotations

import logging

from civic.cases.events import CASE_DECIDED, CASE_OPENED
from civic.core import events
from civic.core.events import Event

log = logging.getLogger("civic.decisions")


def life_event_received(event: Event) -> None:
    """Delivered by the exchange's subscription (after the register change commits): a birth,
    a move, a death or a partnership. The household is checked at once, so an offer reaches
    the inbox within the minute."""
    from civic.decisions.proactive import household_evaluate

    people = [event.subject]
    for key in ("parentage.parent", "partnership.partner"):
        value = event.data.get(key)
        if isinstance(value, str):
            people.append(value)
        elif isinstance(value, list):
            people.extend(v for v in value if isinstance(v, str))
    from civic.decisions.engine import RulesNotInForce

    try:
        household_evaluate(personal_numbers=people, event=event.type)
    except RulesNotInForce as refused:
        # No law this year: nothing can be offered, and retrying will not change that.
        log.warning("life event %s not checked: %s", event.type, refused)


@events.handler(CASE_OPENED)
def case_opened(event: Event) -> None:
    from civic.decisions.automation import case_opened_decide

    case_opened_decide(reference=event.subject)


@events.handler(CASE_DECIDED)
def case_decided(event: Event) -> None:
    from civic.decisions.shadow import shadow_compare

    if not event.data.get("automated"):
        shadow_compare(reference=event.subject, outcome=event.data.get("outcome", ""))

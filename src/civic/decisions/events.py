"""Events the decisions app handles: register changes (life events) re-check the household
concerned; cases opened are decided by the rules where their case type says so; caseworkers'
decisions are compared with the rules' in shadow mode."""

from __future__ import annotations

from civic.core.events import Event, subscribe

CASE_OPENED = "org.civic.cases.opened"
CASE_DECIDED = "org.civic.cases.decided"


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
    household_evaluate(personal_numbers=people, event=event.type)


def case_opened(event: Event) -> None:
    from civic.decisions.automation import case_opened_decide

    case_opened_decide(reference=event.subject)


def case_decided(event: Event) -> None:
    from civic.decisions.shadow import shadow_compare

    if not event.data.get("automated"):
        shadow_compare(reference=event.subject, outcome=event.data.get("outcome", ""))


def handlers_connect() -> None:
    subscribe(CASE_OPENED, case_opened)
    subscribe(CASE_DECIDED, case_decided)

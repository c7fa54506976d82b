"""An API client's webhooks for case events: it subscribes to the events of the case types it
was given (``case_api_access_grant``), of its own agency, and nothing else. The exchange keeps
the subscription and delivers the events (signed, retried, withdrawn once the client may no
longer have them), as it does register events."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civic.cases.events import CASE_EVENT_TYPES
from civic.cases.models import CaseApiAccess
from civic.core.errors import CivicError, NotFound
from civic.exchange import services as exchange
from civic.exchange.selectors import event_subscriptions_of


class CaseTypesNotGiven(CivicError):
    """The client asked for events of case types it was not given."""

    status = 403
    code = "case-types-not-given"

    def __init__(self, message: str, *, items: list[str]) -> None:
        super().__init__(message)
        self.items = items


class UnknownEventTypes(CivicError):
    status = 400
    code = "unknown-event-types"

    def __init__(self, message: str, *, items: list[str]) -> None:
        super().__init__(message)
        self.items = items


def _given(api_client) -> set[str]:
    return set(
        CaseApiAccess.objects.filter(
            api_client=api_client, case_type__agency_id=api_client.agency_id
        ).values_list("case_type__code", flat=True)
    )


def case_events_subscribe(*, api_client, url: str, event_types: list[str], case_types: list[str]):
    """Subscribe ``url`` to ``event_types`` (all case events if none) of ``case_types`` (all
    the client was given if none); returns the subscription, its secret shown once."""
    unknown = sorted(set(event_types) - set(CASE_EVENT_TYPES))
    if unknown:
        raise UnknownEventTypes(
            _("There are no case events %(types)s; there are %(known)s.")
            % {"types": ", ".join(unknown), "known": ", ".join(CASE_EVENT_TYPES)},
            items=unknown,
        )
    given = _given(api_client)
    refused = sorted(set(case_types) - given)
    if refused or not given:
        raise CaseTypesNotGiven(
            _("You were not given the cases of %(types)s.") % {"types": ", ".join(refused)}
            if refused
            else _("You were not given the cases of any case type."),
            items=refused,
        )
    return exchange.event_subscription_create(
        api_client=api_client,
        url=url,
        event_types=list(event_types or CASE_EVENT_TYPES),
        case_types=list(case_types or sorted(given)),
    )


def case_events_unsubscribe(*, api_client, subscription_id: int) -> None:
    subscription = next(
        (s for s in event_subscriptions_of(api_client=api_client) if s.pk == subscription_id),
        None,
    )
    if subscription is None:
        raise NotFound(_("You have no subscription %(id)s.") % {"id": subscription_id})
    exchange.subscription_cancel(subscription=subscription)

"""Events the identity app publishes. Handlers run in the publisher's transaction (core.events),
so what they do commits or rolls back with the change itself."""

from __future__ import annotations

from civic.core import events

SOURCE = "/civic/identity"
#: An API client's credentials were revoked: the exchange ends its subscriptions and withdraws
#: every delivery still on its way to it, in the same transaction.
API_CLIENT_REVOKED = "org.civic.identity.api-client-revoked"


def api_client_revoked_publish(*, client_id: str) -> events.Event:
    event = events.Event(
        type=API_CLIENT_REVOKED, source=SOURCE, subject=client_id, data={"client_id": client_id}
    )
    events.publish(event)
    return event

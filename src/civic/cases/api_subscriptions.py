"""Webhooks for case events on the case API: a client subscribes an https address to the
events (opened, status changed, decided) of the case types it was given, and receives them as
CloudEvents, signed as Standard Webhooks, retried and withdrawn like the exchange's register
events. A case type the client was not given is refused (403, problem+json)."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status

from civic.cases import services
from civic.cases.events import CASE_EVENT_TYPES
from civic.exchange.api import partner
from civic.exchange.selectors import event_subscriptions_of

router = Router(tags=["cases"], auth=partner)


class CaseSubscriptionIn(Schema):
    url: str = Field(
        ..., max_length=500, description="Your https endpoint; deliveries are POSTed there"
    )
    event_types: list[str] = Field(
        [],
        max_length=len(CASE_EVENT_TYPES),
        description="Of " + ", ".join(CASE_EVENT_TYPES) + "; all of them if none",
    )
    case_types: list[str] = Field(
        [], max_length=200, description="Case type codes you were given; all of them if none"
    )


class CaseSubscriptionOut(Schema):
    id: int
    event_types: list[str]
    case_types: list[str]
    url: str
    secret: str | None = Field(
        None, description="The signing secret: returned once, when the subscription is made"
    )


def _out(subscription, *, with_secret: bool = False) -> dict:
    return {
        "id": subscription.pk,
        "event_types": subscription.event_types,
        "case_types": subscription.case_types,
        "url": subscription.url,
        "secret": subscription.secret if with_secret else None,
    }


@router.post(
    "/subscriptions",
    response={201: CaseSubscriptionOut},
    summary="Subscribe a webhook to case events",
)
def subscription_create(request, body: CaseSubscriptionIn):
    """Deliveries are CloudEvents whose `subject` is the case reference and whose `data` says
    the case type, state and (when decided) outcome; read the case itself with GET /cases/…"""
    subscription = services.case_events_subscribe(
        api_client=request.auth,
        url=body.url,
        event_types=body.event_types,
        case_types=body.case_types,
    )
    return Status(201, _out(subscription, with_secret=True))


@router.get(
    "/subscriptions", response=list[CaseSubscriptionOut], summary="Your case-event webhooks"
)
def subscription_list(request):
    return [_out(s) for s in event_subscriptions_of(api_client=request.auth)]


@router.delete(
    "/subscriptions/{case_subscription_id}",
    response={204: None},
    summary="Cancel a case-event webhook",
)
def subscription_cancel(request, case_subscription_id: int):
    services.case_events_unsubscribe(api_client=request.auth, subscription_id=case_subscription_id)
    return Status(204, None)

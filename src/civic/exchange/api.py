"""The exchange's public API, version 1: purpose-bound queries for partner systems, what a
caller may ask, the resident's own usage, and webhook subscriptions; the access log's checkpoints
and proofs are in api_log.py, under the same prefix.

Queries use POST, so that personal numbers stay out of URLs and server logs. Partner systems
authenticate with HTTP Basic (client id and secret, over TLS). Every refusal is
application/problem+json with the offending ``items`` named.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import HttpBasicAuth, django_auth
from pydantic import AfterValidator

from civic.core import params
from civic.exchange import limits, query, selectors
from civic.exchange.actors import Actor
from civic.exchange.api_log import router as log_router
from civic.exchange.errors import BadSubjects, QueryRefused
from civic.identity.selectors import resident_personal_number
from civic.identity.services import api_client_authenticate

router = Router(tags=["exchange"])
TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
# fullmatch, not match with $: "$" also matches before a final newline ("abc\n").
CASE = re.compile(r"[\w\-./: ]{0,80}")


class PartnerAuth(HttpBasicAuth):
    def authenticate(self, request, username, password):
        client = api_client_authenticate(client_id=username, secret=password)
        if client is None:
            return None
        request.civic_actor = Actor.api_client(client)
        return client


partner = PartnerAuth()


def _trace_id(request) -> str:
    found = TRACEPARENT.match(request.headers.get("traceparent", ""))
    if found:
        return found.group(1)
    given = request.headers.get("X-Request-ID", "")
    return given if re.fullmatch(r"[\w\-]{8,64}", given) else ""


#: The 429 every query and search may answer: a client past its limits (civic.exchange.limits).
RATE_LIMITED = {
    "responses": {
        "429": {
            "description": "Past the client's limit of subjects released a minute or a day, or "
            "of calls a minute: nothing was released or logged. The problem's items name the "
            "limit (subjects-per-minute, subjects-per-day, calls-per-minute).",
            "headers": {
                "Retry-After": {
                    "description": "Seconds until the limit's window ends",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    }
}


def _case(value: str) -> str:
    if not CASE.fullmatch(value):
        raise BadSubjects(
            _("A case reference has at most 80 letters, digits and - . / : _ characters."),
            items=[value[:80]],
        )
    return value


# The document says what the API enforces (params.in_calendar: 1900 to 2999), so that no
# request the document allows is refused: a date by its year; a moment (compared in UTC, where
# an offset can move it a day) by a year at least one inside the range.
Day = Annotated[
    dt.date,
    AfterValidator(params.in_calendar),
    Field(json_schema_extra={"pattern": r"^(19|2[0-9])[0-9]{2}-"}),
]
Moment = Annotated[
    dt.datetime,
    AfterValidator(params.in_calendar),
    Field(
        json_schema_extra={
            "pattern": r"^(19[0-9][1-9]|19[1-9]0|2[0-9][0-9][0-8]|2[0-9][1-9]9|20[0-9]9)-"
        }
    ),
]
#: Far past any list's end, and offset + limit still fits a database integer.
OFFSET_MAX = 10_000_000


class QueryIn(Schema):
    # The counts are documented, not checked by the schema: the query refuses them itself,
    # naming the limit in the caller's language.
    subjects: list[str] = Field(
        ...,
        description="Up to 20 subject identifiers (personal numbers for persons and income).",
        json_schema_extra={"minItems": 1, "maxItems": query.MAX_SUBJECTS},
    )
    fields: list[str] = Field(
        ...,
        description="Catalogue attribute names, e.g. identity.birth_date. Required; there is no default.",
        json_schema_extra={"minItems": 1},
    )
    purpose: str = Field(..., description="The code of the purpose this query serves.")
    case: str = Field("", description="Your case reference, recorded in the access log.")
    valid_at: Day | None = Field(
        None, description="The day the facts must be true on (default: today)."
    )
    known_at: Moment | None = Field(
        None, description="Answer as the register knew it at this moment (default: now)."
    )


class SearchIn(Schema):
    fields: list[str] = Field(..., json_schema_extra={"minItems": 1})
    purpose: str
    case: str = ""
    family_name: str | None = Field(None, max_length=200)
    birth_date: Day | None = None
    address: str | None = Field(None, description="An address identifier: who lives there today.")


class SubjectOut(Schema):
    subject: str
    records: dict


class QueryOut(Schema):
    register_key: str = Field(..., alias="register")
    purpose: str
    valid_at: str | None = None
    known_at: str | None = None
    trace_id: str
    results: list[SubjectOut]


@router.post(
    "/persons/search",
    auth=partner,
    response=QueryOut,
    by_alias=True,
    summary="Search living residents",
    openapi_extra=RATE_LIMITED,
)
def persons_search(request, body: SearchIn):
    """By family name and birth date, or by address. Each hit is logged as a search, and counts
    against the client's limits of subjects released a minute and a day."""
    limits.calls_count(request.civic_actor)
    return query.persons_search(
        actor=request.civic_actor,
        fields=body.fields,
        purpose=body.purpose,
        family_name=body.family_name,
        birth_date=body.birth_date,
        address=body.address,
        case=_case(body.case),
        trace_id=_trace_id(request),
    )


@router.post(
    "/{register}/query",
    auth=partner,
    response=QueryOut,
    by_alias=True,
    summary="Query a register",
    openapi_extra=RATE_LIMITED,
)
def register_query(request, body: QueryIn, register_key: str = Path(..., alias="register")):
    """Exactly the fields asked for (plus those the catalogue always delivers, such as the
    confidentiality flag), for a purpose your grant covers. Any field, subject or purpose
    that is not allowed refuses the whole request; nothing is filtered silently. Each subject
    counts against the client's limits of subjects released a minute and a day."""
    limits.calls_count(request.civic_actor)
    return query.register_query(
        actor=request.civic_actor,
        register=register_key,
        subjects=body.subjects,
        fields=body.fields,
        purpose=body.purpose,
        case=_case(body.case),
        valid_at=body.valid_at,
        known_at=body.known_at,
        trace_id=_trace_id(request),
    )


class AllowedOut(Schema):
    purpose: str
    purpose_name: str
    legal_ground: str
    legal_basis: str
    register_key: str = Field(..., alias="register")
    fields: list[str]
    valid_until: dt.datetime | None


@router.get(
    "/allowed",
    auth=partner,
    response=list[AllowedOut],
    by_alias=True,
    summary="What this client may ask",
)
def allowed(request):
    return selectors.allowed_list(actor=request.civic_actor)


class UsageOut(Schema):
    at: dt.datetime
    organisation: str
    acting_for_someone: bool
    purpose: str
    purpose_description: str
    legal_basis: str
    register_key: str = Field(..., alias="register")
    fields: list[str]
    kind: str
    position: int | None


class UsagePage(Schema):
    total: int
    offset: int
    limit: int
    entries: list[UsageOut]


class UsageFilter(Schema):
    from_: Moment | None = Field(None, alias="from")
    to: Moment | None = None
    offset: int = Field(0, ge=0, le=OFFSET_MAX)
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/usage", auth=django_auth, response=UsagePage, by_alias=True, summary="Who used my data"
)
def usage(request, filters: Query[UsageFilter]):
    """The logged-in resident's own access-log entries, newest first. Uses under a confidential
    purpose appear once their embargo has passed."""

    number = resident_personal_number(user=request.user)
    if number is None:
        raise QueryRefused(_("Only a resident can see who used their data."), items=[])
    return selectors.usage_page(
        personal_number=number,
        since=filters.from_,
        until=filters.to,
        offset=filters.offset,
        limit=filters.limit,
    )


class SubscriptionIn(Schema):
    register_key: str = Field(..., alias="register", description="persons or businesses")
    purpose: str
    event_types: list[str] = Field(
        ..., description="e.g. org.civic.persons.moved", json_schema_extra={"minItems": 1}
    )
    url: str = Field(
        ..., max_length=500, description="Your https endpoint; deliveries are POSTed there"
    )


class SubscriptionOut(Schema):
    id: int
    register_key: str = Field(..., alias="register")
    purpose: str
    event_types: list[str]
    url: str
    secret: str | None = Field(
        None, description="The signing secret: returned once, when the subscription is made"
    )


def _subscription_out(subscription, *, with_secret: bool = False) -> dict:
    return {
        "id": subscription.pk,
        "register": subscription.register,
        "purpose": subscription.purpose.code,
        "event_types": subscription.event_types,
        "url": subscription.url,
        "secret": subscription.secret if with_secret else None,
    }


@router.post(
    "/subscriptions",
    auth=partner,
    response={201: SubscriptionOut},
    by_alias=True,
    summary="Subscribe a webhook to register events",
)
def subscription_create(request, body: SubscriptionIn):
    """Your grants for the purpose must cover the data each event type carries. Deliveries are
    CloudEvents, signed as Standard Webhooks with the secret returned here (once)."""
    from civic.exchange import services
    from civic.exchange.errors import UnknownPurpose
    from civic.exchange.models import Purpose

    purpose = Purpose.objects.filter(code=body.purpose).first()
    if purpose is None:
        raise UnknownPurpose(
            _("There is no purpose called “%(purpose)s”.") % {"purpose": body.purpose},
            items=[body.purpose],
        )
    client = request.auth
    subscription = services.subscription_create(
        purpose=purpose,
        register=body.register_key,
        event_types=body.event_types,
        api_client=client,
        url=body.url,
    )
    return Status(201, _subscription_out(subscription, with_secret=True))


@router.get(
    "/subscriptions",
    auth=partner,
    response=list[SubscriptionOut],
    by_alias=True,
    summary="Your subscriptions",
)
def subscription_list(request):
    from civic.exchange.models import Subscription

    rows = (
        Subscription.objects.filter(api_client=request.auth, cancelled_at__isnull=True)
        .exclude(register="")
        .select_related("purpose")
    )
    return [_subscription_out(s) for s in rows.order_by("id")]


@router.delete(
    "/subscriptions/{subscription_id}",
    auth=partner,
    response={204: None},
    summary="Cancel a subscription",
)
def subscription_cancel(request, subscription_id: int):
    from civic.exchange import services
    from civic.exchange.errors import SubjectNotFound
    from civic.exchange.models import Subscription

    subscription = (
        Subscription.objects.filter(
            pk=subscription_id, api_client=request.auth, cancelled_at__isnull=True
        )
        .exclude(register="")
        .first()
    )
    if subscription is None:
        raise SubjectNotFound(
            _("You have no subscription %(id)s.") % {"id": subscription_id},
            items=[str(subscription_id)],
        )
    services.subscription_cancel(subscription=subscription)
    return Status(204, None)


# The log's checkpoints and proofs (api_log.py), under the same prefix and document.
router.add_router("", log_router)

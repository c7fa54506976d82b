"""Writes of the exchange: purposes, grants, consent. (Reads of register data and their log
entries are in query.py; the Merkle tree in auditlog.py.)"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock
from civic.core.errors import CivicError
from civic.exchange.actors import Actor
from civic.exchange.delivery.addresses import webhook_url_refusal
from civic.exchange.delivery.permission import delivery_refusal, subscription_covers
from civic.exchange.errors import NotGranted, QueryRefused, WebhookAddressRefused
from civic.exchange.event_subscriptions import (  # noqa: F401 (services of the exchange)
    event_deliveries_record,
    event_subscription_create,
    event_subscriptions_case_type_end,
)
from civic.exchange.models import Consent, Delivery, Grant, LegalGround, Purpose, Subscription
from civic.exchange.privacy import (  # noqa: F401 (services of the exchange)
    register_retention_apply,
    register_retention_rules,
    register_rows_total,
    register_seal_chunk,
    register_sealed_attributes,
    register_sealed_tables,
)
from civic.exchange.processing_limits import (  # noqa: F401 (objections and restrictions)
    processing_limit_lift,
    processing_limit_set,
)
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.staff_checks import staff_check_add  # noqa: F401 (for apps above)
from civic.exchange.webhooks import secret_new
from civic.identity.models import Agency, ApiClient
from civic.registers import changes
from civic.registers.catalogue import REGISTERS
from civic.registers.changes import EVENT_FIELDS

log = logging.getLogger("civic.exchange")


def purpose_ensure(
    *,
    code: str,
    name: str,
    description: str,
    controller: Agency,
    legal_ground: str,
    legal_basis: str,
    name_nl: str = "",
    description_nl: str = "",
    confidential: bool = False,
    embargo_days: int = 0,
) -> Purpose:
    if legal_ground not in LegalGround.values:
        raise CivicError(_("Unknown legal ground “%(ground)s”.") % {"ground": legal_ground})
    purpose, _created = Purpose.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "name_nl": name_nl,
            "description": description,
            "description_nl": description_nl,
            "controller": controller,
            "legal_ground": legal_ground,
            "legal_basis": legal_basis,
            "confidential": confidential,
            "embargo_days": embargo_days,
        },
    )
    return purpose


def grant_create(
    *,
    purpose: Purpose,
    register: str,
    attributes: list[str],
    api_client: ApiClient | None = None,
    staff_role: str = "",
    job: str = "",
    residents: bool = False,
    agency: Agency | None = None,
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
) -> Grant:
    """Grant one grantee: an API client, a staff role of an agency, a job of an agency, or
    residents (each for their own records only, or those of someone they act for)."""
    catalogue = REGISTERS.get(register)
    if catalogue is None:
        raise CivicError(_("There is no register called “%(register)s”.") % {"register": register})
    unknown = sorted(set(attributes) - set(catalogue.attribute_names()))
    if unknown:
        raise CivicError(
            ngettext(
                "Register “%(register)s” has no field %(fields)s.",
                "Register “%(register)s” has no fields %(fields)s.",
                len(unknown),
            )
            % {"register": register, "fields": ", ".join(unknown)}
        )
    if sum(bool(g) for g in (api_client, staff_role, job, residents)) != 1:
        raise CivicError(_("A grant is for exactly one API client, staff role, job, or residents."))
    if (staff_role or job) and agency is None:
        raise CivicError(_("A grant to a staff role or a job names the agency."))
    return Grant.objects.create(
        purpose=purpose,
        register=register,
        attributes=sorted(set(attributes)),
        api_client=api_client,
        staff_role=staff_role,
        job=job,
        residents=residents,
        agency=agency,
        valid_from=valid_from or clock.now(),
        valid_until=valid_until,
    )


def grant_ensure(
    *,
    purpose: Purpose,
    register: str,
    attributes: list[str],
    staff_role: str = "",
    job: str = "",
    residents: bool = False,
    agency: Agency | None = None,
) -> Grant:
    """The active grant for this grantee, purpose and register, covering ``attributes`` (a
    loader's idempotent form of grant_create; an API client's grants are made one by one)."""
    existing = Grant.objects.filter(
        purpose=purpose,
        register=register,
        staff_role=staff_role,
        job=job,
        residents=residents,
        agency=agency,
        api_client__isnull=True,
        revoked_at__isnull=True,
        valid_until__isnull=True,
    ).first()
    if existing is None:
        return grant_create(
            purpose=purpose,
            register=register,
            attributes=attributes,
            staff_role=staff_role,
            job=job,
            residents=residents,
            agency=agency,
        )
    wanted = sorted(set(existing.attributes) | set(attributes))
    if wanted != existing.attributes:
        _grant_end(existing)
        return grant_create(
            purpose=purpose,
            register=register,
            attributes=wanted,
            staff_role=staff_role,
            job=job,
            residents=residents,
            agency=agency,
        )
    return existing


@transaction.atomic
def grant_set(
    *,
    purpose: Purpose,
    register: str,
    attributes: list[str],
    api_client: ApiClient | None = None,
    staff_role: str = "",
    job: str = "",
    residents: bool = False,
    agency: Agency | None = None,
) -> Grant:
    """The grantee's one open-ended grant for this purpose and register allows exactly
    ``attributes`` (a jurisdiction's set-up: the file says what is allowed, so narrowing it
    there narrows the grant). Others for the same key are revoked, so the history stays."""
    open_ended = Grant.objects.select_for_update().filter(
        purpose=purpose,
        register=register,
        api_client=api_client,
        staff_role=staff_role,
        job=job,
        residents=residents,
        agency=None if api_client or residents else agency,
        revoked_at__isnull=True,
        valid_until__isnull=True,
    )
    wanted = sorted(set(attributes))
    grants = list(open_ended.order_by("pk"))
    if len(grants) == 1 and grants[0].attributes == wanted:
        return grants[0]
    for grant in grants:
        _grant_end(grant)
    replacement = grant_create(
        purpose=purpose,
        register=register,
        attributes=wanted,
        api_client=api_client,
        staff_role=staff_role,
        job=job,
        residents=residents,
        agency=None if api_client or residents else agency,
    )
    if grants:  # the set-up may have narrowed what the grantee's subscriptions rely on
        deliveries_recheck(purpose=purpose, register=register)
    return replacement


def _grant_end(grant: Grant) -> None:
    grant.revoked_at = clock.now()
    grant.save(update_fields=["revoked_at"])


@transaction.atomic
def grant_revoke(*, grant: Grant) -> Grant:
    """The grant ends now: the next query under it is refused, and deliveries of events it
    covered that have not gone yet are withdrawn (unless another grant still covers them)."""
    _grant_end(grant)
    deliveries_recheck(purpose=grant.purpose, register=grant.register)
    return grant


@transaction.atomic
def consent_give(*, personal_number: str, purpose: Purpose) -> Consent:
    """A new consent record; earlier withdrawn ones stay withdrawn."""
    subject = person_pseudonym(personal_number)
    current = Consent.objects.filter(
        subject=subject, purpose=purpose, withdrawn_at__isnull=True
    ).first()
    return current or Consent.objects.create(subject=subject, purpose=purpose, given_at=clock.now())


@transaction.atomic
def consent_withdraw(*, personal_number: str, purpose: Purpose) -> int:
    """Withdraw; the very next query under this purpose is refused. Returns how many were open."""
    return Consent.objects.filter(
        subject=person_pseudonym(personal_number), purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=clock.now())


def subscription_create(
    *,
    purpose: Purpose,
    register: str,
    event_types: list[str],
    api_client: ApiClient | None = None,
    url: str = "",
    handler: str = "",
    job: str = "",
    agency: Agency | None = None,
):
    """Subscribe a partner's webhook (returns the signing secret, shown once) or an in-process
    handler run as a job. The grantee must hold a grant covering every type's data."""
    unknown = [t for t in event_types if t not in EVENT_FIELDS or EVENT_FIELDS[t][0] != register]
    if not event_types:
        raise QueryRefused(_("Name the event types to subscribe to."), items=[])
    if unknown:
        raise QueryRefused(
            ngettext(
                "Register “%(register)s” publishes no event type %(types)s.",
                "Register “%(register)s” publishes no event types %(types)s.",
                len(unknown),
            )
            % {"register": register, "types": ", ".join(unknown)},
            items=unknown,
        )
    if api_client is not None:
        if (refusal := webhook_url_refusal(url)) is not None:
            raise WebhookAddressRefused(refusal, items=[url])
        subscription = Subscription(
            kind=Subscription.Kind.WEBHOOK,
            purpose=purpose,
            register=register,
            event_types=event_types,
            api_client=api_client,
            url=url,
            secret=secret_new(),
        )
        actor = Actor.api_client(api_client)
    else:
        subscription = Subscription(
            kind=Subscription.Kind.HANDLER,
            purpose=purpose,
            register=register,
            event_types=event_types,
            handler=handler,
            job=job,
            agency=agency,
        )
        actor = Actor.job(job, agency=agency.code)
    missing = [
        t for t in event_types if not subscription_covers(subscription, actor, EVENT_FIELDS[t][1])
    ]
    if missing:
        raise NotGranted(
            _("Your grants for purpose “%(purpose)s” do not cover the data of %(types)s.")
            % {"purpose": purpose.code, "types": ", ".join(missing)},
            items=missing,
        )
    subscription.save()
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription, reason: str = "the subscription was cancelled") -> None:
    """Nothing more reaches it: no new deliveries, and the pending ones are withdrawn."""
    subscription.cancelled_at = clock.now()
    subscription.cancelled_reason = reason[:200]
    subscription.save(update_fields=["cancelled_at", "cancelled_reason"])
    _deliveries_withdraw(Delivery.objects.filter(subscription=subscription), reason)


@transaction.atomic
def api_client_subscriptions_end(*, api_client: ApiClient, reason: str) -> int:
    """End every subscription of the client and withdraw every delivery not yet made to it
    (queued, waiting for a retry, or claimed by a worker that has not sent it yet); returns
    how many deliveries were withdrawn."""
    Subscription.objects.filter(api_client=api_client, cancelled_at__isnull=True).update(
        cancelled_at=clock.now(), cancelled_reason=reason[:200]
    )
    return _deliveries_withdraw(
        Delivery.objects.filter(subscription__api_client=api_client), reason
    )


@transaction.atomic
def deliveries_recheck(*, purpose: Purpose, register: str) -> int:
    """After grants for ``purpose`` and ``register`` ended or narrowed: withdraw the pending
    deliveries their subscriber's grants no longer cover; returns how many. Checked once per
    subscription and event type, however many deliveries wait."""
    waiting = Delivery.objects.filter(
        status=Delivery.Status.PENDING,
        subscription__purpose=purpose,
        subscription__register=register,
    )
    pairs = set(waiting.values_list("subscription_id", "event_type"))
    subscriptions = Subscription.objects.select_related(
        "purpose", "api_client__agency", "agency"
    ).in_bulk({subscription_id for subscription_id, _type in pairs})
    withdrawn = 0
    for subscription_id, event_type in sorted(pairs):
        reason = delivery_refusal(subscriptions[subscription_id], event_type)
        if reason is not None:
            withdrawn += _deliveries_withdraw(
                waiting.filter(subscription_id=subscription_id, event_type=event_type), reason
            )
    return withdrawn


def _deliveries_withdraw(deliveries, reason: str) -> int:
    """Withdraw those of ``deliveries`` still pending, with the reason, for the operator."""
    withdrawn = deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.WITHDRAWN, withdrawn_reason=reason[:200], claim=""
    )
    if withdrawn:
        log.warning("%s deliveries withdrawn: %s", withdrawn, reason)
    return withdrawn


def correction_request_file(
    *,
    personal_number: str,
    filed_by: str,
    register: str,
    attribute: str,
    shown_value: str,
    explanation: str,
):
    """File a resident's "this is wrong" report with the authority that keeps the register
    (registers.changes.correction_request_file): the register's own data stays behind the
    exchange, in writing as in reading."""
    return changes.correction_request_file(
        personal_number=personal_number,
        filed_by=filed_by,
        register=register,
        attribute=attribute,
        shown_value=shown_value,
        explanation=explanation,
    )


def correction_apply(*, reference: str, value: str, authority: str):
    """The register's authority applies a correction request as a new bitemporal version
    (registers.changes.correction_apply); the old version stays as history."""
    return changes.correction_apply(reference=reference, value=value, authority=authority)

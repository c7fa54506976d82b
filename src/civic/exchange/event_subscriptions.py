"""Webhooks for other apps' events about an agency's own work (the cases app's case events):
the caller decides which case types a client may have; the exchange keeps the subscription,
records the deliveries in the publisher's transaction and sends them like register events.
Other apps reach these through ``exchange.services``."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from civic.core import clock
from civic.exchange.delivery.addresses import webhook_url_refusal
from civic.exchange.delivery.permission import delivery_refusal
from civic.exchange.dispatch import dispatch_after_commit
from civic.exchange.errors import NotGranted, WebhookAddressRefused
from civic.exchange.models import Delivery, Subscription
from civic.exchange.webhooks import secret_new
from civic.identity.models import ApiClient

log = logging.getLogger("civic.exchange")


@transaction.atomic
def event_subscription_create(
    *, api_client: ApiClient, url: str, event_types: list[str], case_types: list[str]
) -> Subscription:
    """A webhook of ``api_client`` for ``event_types`` about ``case_types`` (which the caller
    checked the client may see); returns it with its signing secret, shown once."""
    if api_client.revoked_at is not None:
        raise NotGranted(_("This API client is revoked."), items=[api_client.client_id])
    if (refusal := webhook_url_refusal(url)) is not None:
        raise WebhookAddressRefused(refusal, items=[url])
    return Subscription.objects.create(
        kind=Subscription.Kind.WEBHOOK,
        register="",
        event_types=sorted(set(event_types)),
        case_types=sorted(set(case_types)),
        api_client=api_client,
        url=url,
        secret=secret_new(),
    )


def event_deliveries_record(*, event, agency: str, case_type: str) -> int:
    """One pending delivery of ``event`` for each live subscription of a client of ``agency``
    to its type and ``case_type``, in the caller's transaction; they are sent after it
    commits. Returns how many."""
    subscriptions = Subscription.objects.filter(
        register="", cancelled_at__isnull=True, api_client__agency__code=agency
    ).select_related("api_client")
    now, created = clock.now(), 0
    for subscription in subscriptions:
        if event.type not in subscription.event_types:
            continue
        if delivery_refusal(subscription, event.type, event.data) is not None:
            continue
        _delivery, was_new = Delivery.objects.get_or_create(
            subscription=subscription,
            event_id=event.id,
            defaults={
                "event_type": event.type,
                "subject": event.subject[:64],
                "payload": event.as_cloudevent(),
                "next_attempt_at": now,
                "created_at": now,
            },
        )
        created += was_new
    if created:
        transaction.on_commit(dispatch_after_commit, robust=True)
    return created


@transaction.atomic
def event_subscriptions_case_type_end(*, api_client: ApiClient, case_type: str) -> int:
    """The client lost access to ``case_type``: its subscriptions stop covering it and what
    was on its way about it is withdrawn; returns how many deliveries were withdrawn."""
    reason = f"API client {api_client.client_id} lost access to case type {case_type}"
    for subscription in Subscription.objects.select_for_update().filter(
        api_client=api_client, register="", cancelled_at__isnull=True
    ):
        if case_type in subscription.case_types:
            subscription.case_types = [c for c in subscription.case_types if c != case_type]
            subscription.save(update_fields=["case_types"])
    return _withdraw(
        Delivery.objects.filter(
            subscription__api_client=api_client,
            subscription__register="",
            payload__data__case_type=case_type,
        ),
        reason,
    )


def _withdraw(deliveries, reason: str) -> int:
    withdrawn = deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.WITHDRAWN, withdrawn_reason=reason[:200], claim=""
    )
    if withdrawn:
        log.warning("%s deliveries withdrawn: %s", withdrawn, reason)
    return withdrawn

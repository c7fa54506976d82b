"""Background work of the exchange, for Celery workers (production). A task only calls services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from civic.exchange.auditlog import integrate_all
from civic.exchange.delivery import deliveries_dispatch, deliveries_sweep
from civic.exchange.delivery.attempt import sweep_summary

log = logging.getLogger("civic.exchange")


@shared_task(name="civic.exchange.deliveries_dispatch")
def deliveries_dispatch_task() -> int:
    """Sent after each register change that made deliveries."""
    return deliveries_dispatch()


@shared_task(name="civic.exchange.deliveries_sweep")
def deliveries_sweep_task() -> dict[str, int]:
    """Run by Celery beat every few seconds: retries that are due, and deliveries whose claim
    ran out because the worker that held it died. Only where Celery delivers events."""
    if settings.EVENT_DELIVERY != "celery":
        return {}
    outcomes = deliveries_sweep()
    if outcomes:
        log.info("event delivery sweep: %s", sweep_summary(outcomes))
    return dict(outcomes)


@shared_task(name="civic.exchange.auditlog_integrate")
def auditlog_integrate_task() -> int:
    return integrate_all()

"""Background work of the exchange, for Celery workers (production). A task only calls services."""

from __future__ import annotations

from celery import shared_task

from civic.exchange.auditlog import integrate_all
from civic.exchange.delivery import deliveries_dispatch


@shared_task(name="civic.exchange.deliveries_dispatch")
def deliveries_dispatch_task() -> int:
    return deliveries_dispatch()


@shared_task(name="civic.exchange.auditlog_integrate")
def auditlog_integrate_task() -> int:
    return integrate_all()

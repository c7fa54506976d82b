"""Background work of notify, for Celery workers (CIVIC_NOTIFY_DELIVERY=celery). A task only
calls services (those of notify.sending). Schedule ``civic.notify.deliveries_retry_due`` every minute with Celery beat
(or run ``civic notify retry --follow``) so that failed email and SMS are tried again."""

from __future__ import annotations

from celery import shared_task

from civic.notify.sending import deliveries_retry_due, message_deliver


@shared_task(name="civic.notify.message_deliver")
def message_deliver_task(message_id: int) -> list[str]:
    return message_deliver(message_id=message_id)


@shared_task(name="civic.notify.deliveries_retry_due")
def deliveries_retry_due_task() -> dict[str, int]:
    return deliveries_retry_due()

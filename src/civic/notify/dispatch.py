"""What happens to a message's email and SMS once its send commits: a Celery task
(CIVIC_NOTIFY_DELIVERY=celery), a try in the same process (inline), or nothing until a retry
run picks them up. Used by notify.services and notify.bulk."""

from __future__ import annotations

from django.conf import settings

from civic.notify.sending import deliveries_retry_due, message_deliver
from civic.notify.tasks import message_deliver_task


def message_dispatch(message_id: int) -> None:
    if settings.NOTIFY_DELIVERY == "celery":
        message_deliver_task.delay(message_id)
    elif settings.NOTIFY_DELIVERY == "inline":
        message_deliver(message_id=message_id)
        # The embedded default has no scheduler: retries that are due go along with new mail.
        deliveries_retry_due(limit=10)

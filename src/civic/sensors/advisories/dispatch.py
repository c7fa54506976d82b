"""What happens once an advisory's issue commits: a Celery task when messages go through
Celery (CIVIC_NOTIFY_DELIVERY=celery), else delivery in this process right away."""

from __future__ import annotations

import logging

from django.conf import settings

from civic.sensors.advisories.delivery import advisory_deliver
from civic.sensors.tasks import advisory_deliver_task

log = logging.getLogger(__name__)


def advisory_dispatch(advisory_id: int) -> None:
    if settings.NOTIFY_DELIVERY == "celery":
        advisory_deliver_task.delay(advisory_id)
        return
    try:
        advisory_deliver(advisory_id=advisory_id)
    except Exception:  # the issue stands; the operator sees it was not delivered
        log.exception("advisory %s could not be delivered", advisory_id)

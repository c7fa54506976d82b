"""Background work of privacy oversight, for Celery workers (CIVIC_NOTIFY_DELIVERY=celery). A
task only calls services (this one compliance.notice's, below compliance.services)."""

from __future__ import annotations

from celery import shared_task

from civic.compliance.notice import access_alert_tell
from civic.compliance.retention.tasks import key_rotation_task, retention_run_task  # noqa: F401
from civic.compliance.review.services import access_review_run


@shared_task(name="civic.compliance.access_alert_tell")
def access_alert_tell_task(alert_id: int) -> int:
    return access_alert_tell(alert_id=alert_id)


@shared_task(name="civic.compliance.access_review_run")
def access_review_run_task() -> int:
    """The beat's pass of access review over new staff reads; how many reviews it raised."""
    run = access_review_run()
    return run.raised if run else 0

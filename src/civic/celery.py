"""The Celery application (production background work on RabbitMQ): `celery -A civic worker`.

Imported by ``civic/__init__.py``, so every process — web, CLI, worker — sends its tasks through
this app and its settings (broker, queue), never Celery's default app.

Installations may share a broker: each has its own queue, named by CIVIC_INSTANCE, and every
task message carries the instance that sent it; a worker refuses (and logs) a task from
another instance rather than run it against its own database, whose ids mean other things.
"""

from __future__ import annotations

import logging
import os

from celery import Celery, Task, signals
from celery.exceptions import Reject

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

INSTANCE_HEADER = "civic_instance"
log = logging.getLogger("civic.celery")



def _instance() -> str:
    from django.conf import settings

    return settings.INSTANCE


class CivicTask(Task):
    """Every task of Civic: refuses to run work sent by another installation."""

    def __call__(self, *args, **kwargs):
        sent_by = getattr(self.request, INSTANCE_HEADER, None)
        # Called in-process (directly, or eagerly) the work is this instance's own.
        in_process = self.request.called_directly or self.request.is_eager
        if not in_process and sent_by != _instance():
            log.error(
                "refused task %s sent by instance %r (this worker serves %r)",
                self.name,
                sent_by,
                _instance(),
            )
            raise Reject(f"task from instance {sent_by!r}", requeue=False)
        return super().__call__(*args, **kwargs)


app = Celery("civic", task_cls=CivicTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.before_task_publish.connect
def _stamp_instance(headers=None, **_kwargs) -> None:
    if headers is not None:
        headers[INSTANCE_HEADER] = _instance()

"""Where `celery -A civic worker|beat` finds Civic's Celery app: it lives in the shared kernel
(``civic.core.background``), so that core, which loads it when Django starts, imports nothing
above it."""

from civic.core.background import (  # noqa: F401 (re-exported for `celery -A civic` and tests)
    DEAD_LETTER_SUFFIX,
    app,
    dead_letter_queue_declare,
    queues_configure,
)

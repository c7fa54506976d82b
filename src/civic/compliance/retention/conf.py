"""Settings of retention and key rotation (gathered by ``civic.settings``)."""

from __future__ import annotations

from civic.core.config import env

RETENTION_CHUNK = env(
    "CIVIC_RETENTION_CHUNK",
    default=50_000,
    kind=int,
    help="Rows per statement of the retention run (an id range of a register table); cases go "
    "2,000 at a time. Memory stays flat whatever the jurisdiction's size.",
    group="Privacy",
)
RETENTION_EVERY_HOURS = env(
    "CIVIC_RETENTION_EVERY_HOURS",
    default=24.0,
    kind=float,
    help="How often `celery -A civic beat` starts the retention run (`civic privacy retention` "
    "runs it by hand).",
    group="Privacy",
)
FIELD_ROTATION_CHUNK = env(
    "CIVIC_FIELD_ROTATION_CHUNK",
    default=5_000,
    kind=int,
    help="Rows re-encrypted per transaction by `civic privacy rotate-key`; progress is saved "
    "after each, so a stopped rotation resumes where it was.",
    group="Privacy",
)

#: Periodic work of retention, for `celery -A civic beat`.
RETENTION_BEAT_SCHEDULE = {
    "compliance-retention-run": {
        "task": "civic.compliance.retention_run",
        "schedule": RETENTION_EVERY_HOURS * 3600,
    },
}

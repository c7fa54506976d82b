"""Settings of access review, gathered by civic.settings (kept apart from compliance's other
settings so each part of the app declares its own)."""

from __future__ import annotations

from civic.core.config import ConfigError, env

ACCESS_REVIEW_WORKING_HOURS = env(
    "CIVIC_ACCESS_REVIEW_WORKING_HOURS",
    default="7-19",
    help="Working hours in local time, as FROM-UNTIL whole hours: staff reads outside them, "
    "or on a Saturday or Sunday, go to the data protection officer's queue.",
    group="Privacy oversight",
)
ACCESS_REVIEW_BULK_A_DAY = env(
    "CIVIC_ACCESS_REVIEW_BULK_A_DAY",
    default=60,
    kind=int,
    help="A staff member who reads more people than this in one day is flagged for review.",
    group="Privacy oversight",
)
ACCESS_REVIEW_SELF_EXPLAINING_PURPOSES = env(
    "CIVIC_ACCESS_REVIEW_SELF_EXPLAINING_PURPOSES",
    default=[],
    kind=list,
    help="Purpose codes whose grant explains a staff read by itself, without a case or task "
    "(a front desk's identity check, say). Comma-separated; none by default.",
    group="Privacy oversight",
)
ACCESS_REVIEW_EVERY = env(
    "CIVIC_ACCESS_REVIEW_EVERY",
    default=300,
    kind=int,
    help="Seconds between passes of the access review over new staff reads (Celery beat).",
    group="Privacy oversight",
)


def _hours(raw: str) -> tuple[int, int]:
    try:
        start, end = (int(part) for part in raw.split("-"))
    except ValueError:
        raise ConfigError(
            f"CIVIC_ACCESS_REVIEW_WORKING_HOURS must be FROM-UNTIL in whole hours, not {raw!r}."
        ) from None
    if not 0 <= start < end <= 24:
        raise ConfigError(f"CIVIC_ACCESS_REVIEW_WORKING_HOURS: {raw!r} is no span of a day (0-24).")
    return start, end


ACCESS_REVIEW_HOURS = _hours(ACCESS_REVIEW_WORKING_HOURS)

#: Periodic work of access review, for `celery -A civic beat`.
ACCESS_REVIEW_BEAT_SCHEDULE = {
    "compliance-access-review": {
        "task": "civic.compliance.access_review_run",
        "schedule": float(ACCESS_REVIEW_EVERY),
        "options": {"expires": float(ACCESS_REVIEW_EVERY)},
    },
}

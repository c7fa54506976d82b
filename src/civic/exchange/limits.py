"""How much the exchange releases to one API client: subjects a minute and a day, and a ceiling
on calls a minute.

Subjects are what a limit is about: a query for 20 people releases 20 records, a search by
address as many as live there. They are counted just before the read is logged and released;
a call that would go past either limit is refused whole (429, Retry-After), releases nothing
and writes nothing to the access log, and what it had counted is given back. The calls
ceiling (CIVIC_EXCHANGE_RATE_LIMIT) counts every query and search, also those that release
nothing (an empty search probes too), before any work is done.

The windows are fixed: the clock's minute, and the local calendar day. Each client's limits
come with its credentials (``Actor.subjects_per_minute``/``_per_day``, set by the operator);
None means the installation's default. Staff, residents and jobs are not counted here: staff
read for their cases within their roles, jobs are the agency's own.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.core import clock
from civic.exchange import counters
from civic.exchange.actors import Actor
from civic.exchange.errors import RateLimited
from civic.exchange.models import AccessLogEntry

log = logging.getLogger("civic.exchange")
PREFIX = "civic:exchange:limit"
#: Day counts are kept a week and more: a client's recent days are its baseline (watch.py).
DAY_KEPT_SECONDS = 9 * 24 * 3600


def limited(actor: Actor) -> bool:
    return actor.kind == AccessLogEntry.ActorKind.API_CLIENT


def per_minute(actor: Actor) -> int:
    return actor.subjects_per_minute or settings.EXCHANGE_SUBJECTS_PER_MINUTE


def per_day(actor: Actor) -> int:
    return actor.subjects_per_day or settings.EXCHANGE_SUBJECTS_PER_DAY


def _minute(now: dt.datetime) -> tuple[int, int]:
    """This minute's number and the seconds until the next one (at least 1)."""
    seconds = int(now.timestamp())
    return seconds // 60, 60 - seconds % 60


def _day(now: dt.datetime) -> tuple[dt.date, int]:
    """Today (local) and the seconds until tomorrow begins (at least 1)."""
    local = timezone.localtime(now)
    tomorrow = timezone.make_aware(
        dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time()), local.tzinfo
    )
    return local.date(), max(1, int((tomorrow - now).total_seconds()))


def day_key(actor_id: str, day: dt.date) -> str:
    return f"{PREFIX}:day:{actor_id}:{day.isoformat()}"


def calls_count(actor: Actor) -> None:
    """Count one call; past the ceiling, refuse it. A client whose own limit a minute is
    higher than the ceiling may make as many calls as that."""
    if not limited(actor):
        return
    now = clock.now()
    minute, retry_after = _minute(now)
    [count] = counters.increments([(f"{PREFIX}:calls:{actor.id}:{minute}", 1, 120)])
    ceiling = max(settings.EXCHANGE_RATE_LIMIT, per_minute(actor))
    if count > ceiling:
        error = RateLimited(
            _(
                "This client made more than %(limit)s calls this minute, the limit of calls a "
                "minute; try again in %(seconds)s seconds."
            )
            % {"limit": ceiling, "seconds": retry_after},
            items=["calls-per-minute"],
        )
        error.retry_after = retry_after
        _refused(actor, "calls-per-minute", ceiling)
        raise error


@dataclass(frozen=True)
class Taken:
    """Subjects counted for one call, to give back if the release fails after all."""

    keys: tuple[str, str]
    count: int
    #: The client's count today, this call included (the watch compares it with its baseline).
    today: int
    day: dt.date


def subjects_take(actor: Actor, count: int) -> Taken | None:
    """Count ``count`` subjects about to be released to ``actor``; refuse (RateLimited, and
    nothing stays counted) if that goes past its limit a minute or a day."""
    if not limited(actor) or count <= 0:
        return None
    now = clock.now()
    minute, minute_wait = _minute(now)
    day, day_wait = _day(now)
    keys = (f"{PREFIX}:subjects:{actor.id}:{minute}", day_key(actor.id, day))
    in_minute, in_day = counters.increments(
        [(keys[0], count, 120), (keys[1], count, DAY_KEPT_SECONDS)]
    )
    minute_limit, day_limit = per_minute(actor), per_day(actor)
    if in_minute <= minute_limit and in_day <= day_limit:
        return Taken(keys=keys, count=count, today=in_day, day=day)
    counters.increments([(keys[0], -count, 120), (keys[1], -count, DAY_KEPT_SECONDS)])
    if in_day > day_limit:
        message = _(
            "This client may be released %(limit)s subjects a day; this request, for "
            "%(count)s, would bring today's to %(total)s. Try again tomorrow, in %(seconds)s "
            "seconds."
        )
        values = {"limit": day_limit, "count": count, "total": in_day, "seconds": day_wait}
        name, wait = "subjects-per-day", day_wait
    else:
        message = _(
            "This client may be released %(limit)s subjects a minute; this request, for "
            "%(count)s, would bring this minute's to %(total)s. Try again in %(seconds)s seconds."
        )
        values = {"limit": minute_limit, "count": count, "total": in_minute, "seconds": minute_wait}
        name, wait = "subjects-per-minute", minute_wait
    error = RateLimited(message % values, items=[name])
    error.retry_after = wait
    _refused(actor, name, values["limit"])
    raise error


def _refused(actor: Actor, limit: str, value: int) -> None:
    """A security event for the log collector: which client, which limit (no subjects)."""
    log.warning("API client %s refused: past its limit %s (%s)", actor.id, limit, value)


def subjects_give_back(taken: Taken | None) -> None:
    """The release failed after its subjects were counted: they were not released."""
    if taken is None:
        return
    counters.increments(
        [(taken.keys[0], -taken.count, 120), (taken.keys[1], -taken.count, DAY_KEPT_SECONDS)]
    )


def days_before(actor_id: str, day: dt.date, days: int) -> list[int]:
    """The subjects released to the client on each of the ``days`` days before ``day``."""
    return counters.values(
        [day_key(actor_id, day - dt.timedelta(days=n)) for n in range(1, days + 1)]
    )

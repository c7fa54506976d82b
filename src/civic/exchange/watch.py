"""Watching what partner systems ask for: walks over consecutive identifiers, and unusual volume.

A back office doing case work asks about people and addresses scattered over the whole
register. Someone harvesting it walks: address identifier after address identifier, personal
numbers in a row, one family name with every birth day of a month. The watch splits each
kind of identifier into small blocks of consecutive values (64 address identifiers, 320
personal or business numbers, which hold about 29 valid ones, 32 days) and keeps, per client and
window (CIVIC_EXCHANGE_SCAN_WINDOW_MINUTES), the set of distinct values asked in each block.
When one block holds CIVIC_EXCHANGE_SCAN_RUN of them, that is a walk. What is counted is what
the client asked, found or not, released or refused: a walk over empty addresses probes too.

Volume is judged on what was released: a client's count today past
CIVIC_EXCHANGE_ALERT_DAY_PERCENT of its limit a day, or past CIVIC_EXCHANGE_ALERT_BASELINE_FACTOR
times its own average of the seven days before.

Either publishes ACCESS_UNUSUAL on the event bus when it first happens in a window; the
compliance app keeps it as an alert for the client agency's data protection officer (once per
client, kind and window) and tells them. Its examples carry no personal data in clear: address
identifiers (no person in them), keyed pseudonyms of personal and business numbers (as in the
access log), ranges of birth days without the name, and the request's trace id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from civic.core import clock
from civic.core.events import Event, publish
from civic.exchange import counters, limits
from civic.exchange.actors import Actor
from civic.exchange.pseudonyms import pseudonym

ACCESS_UNUSUAL = "org.civic.exchange.access-unusual"
SOURCE = "/civic/exchange"
SEQUENTIAL, VOLUME = "sequential", "volume"
PREFIX = "civic:exchange:watch"
BASELINE_DAYS = 7
#: Days with releases a client needs before its own average counts as a baseline.
BASELINE_HISTORY = 3


@dataclass(frozen=True)
class Walk:
    block: int
    #: The identifiers this walk is over; anything else asked is not part of one.
    form: re.Pattern
    number: Callable[[str], int]
    #: How one value of a block is shown to the data protection officer.
    shown: Callable[[int], str]
    #: Shown as the block's range (no person in it), the values asked, or both.
    range_shown: bool = False
    values_shown: bool = True


def _birth_day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


WALKS: dict[str, Walk] = {
    "address-identifiers": Walk(
        64, re.compile(r"[0-9]{16}"), int, lambda n: f"{n:016d}", range_shown=True
    ),
    "personal-numbers": Walk(
        320, re.compile(r"[0-9]{9}"), int, lambda n: pseudonym("persons", f"{n:09d}")
    ),
    "business-numbers": Walk(
        320, re.compile(r"[0-9]{8}"), int, lambda n: pseudonym("businesses", f"{n:08d}")
    ),
    "birth-dates": Walk(
        32,
        re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
        lambda text: dt.date.fromisoformat(text).toordinal(),
        _birth_day,
        range_shown=True,
        values_shown=False,
    ),
}
#: The walk a query's subjects make, by register (vehicles' plates are not in sequence).
WALK_OF_REGISTER = {
    "persons": "personal-numbers",
    "income": "personal-numbers",
    "businesses": "business-numbers",
    "addresses": "address-identifiers",
}


def family_name_key(family_name: str) -> str:
    """Birth days are walked within one family name; the name itself is not kept."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"watch:{family_name.casefold()}".encode(), hashlib.sha256
    ).hexdigest()[:16]


def _window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime, int, int]:
    seconds = settings.EXCHANGE_SCAN_WINDOW_MINUTES * 60
    number = int(now.timestamp()) // seconds
    start = dt.datetime.fromtimestamp(number * seconds, tz=dt.UTC)
    return start, start + dt.timedelta(seconds=seconds), number, seconds


def asked(
    *, actor: Actor, walk: str, identifiers: list[str], trace_id: str, within: str = ""
) -> None:
    """Note the identifiers an API client asked for (``within``: what the walk is confined to,
    such as one family name); tell the officer when that completes a walk."""
    if not limits.limited(actor) or not identifiers:
        return
    spec = WALKS[walk]
    start, end, window, seconds = _window(clock.now())
    blocks: dict[int, set[str]] = {}
    for identifier in identifiers:
        if not spec.form.fullmatch(identifier):
            continue
        number = spec.number(identifier)
        blocks.setdefault(number // spec.block, set()).add(str(number % spec.block))
    if not blocks:
        return
    keys = [
        (f"{PREFIX}:{actor.id}:{walk}:{within}:{window}:{block}", sorted(members), seconds)
        for block, members in blocks.items()
    ]
    sizes = counters.set_adds(keys)
    run = settings.EXCHANGE_SCAN_RUN
    for (key, members, _seconds), size in zip(keys, sizes, strict=True):
        # The call that brings a block to the run tells; those after it in the window do not
        # (the alert is kept once per client, kind and window in any case).
        if size >= run > size - len(members):
            block = int(key.rsplit(":", 1)[1])
            _tell(
                actor,
                kind=SEQUENTIAL,
                window=(start, end),
                counts={"walk": walk, "distinct_in_block": size, "block": spec.block},
                examples=_examples(spec, block, counters.set_members(key)),
                trace_id=trace_id,
            )


def _examples(spec: Walk, block: int, members: set[str]) -> list[str]:
    """What the officer sees of a walked block: its range (if that names no one) and the first
    values asked in it (shown as the walk shows them)."""
    first = block * spec.block
    examples = []
    if spec.range_shown:
        examples.append(f"{spec.shown(first)} – {spec.shown(first + spec.block - 1)}")
    if spec.values_shown:
        examples += [spec.shown(first + int(m)) for m in sorted(members, key=int)[:5]]
    return examples


_baselines: dict[tuple[str, dt.date], float | None] = {}
_baselines_lock = threading.Lock()


def _baseline(actor: Actor, day: dt.date) -> float | None:
    """The client's average released a day over the week before ``day``; None without enough
    history. It cannot change during the day, so each process works it out once a day."""
    key = (actor.id, day)
    with _baselines_lock:
        if key in _baselines:
            return _baselines[key]
    counts = limits.days_before(actor.id, day, BASELINE_DAYS)
    history = sum(1 for count in counts if count > 0)
    baseline = sum(counts) / BASELINE_DAYS if history >= BASELINE_HISTORY else None
    with _baselines_lock:
        if len(_baselines) > 10_000 or any(d != day for _client, d in _baselines):
            _baselines.clear()  # yesterday's are no use today
        _baselines[key] = baseline
    return baseline


def released(*, actor: Actor, taken: limits.Taken | None, trace_id: str) -> None:
    """After a release: tell the officer when it took the client's count today past the share
    of its limit a day, or far past its own recent average."""
    if taken is None:
        return
    before, today = taken.today - taken.count, taken.today
    day_limit = limits.per_day(actor)
    share = math.ceil(day_limit * settings.EXCHANGE_ALERT_DAY_PERCENT / 100)
    crossed: dict[str, int | float | None] = {}
    if before < share <= today:
        crossed["share_of_limit"] = share
    minimum = settings.EXCHANGE_ALERT_BASELINE_MINIMUM
    if today >= minimum:
        baseline = _baseline(actor, taken.day)
        if baseline is not None:
            threshold = max(minimum, math.ceil(settings.EXCHANGE_ALERT_BASELINE_FACTOR * baseline))
            if before < threshold <= today:
                crossed["baseline"] = round(baseline, 1)
                crossed["over_baseline"] = threshold
    if not crossed:
        return
    start = timezone.make_aware(dt.datetime.combine(taken.day, dt.time()))
    _tell(
        actor,
        kind=VOLUME,
        window=(start, start + dt.timedelta(days=1)),
        counts={"subjects_today": today, "limit_per_day": day_limit, **crossed},
        examples=[],
        trace_id=trace_id,
    )


def _tell(
    actor: Actor,
    *,
    kind: str,
    window: tuple[dt.datetime, dt.datetime],
    counts: dict,
    examples: list[str],
    trace_id: str,
) -> None:
    publish(
        Event(
            type=ACCESS_UNUSUAL,
            source=SOURCE,
            subject=actor.id,
            data={
                "api_client": actor.id,
                "agency": actor.agency,
                "kind": kind,
                "window_start": window[0].isoformat(),
                "window_end": window[1].isoformat(),
                "counts": counts,
                "examples": examples,
                "trace_id": trace_id,
            },
        )
    )

"""An issued advisory reaches the residents who asked for warnings about its area: those who
chose one of its neighbourhoods, and those who chose their home area and live in one (read
through the exchange under the advisories' purpose when the advisory is sent, so a move takes
the subscription along and every look-up shows in the resident's "who used my data"). Each
gets an inbox message in their language, and email or SMS as they chose (notify)."""

from __future__ import annotations

import logging

from django.conf import settings

from civic.core import clock
from civic.exchange.selectors import Actor, home_neighbourhoods
from civic.notify.services import notifications_send_bulk
from civic.sensors import models as m
from civic.sensors.advisories.texts import TEXT_FIELDS

log = logging.getLogger(__name__)
#: The exchange's job that reads subscribers' home areas, and the message template.
JOB, TEMPLATE = "public-advisories", "advisory"
#: Messages written in one transaction.
SEND_BATCH = 1_000


def recipients(advisory: m.Advisory) -> list[str]:
    """Personal numbers of the subscribers in the advisory's area."""
    area = set(advisory.neighbourhoods)
    if not area:
        return []
    chosen: list[str] = []
    at_home: list[str] = []
    subscriptions = m.AdvisorySubscription.objects.values_list(
        "personal_number", "home", "neighbourhoods"
    ).order_by("pk")
    for number, home, places in subscriptions.iterator(chunk_size=2_000):
        if area & set(places or ()):
            chosen.append(number)
        elif home:
            at_home.append(number)
    if at_home and advisory.agency:
        homes = home_neighbourhoods(
            actor=Actor.job(JOB, agency=advisory.agency),
            purpose=settings.SENSORS_ADVISORY_PURPOSE,
            personal_numbers=at_home,
        )
        chosen += [number for number in at_home if homes.get(number) in area]
    return chosen


def _context(advisory: m.Advisory) -> dict[str, str]:
    context = {
        "identifier": advisory.identifier,
        "message_type": advisory.message_type,
        "link": f"/advisories/{advisory.identifier}/",
    }
    for language, _name in settings.LANGUAGES:
        texts = (advisory.texts or {}).get(language) or {}
        for key in TEXT_FIELDS:
            context[f"{key}_{language}"] = texts.get(key, "")
    return context


def advisory_deliver(*, advisory_id: int) -> int:
    """Send an issued advisory to its area's subscribers, once: the first call claims it and
    a repeated one (a retried task) sends nothing. Returns how many residents it reached."""
    now = clock.now()
    claimed = m.Advisory.objects.filter(
        pk=advisory_id, state=m.Advisory.State.ISSUED, delivered_at__isnull=True
    ).update(delivered_at=now)
    if not claimed:
        return 0
    advisory = m.Advisory.objects.get(pk=advisory_id)
    numbers = recipients(advisory)
    context = _context(advisory)
    sent = 0
    for start in range(0, len(numbers), SEND_BATCH):
        batch = numbers[start : start + SEND_BATCH]
        sent += notifications_send_bulk(
            template=TEMPLATE,
            messages=[(number, context, advisory.identifier) for number in batch],
        )
    m.Advisory.objects.filter(pk=advisory_id).update(recipients=sent)
    log.info("advisory %s reached %s residents", advisory.identifier, sent)
    return sent

"""What `auditlog verify` checks beyond the signed tree: entries positioned past the newest
checkpoint (the integrator signs a checkpoint with every position it gives, so such an entry
was added behind its back), the integrator's own tree head, entries it quarantined, and entries
that have waited too long to be integrated.

A row written into the waiting entries with database access looks like any other until it is
integrated: the log proves that nothing integrated changes, not who wrote a waiting row. What
can be checked is done here: a malformed one is quarantined by the integrator and named, and a
waiting one far older than the integrator's pace (back-dated, or an integrator that stopped)
fails verification.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from civic.core import clock
from civic.exchange.models import AccessLogEntry, TreeHead

#: How long an entry may wait for the integrator before verify calls it stale.
WAITING_TOLERANCE = dt.timedelta(minutes=10)


def beyond_the_tree(size: int, *, newest: int) -> tuple[int, str] | None:
    """The first problem found past the verified tree of ``size`` entries, whose newest signed
    checkpoint covers ``newest``, as (position, message); None when there is none."""
    if size > newest:
        return (
            newest,
            f"positions {newest} to {size - 1} are in the tree but no signed checkpoint "
            "covers them (added past the integrator?)",
        )
    head = TreeHead.objects.first()
    if (head.size if head else 0) != size:
        return (
            size,
            f"the integrator's tree head says {head.size if head else 0} entries, but the "
            f"log holds {size}",
        )
    waiting = AccessLogEntry.objects.filter(position__isnull=True)
    quarantined = waiting.exclude(quarantined="").order_by("id").first()
    if quarantined is not None:
        return (
            size,
            f"entry id {quarantined.id} was left out of the tree by the integrator: "
            f"{quarantined.quarantined} (forged?)",
        )
    allowed = max(
        WAITING_TOLERANCE, 10 * dt.timedelta(seconds=settings.AUDITLOG_CHECKPOINT_SECONDS)
    )
    stale = waiting.filter(quarantined="", at__lt=clock.now() - allowed).order_by("at").first()
    if stale is not None:
        return (
            size,
            f"entry id {stale.id}, written {stale.at:%Y-%m-%d %H:%M:%S}, has waited more than "
            f"{int(allowed.total_seconds() // 60)} minutes to be integrated (is the integrator "
            "running? or was it back-dated?)",
        )
    return None

"""Reads of the breach register for the data protection officer's pages."""

from __future__ import annotations

from civic.compliance.breaches.models import Breach
from civic.compliance.breaches.services import breach_deadline, breach_overdue
from civic.core import clock
from civic.identity.selectors import agency_scoped

PAGE = 50


def breaches_list(*, user, show: str = "open") -> list[dict]:
    """The agency's breaches, newest first, each with its deadline and whether it is overdue."""
    breaches = agency_scoped(Breach.objects.all(), user=user)
    if show == "open":
        breaches = breaches.exclude(step=Breach.Step.CLOSED)
    now = clock.now()
    return [
        {"breach": b, "deadline": breach_deadline(b), "overdue": breach_overdue(b, now)}
        for b in breaches.order_by("-discovered_at", "-pk")[:PAGE]
    ]


def breach_get(*, user, breach_id: int) -> Breach | None:
    return agency_scoped(Breach.objects.all(), user=user).filter(pk=breach_id).first()

"""Reads of residents' feedback: for the service owner (their agency's services only: ratings,
comments to moderate and to act on, drop-off per form step) and the figures the insights use.
Aggregates and anonymous comments; never a person."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from civic.catalog.selectors import services_published
from civic.core import clock
from civic.feedback.models import SATISFACTION, Feedback, Kind, Moderation
from civic.forms.selectors import form_drop_off, forms_published
from civic.identity.selectors import staff_agency_id


def feedback_for_staff(*, user, feedback_id: int, lock: bool = False) -> Feedback | None:
    """One feedback item about a service of the staff member's agency; None for any other."""
    agency = staff_agency_id(user=user)
    if agency is None:
        return None
    found = Feedback.objects.filter(pk=feedback_id, service__agency_id=agency)
    return (found.select_for_update() if lock else found).first()


def _ratings(items) -> dict[str, Any]:
    satisfaction = items.filter(kind=Kind.SATISFACTION)
    counts = Counter(satisfaction.values_list("rating", flat=True))
    useful = items.filter(kind=Kind.PAGE_USEFUL).aggregate(
        yes=Count("id", filter=Q(rating=1)), no=Count("id", filter=Q(rating=0))
    )
    answered = sum(counts.values())
    return {
        "satisfaction_count": answered,
        "satisfaction_mean": satisfaction.aggregate(mean=Avg("rating"))["mean"],
        "satisfied_rate": (counts[5] + counts[4]) / answered if answered else None,
        "distribution": [
            {"rating": value, "label": label, "count": counts[value]}
            for value, label in SATISFACTION
        ],
        "useful_yes": useful["yes"],
        "useful_no": useful["no"],
        "useful_rate": useful["yes"] / (useful["yes"] + useful["no"])
        if useful["yes"] + useful["no"]
        else None,
    }


def feedback_overview(*, user, days: int = 90) -> list[dict[str, Any]]:
    """Each published service of the staff member's agency: its ratings over ``days`` days,
    the comments waiting for moderation, the kept ones (newest first), and drop-off per step."""
    agency = staff_agency_id(user=user)
    if agency is None:
        return []
    since = clock.now() - dt.timedelta(days=days)
    forms = {form.service_id: form for form, schema in forms_published() if schema}
    out = []
    for service in services_published().filter(agency_id=agency).order_by("code"):
        items = Feedback.objects.filter(service=service)
        recent = items.filter(received_at__gte=since)
        form = forms.get(service.pk)
        out.append(
            {
                "service": service,
                **_ratings(recent),
                "pending": list(items.filter(moderation=Moderation.PENDING)[:50]),
                "kept": list(items.filter(moderation=Moderation.KEPT)[:50]),
                "drop_off": form_drop_off(form=form, since=since) if form else [],
            }
        )
    return out


def feedback_acted_on(*, since: dt.datetime) -> tuple[int, int]:
    """Of the comments kept after moderation since ``since``, how many were acted on."""
    kept = Feedback.objects.filter(moderation=Moderation.KEPT, received_at__gte=since)
    return kept.exclude(acted_on="").count(), kept.count()


def feedback_published(*, service, limit: int = 20) -> list[Feedback]:
    """A service's comments that were acted on, with what was done: "you said, we did"."""
    return list(
        Feedback.objects.filter(service=service, moderation=Moderation.KEPT)
        .exclude(acted_on="")
        .order_by("-acted_at")[:limit]
    )


def satisfaction_of(*, service_code: str, since: dt.datetime) -> dict[str, Any]:
    """A service's satisfaction answers since ``since``: how many, and the share satisfied or
    very satisfied (None without answers)."""
    ratings = Counter(
        dict(
            Feedback.objects.filter(
                service__code=service_code, kind=Kind.SATISFACTION, received_at__gte=since
            )
            .values("rating")
            .annotate(n=Count("id"))
            .values_list("rating", "n")
        )
    )
    answered = sum(ratings.values())
    return {
        "answered": answered,
        "satisfied_rate": (ratings[5] + ratings[4]) / answered if answered else None,
    }


def satisfaction_months() -> list[dict[str, Any]]:
    """``satisfaction_of`` per service and month received (``"YYYY-MM"``): how many answered,
    and how many of them were satisfied or very satisfied (4 or 5). Counts only; the feedback
    is anonymous."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for code, month, rating, count in (
        Feedback.objects.filter(kind=Kind.SATISFACTION)
        .annotate(month=TruncMonth("received_at"))
        .values_list("service__code", "month", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (code, month.strftime("%Y-%m"))
        row = rows.setdefault(
            key, {"service": key[0], "month": key[1], "answered": 0, "satisfied": 0}
        )
        row["answered"] += count
        row["satisfied"] += count if rating >= 4 else 0
    return [rows[key] for key in sorted(rows)]

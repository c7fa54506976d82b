"""Reads of privacy oversight for its pages: the access alerts of the user's agency."""

from __future__ import annotations

from civic.compliance.models import AccessAlert
from civic.identity.selectors import agency_scoped

PAGE = 50


def access_alerts_list(*, user, show: str = "open") -> list[AccessAlert]:
    """The agency's alerts, newest first: those not yet acknowledged (``open``) or all."""
    alerts = agency_scoped(AccessAlert.objects.select_related("api_client"), user=user)
    if show == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return list(alerts.order_by("-raised_at", "-pk")[:PAGE])


def access_alerts_open_count(*, user) -> int:
    return (
        agency_scoped(AccessAlert.objects.all(), user=user)
        .filter(acknowledged_at__isnull=True)
        .count()
    )


def access_alert_get(*, user, alert_id: int) -> AccessAlert | None:
    return (
        agency_scoped(AccessAlert.objects.all(), user=user)
        .select_related("api_client", "acknowledged_by")
        .filter(pk=alert_id)
        .first()
    )

"""Writes of the catalogue: its life events, topics, services and navigators, each created or
updated by its code (a jurisdiction's set-up calls them; see docs/setup.md)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civic.catalog.models import LifeEvent, NavigatorFlow, Service, Topic
from civic.core.errors import CivicError
from civic.identity.models import Agency


def life_event_ensure(*, code: str, name: dict, description: dict, order: int) -> LifeEvent:
    event, _created = LifeEvent.objects.update_or_create(
        code=code, defaults={"name": name, "description": description, "order": order}
    )
    return event


def topic_ensure(*, code: str, name: dict) -> Topic:
    topic, _created = Topic.objects.update_or_create(code=code, defaults={"name": name})
    return topic


@transaction.atomic
def service_ensure(
    *,
    code: str,
    agency: Agency,
    name: dict,
    summary: dict,
    eligibility: dict | None = None,
    cost: dict | None = None,
    duration: dict | None = None,
    needs: dict | None = None,
    how_to_apply: dict | None = None,
    legal_basis: str = "",
    keywords: dict | None = None,
    life_events: list[str] = (),
    topics: list[str] = (),
    granted_without_application: bool = False,
    urgent: bool = False,
) -> Service:
    """Create or update a service (its texts by language). Whether it is published stays the
    service owner's choice."""
    events = list(LifeEvent.objects.filter(code__in=life_events))
    kinds = list(Topic.objects.filter(code__in=topics))
    missing = sorted(
        {*life_events} - {e.code for e in events} | {*topics} - {t.code for t in kinds}
    )
    if missing:
        raise CivicError(
            _("Service %(code)s names unknown life events or topics: %(missing)s.")
            % {"code": code, "missing": ", ".join(missing)}
        )
    service, _created = Service.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "summary": summary,
            "eligibility": eligibility or {},
            "cost": cost or {},
            "duration": duration or {},
            "needs": needs or {},
            "how_to_apply": how_to_apply or {},
            "agency": agency,
            "legal_basis": legal_basis,
            "keywords": keywords or {},
            "granted_without_application": granted_without_application,
            "urgent": urgent,
        },
    )
    service.life_events.set(events)
    service.topics.set(kinds)
    return service


def navigator_ensure(*, code: str, title: dict, start: str, nodes: dict) -> NavigatorFlow:
    flow, _created = NavigatorFlow.objects.update_or_create(
        code=code, defaults={"title": title, "flow": {"start": start, "nodes": nodes}}
    )
    return flow

"""Writes of the catalogue: loading the catalogue's content from its data files."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from civic.catalog.models import LifeEvent, NavigatorFlow, Service, Topic
from civic.core.errors import CivicError
from civic.identity.services import agency_ensure

DATA_DIR = Path(__file__).resolve().parent / "data"
TEXT_FIELDS = ("name", "summary", "eligibility", "cost", "duration", "needs", "how_to_apply")


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CivicError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
        ) from None


@transaction.atomic
def catalogue_load(*, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Create or update the agencies, life events, topics, services and navigators in the data files."""
    for agency in _read(data_dir / "agencies.json"):
        agency_ensure(
            code=agency["code"],
            name=agency["name"],
            name_nl=agency.get("name_nl", ""),
            kind=agency.get("kind", "national"),
        )
    events = {}
    for order, item in enumerate(_read(data_dir / "life_events.json")):
        events[item["code"]], _created = LifeEvent.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item.get("description", {}),
                "order": order,
            },
        )
    topics = {}
    for item in _read(data_dir / "topics.json"):
        topics[item["code"]], _created = Topic.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"]}
        )
    from civic.identity.models import Agency

    agencies = {a.code: a for a in Agency.objects.all()}
    for item in _read(data_dir / "services.json"):
        if item["agency"] not in agencies:
            raise CivicError(
                _("Service %(code)s names an unknown agency %(agency)s.")
                % {"code": item["code"], "agency": item["agency"]}
            )
        service, _created = Service.objects.update_or_create(
            code=item["code"],
            defaults={
                **{name: item.get(name, {}) for name in TEXT_FIELDS},
                "agency": agencies[item["agency"]],
                "legal_basis": item.get("legal_basis", ""),
                "keywords": item.get("keywords", {}),
                "granted_without_application": item.get("granted_without_application", False),
                "urgent": item.get("urgent", False),
            },
        )
        service.life_events.set([events[c] for c in item.get("life_events", [])])
        service.topics.set([topics[c] for c in item.get("topics", [])])
    for item in _read(data_dir / "navigator.json"):
        NavigatorFlow.objects.update_or_create(
            code=item["code"],
            defaults={
                "title": item["title"],
                "flow": {"start": item["start"], "nodes": item["nodes"]},
            },
        )
    return {
        "services": Service.objects.count(),
        "life_events": LifeEvent.objects.count(),
        "navigators": NavigatorFlow.objects.count(),
    }

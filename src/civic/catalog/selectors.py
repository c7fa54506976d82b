"""Reads of the catalogue for pages and other apps, and the finder's index over it."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db.models import Max, Prefetch

from civic.catalog.finder import Document, Finder, Hit
from civic.catalog.models import LifeEvent, NavigatorFlow, Service, Topic

_index_lock = threading.Lock()
_index: tuple[object, Finder, object | None] | None = None


def services_published():
    return (
        Service.objects.filter(published=True)
        .select_related("agency")
        .prefetch_related("life_events", "topics")
    )


def life_events_with_services() -> list[LifeEvent]:
    return list(
        LifeEvent.objects.prefetch_related(
            Prefetch(
                "services", queryset=Service.objects.filter(published=True).select_related("agency")
            )
        )
    )


def life_event_get(*, code: str) -> LifeEvent | None:
    return (
        LifeEvent.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "services", queryset=Service.objects.filter(published=True).select_related("agency")
            )
        )
        .first()
    )


def service_get(*, code: str) -> Service | None:
    return services_published().filter(code=code).first()


def services_by_code(codes: list[str]) -> list[Service]:
    found = {s.code: s for s in services_published().filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def topics_list() -> list[Topic]:
    return list(Topic.objects.all())


def life_events_list() -> list[LifeEvent]:
    return list(LifeEvent.objects.order_by("order", "code"))


def services_list() -> list[Service]:
    """Every service, published or not (a jurisdiction's set-up names them all)."""
    return list(
        Service.objects.select_related("agency")
        .prefetch_related("life_events", "topics")
        .order_by("code")
    )


def navigators_all() -> list[NavigatorFlow]:
    return list(NavigatorFlow.objects.order_by("code"))


def navigator_get(*, code: str) -> NavigatorFlow | None:
    return NavigatorFlow.objects.filter(code=code, published=True).first()


def navigators_list() -> list[NavigatorFlow]:
    return list(NavigatorFlow.objects.filter(published=True).order_by("code"))


def _documents() -> list[Document]:
    documents = []
    for service in services_published():
        events = [e.name for e in service.life_events.all()]
        topics = [t.name for t in service.topics.all()]
        agency = {"en": service.agency.name, "nl": service.agency.name_nl or service.agency.name}
        texts = {
            "name": service.name,
            "summary": service.summary,
            "keywords": {lang: " | ".join(words) for lang, words in service.keywords.items()},
            "life_events": {
                lang: " | ".join(e.get(lang, "") for e in events) for lang in ("en", "nl")
            },
            "topics": {lang: " | ".join(t.get(lang, "") for t in topics) for lang in ("en", "nl")},
            "agency": agency,
        }
        documents.append(
            Document(
                code=service.code,
                texts={
                    f: {k: v for k, v in t.items() if k in ("en", "nl")} for f, t in texts.items()
                },
            )
        )
    return documents


def _indexes() -> tuple[Finder, object | None]:
    """The finder (and the semantic plugin's index, when switched on) over the published
    catalogue, rebuilt when the catalogue changes."""
    global _index
    version = (
        Service.objects.aggregate(latest=Max("updated_at"))["latest"],
        Service.objects.count(),
        settings.CATALOG_SEMANTIC,
    )
    with _index_lock:
        if _index is None or _index[0] != version:
            documents = _documents()
            model = None
            if settings.CATALOG_SEMANTIC:
                from civic.catalog.semantic import SemanticIndex

                model = SemanticIndex(documents)
            _index = (version, Finder(documents), model)
        return _index[1], _index[2]


def finder() -> Finder:
    return _indexes()[0]


def services_find(*, query: str, limit: int = 10) -> list[tuple[Service, float]]:
    """The services that fit a plain-language query, best first, with their scores."""
    lexical, model = _indexes()
    if model is None:
        hits: list[Hit] = lexical.search(query, limit=limit)
    else:
        from civic.catalog.semantic import fuse

        hits = fuse(lexical.search(query, limit=20), model.similarities(query), limit)
    services = {s.code: s for s in services_by_code([h.code for h in hits])}
    return [(services[h.code], h.score) for h in hits if h.code in services]


def _navigator_services(flow: NavigatorFlow) -> set[str]:
    return {
        code
        for node in flow.flow.get("nodes", {}).values()
        if node.get("type") == "services"
        for code in node.get("services", [])
    }


def _guide_scores(query: str, events: list[LifeEvent], flows: list[NavigatorFlow]) -> dict:
    """How well the query matches each life event's name and description and each navigator's
    title, by the finder's own matching."""
    documents = [
        Document(code=f"event:{e.code}", texts={"name": e.name, "summary": e.description})
        for e in events
    ] + [Document(code=f"flow:{f.code}", texts={"name": f.title}) for f in flows]
    for doc in documents:
        doc.texts = {
            k: {lang: t for lang, t in v.items() if lang in ("en", "nl")}
            for k, v in doc.texts.items()
        }
    return {hit.code: hit.score for hit in Finder(documents).search(query, limit=len(documents))}


def guides_for(
    query: str, found: list[tuple[Service, float]]
) -> tuple[LifeEvent | None, NavigatorFlow | None]:
    """The life event and the guided questions that fit a finder's answer.

    The life event: of the first three services' life events, the one their scores favour
    most, the query's match with the life event's own words breaking ties. The navigator: one
    whose title matches the query, or that ends at each of the first three services."""
    first = found[:3]
    if not first:
        return None, None
    events: dict[str, float] = {}
    by_code: dict[str, LifeEvent] = {}
    for service, score in first:
        for event in service.life_events.all():
            events[event.code] = events.get(event.code, 0.0) + score
            by_code[event.code] = event
    flows = navigators_list()
    text = _guide_scores(query, list(by_code.values()), flows)
    event = (
        by_code[
            max(
                events,
                key=lambda c: (events[c] + text.get(f"event:{c}", 0.0), -by_code[c].order),
            )
        ]
        if events
        else None
    )
    codes = {service.code for service, _score in first}
    fitting = [
        f
        for f in flows
        if text.get(f"flow:{f.code}", 0.0) > 0
        or (first[0][0].code in _navigator_services(f) and codes <= _navigator_services(f))
    ]
    flow = (
        max(
            fitting,
            key=lambda f: (text.get(f"flow:{f.code}", 0.0), len(_navigator_services(f) & codes)),
        )
        if fitting
        else None
    )
    return event, flow


def contact_service() -> Service | None:
    """The catalogue's way to reach a person (CIVIC_CATALOG_CONTACT_SERVICE), if published."""
    code = settings.CATALOG_CONTACT_SERVICE
    return service_get(code=code) if code else None

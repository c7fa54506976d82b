"""Catalogue pages: the services index, life events, a service, the finder and the navigators."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civic.catalog import selectors
from civic.catalog.facts import text_render
from civic.catalog.finder import MAX_QUERY_LENGTH
from civic.core.i18n import tr
from civic.forms.selectors import form_for_service, version_published


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/index.html",
        {
            "life_events": selectors.life_events_with_services(),
            "navigators": selectors.navigators_list(),
        },
    )


def life_event(request: HttpRequest, code: str) -> HttpResponse:
    event = selectors.life_event_get(code=code)
    if event is None:
        raise Http404
    return render(
        request, "catalog/life_event.html", {"event": event, "services": list(event.services.all())}
    )


def _structured_data(request: HttpRequest, service) -> str:
    """schema.org GovernmentService, for search engines and assistive tools."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "identifier": service.code,
        "name": tr(service.name),
        "description": text_render(tr(service.summary), service_code=service.code),
        "url": request.build_absolute_uri(),
        "provider": {
            "@type": "GovernmentOrganization",
            "name": tr({"en": service.agency.name, "nl": service.agency.name_nl}),
        },
        "serviceOperator": {"@type": "GovernmentOrganization", "name": service.agency.name},
        "audience": {
            "@type": "Audience",
            "audienceType": text_render(tr(service.eligibility), service_code=service.code),
        },
        "termsOfService": service.legal_basis,
        "availableChannel": {"@type": "ServiceChannel", "serviceUrl": request.build_absolute_uri()},
    }
    # Escape "<" so the JSON cannot close the script element it sits in.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def service(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.service_get(code=code)
    if found is None:
        raise Http404
    form = form_for_service(service_code=code)
    online = form is not None and version_published(form=form) is not None
    return render(
        request,
        "catalog/service.html",
        {"service": found, "structured_data": _structured_data(request, found), "online": online},
    )


def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    query = " ".join(raw.split())[:MAX_QUERY_LENGTH]
    results = selectors.services_find(query=query) if query else []
    event, flow = selectors.guides_for(query, results)
    return render(
        request,
        "catalog/search.html",
        {
            "query": query,
            "too_long": len(raw) > MAX_QUERY_LENGTH,
            "results": results,
            "event": event,
            "flow": flow,
            "contact": selectors.contact_service() if query else None,
            "life_events": selectors.life_events_list() if query and not results else [],
        },
    )


def guide(request: HttpRequest, code: str) -> HttpResponse:
    """A navigator, one question per page, working without JavaScript."""
    flow = selectors.navigator_get(code=code)
    if flow is None:
        raise Http404
    nodes, start = flow.flow["nodes"], flow.flow["start"]
    at = request.GET.get("at", start)
    if at not in nodes:
        return redirect(reverse("catalog:guide", args=[code]))
    node = nodes[at]
    error = ""
    if node["type"] == "question" and "answer" in request.GET:
        try:
            option = node["options"][int(request.GET["answer"])]
        except (ValueError, IndexError):
            error = _("Choose one of the answers.")
        else:
            return redirect(f"{reverse('catalog:guide', args=[code])}?at={option['next']}")
    elif node["type"] == "question" and "submitted" in request.GET:
        error = _("Choose one of the answers.")
    services = (
        selectors.services_by_code(node.get("services", [])) if node["type"] == "services" else []
    )
    return render(
        request,
        "catalog/guide.html",
        {
            "flow": flow,
            "node": node,
            "at": at,
            "error": error,
            "services": services,
            "options": list(enumerate(node.get("options", []))),
            "restart": at != start,
        },
        status=200,
    )

"""CKAN's Action API, read-only, at /api/3/action/<action> and /api/action/<action>: GET with
query parameters or POST with a JSON body, answered in CKAN's envelope
(``{"help", "success", "result"}``, or ``"error": {"__type", "message"}`` with CKAN's status
codes). Thin: parse, call the selectors, render with ckan.dicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from civic.opendata import selectors
from civic.opendata.ckan import dicts
from civic.opendata.ckan.query import ROWS_MAX, QueryError, search_parse

CKAN_VERSION = "2.10.4"  # the API version whose shapes these answers follow
LIST_LIMIT = 1000


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields


def _not_found(what: str) -> ActionError:
    return ActionError(404, "Not Found Error", f"{what} not found")


def _validation(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", message, **{field: [message]})


def _links(request: HttpRequest) -> dicts.Links:
    return dicts.Links(request.build_absolute_uri)


def _int(params: dict, name: str, default: int) -> int:
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _validation(name, "Invalid integer") from None
    if number < 0:
        raise _validation(name, "Must be a natural number")
    return number


def _id(params: dict) -> str:
    value = params.get("id") or params.get("name_or_id")
    if not value:
        raise _validation("id", "Missing value")
    return str(value)


def status_show(request, params):
    return {
        "site_title": "Civic open data",
        "site_description": "Open data of the jurisdiction, read by CKAN clients and harvesters.",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "locale_default": "en",
        "extensions": ["civic"],
    }


def package_list(request, params):
    limit = min(_int(params, "limit", LIST_LIMIT), LIST_LIMIT)
    offset = _int(params, "offset", 0)
    names = selectors.datasets_published().order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit])


def _dataset(params: dict):
    wanted = _id(params)
    found = selectors.dataset_get(name=wanted)
    if found is None:  # by CKAN id
        found = next(
            (d for d in selectors.datasets_published() if dicts.dataset_id(d.name) == wanted), None
        )
    if found is None:
        raise _not_found("Dataset")
    return found


def package_show(request, params):
    return dicts.package_dict(_dataset(params), _links(request))


def package_search(request, params):
    try:
        search, start, rows = search_parse(params)
    except QueryError as error:
        raise ActionError(400, "Search Query Error", f"Search Query is invalid: {error}") from None
    facets = _facet_fields(params)
    count, page, counted = selectors.datasets_search(
        search=search, start=start, rows=rows, facets=facets
    )
    limit = _int(params, "facet.limit", 50)
    links = _links(request)
    search_facets = {
        facet: {
            "title": facet,
            "items": [
                {"name": name, "display_name": name, "count": n}
                for name, n in sorted(values.items(), key=lambda i: (-i[1], i[0]))[:limit]
            ],
        }
        for facet, values in counted.items()
    }
    return {
        "count": count,
        "sort": params.get("sort") or "score desc, metadata_modified desc",
        "results": [dicts.package_dict(d, links) for d in page],
        "facets": {facet: dict(values) for facet, values in counted.items()},
        "search_facets": search_facets,
    }


def _facet_fields(params: dict) -> list[str]:
    raw = params.get("facet.field")
    if not raw:
        return []
    try:
        fields = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise _validation("facet.field", "Not a JSON list") from None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise _validation("facet.field", "Not a list of strings")
    return fields


def organization_list(request, params):
    counts = selectors.dataset_counts_by_organization()
    agencies = selectors.organizations_list()
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [dicts.organization_dict(a, package_count=counts.get(a.pk, 0)) for a in agencies]
    return sorted(a.code for a in agencies)


def organization_show(request, params):
    wanted = _id(params)
    agency = next(
        (
            a
            for a in selectors.organizations_list()
            if wanted in (a.code, dicts.organization_id(a.code))
        ),
        None,
    )
    if agency is None:
        raise _not_found("Organization")
    datasets = selectors.datasets_published().filter(organization=agency).order_by("name")
    shown = dicts.organization_dict(agency, package_count=datasets.count())
    if str(params.get("include_datasets", "")).lower() in ("true", "1"):
        links = _links(request)
        shown["packages"] = [dicts.package_dict(d, links) for d in datasets[:ROWS_MAX]]
    return shown


def group_list(request, params):
    themes = dict(
        (theme, n)
        for theme, n in selectors.datasets_search(
            search=selectors.Search(), start=0, rows=0, facets=["groups"]
        )[2]["groups"].items()
    )
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [dicts.group_dict(t.upper(), package_count=n) for t, n in sorted(themes.items())]
    return sorted(themes)


def resource_show(request, params):
    wanted = _id(params)
    links = _links(request)
    for dataset in selectors.datasets_published():
        for resource in dicts.resource_dicts(dataset, links):
            if resource["id"] == wanted:
                return resource
    raise _not_found("Resource")


ACTIONS: dict[str, Callable[[HttpRequest, dict], Any]] = {
    f.__name__: f
    for f in (
        status_show,
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        group_list,
        resource_show,
    )
}


def _params(request: HttpRequest) -> dict:
    """The query string, and for a POST its JSON body (as ckanapi sends it) or its form."""
    params: dict[str, Any] = dict(request.GET.items())
    if request.method != "POST":
        return params
    if request.content_type == "application/json" or request.body.lstrip()[:1] == b"{":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as error:
            raise ActionError(400, "Bad request", f"Bad request - JSON Error: {error}") from None
        if not isinstance(body, dict):
            raise ActionError(400, "Bad request", "Bad request - JSON Error: not an object")
        params.update(body)
    else:
        params.update(request.POST.items())
    return params


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("ckan-action", args=["help_show"])) + f"?name={name}"
    )
    try:
        if request.method not in ("GET", "POST"):
            raise ActionError(405, "Bad request", "Use GET or POST")
        handler = ACTIONS.get(name)
        if handler is None:
            raise ActionError(400, "Bad request", f"Bad request - Action name not known: {name}")
        result = handler(request, _params(request))
    except ActionError as error:
        body = {
            "help": help_url,
            "success": False,
            "error": {"__type": error.kind, "message": error.message, **error.fields},
        }
        response = JsonResponse(body, status=error.status)
        response.own_error_envelope = True  # CKAN's errors, not problem+json (civic.api)
        return response
    return JsonResponse({"help": help_url, "success": True, "result": result})

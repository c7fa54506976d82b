"""Public pages and files of the open-data catalogue under /data/: the catalogue (search and
filters), a dataset's page (preview, downloads, licence, changelog), its files in every format
and version, its Frictionless descriptor, and the DCAT-AP catalogue. Thin: selectors render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.core.errors import problem_response
from civic.core.i18n import tr
from civic.core.params import page_param
from civic.opendata import formats, selectors, vocabularies
from civic.opendata.disclosure import TOTAL
from civic.opendata.models import Dataset, DatasetVersion

#: The EU data themes and frequencies, as a reader sees them.
THEME_LABELS = {
    "SOCI": gettext_lazy("Population and society"),
    "GOVE": gettext_lazy("Government and public sector"),
    "ECON": gettext_lazy("Economy and finance"),
    "ENVI": gettext_lazy("Environment"),
    "HEAL": gettext_lazy("Health"),
    "TRAN": gettext_lazy("Transport"),
}
FREQUENCY_LABELS = {
    "DAILY": gettext_lazy("Daily"),
    "WEEKLY": gettext_lazy("Weekly"),
    "MONTHLY": gettext_lazy("Monthly"),
    "ANNUAL": gettext_lazy("Yearly"),
}


def _problem(request: HttpRequest, *, status: int, title: str, detail: str) -> JsonResponse:
    code = "not-found" if status == 404 else "bad-request"
    return problem_response(request, status=status, title=title, detail=detail, code=code)


def _version(request: HttpRequest, dataset: Dataset) -> DatasetVersion | None:
    wanted = request.GET.get("version")
    if not wanted:
        return dataset.current
    if not wanted.isdigit():
        return None
    return selectors.dataset_version(dataset=dataset, number=int(wanted))


def dataset_file(request: HttpRequest, name: str, filename: str) -> HttpResponse:
    """``<name>.csv``, ``.json`` or ``.parquet`` of the current version (``?version=N``: an
    earlier one)."""
    dataset = selectors.dataset_get(name=name)
    stem, _dot, fmt = filename.rpartition(".")
    if dataset is None or stem != name or fmt not in formats.FORMATS:
        return _problem(
            request,
            status=404,
            title=_("Not found"),
            detail=_("There is no dataset file called “%(file)s”.")
            % {"file": f"{name}/{filename}"},
        )
    version = _version(request, dataset)
    if version is None:
        return _problem(
            request,
            status=404,
            title=_("Not found"),
            detail=_("Dataset “%(name)s” has no version “%(version)s”.")
            % {"name": name, "version": request.GET.get("version", "")},
        )
    media_type, _file_type = formats.FORMATS[fmt]
    response = HttpResponse(
        formats.file_bytes(version.table, fmt),
        content_type=f"{media_type}; charset=utf-8" if fmt != "parquet" else media_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.{fmt}"'
    response["ETag"] = f'"{version.checksum}-{fmt}"'
    return response


def datapackage(request: HttpRequest, name: str) -> HttpResponse:
    dataset = selectors.dataset_get(name=name)
    if dataset is None:
        return _problem(
            request,
            status=404,
            title=_("Not found"),
            detail=_("There is no dataset called “%(name)s”.") % {"name": name},
        )
    _ckan_id, licence_title, _url = vocabularies.LICENCES.get(dataset.licence, ("", "", ""))
    version = dataset.current
    descriptor = formats.datapackage(
        name=dataset.name,
        title=dataset.title,
        description=dataset.notes,
        version=version.number,
        licence_url=vocabularies.licence_uri(dataset.licence),
        licence_name=dataset.licence,
        licence_title=licence_title,
        created=version.created.isoformat(),
        table=version.table,
    )
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 1})


PAGE_SIZE = 20
PREVIEW_ROWS = 25


def _localised(dataset: Dataset) -> dict[str, str]:
    dutch = translation.get_language() == "nl"
    return {
        "title": (dataset.title_nl if dutch and dataset.title_nl else dataset.title),
        "notes": (dataset.notes_nl if dutch and dataset.notes_nl else dataset.notes),
        "organization": tr({"en": dataset.organization.name, "nl": dataset.organization.name_nl}),
        "theme": THEME_LABELS.get(dataset.theme, dataset.theme),
    }


def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue: words, publisher and theme filters (a GET form: no JavaScript needed)."""
    q = request.GET.get("q", "").strip()[:200]
    chosen_orgs = request.GET.getlist("organization")
    chosen_themes = request.GET.getlist("theme")
    # A page that is no sensible number is the 400 page that says so (core.params); one past
    # the last shows the last.
    page = page_param(request.GET)
    search = selectors.Search(words=q.split(), organizations=chosen_orgs, themes=chosen_themes)
    count, found, facets = selectors.datasets_search(
        search=search,
        start=(page - 1) * PAGE_SIZE,
        rows=PAGE_SIZE,
        facets=["organization", "groups"],
    )
    last = max(1, -(-count // PAGE_SIZE))
    if page > last:
        page = last
        found = selectors.datasets_search(
            search=search, start=(page - 1) * PAGE_SIZE, rows=PAGE_SIZE
        )[1]
    agencies = {a.code: a for a in selectors.organizations_list()}
    every = selectors.datasets_search(
        search=selectors.Search(), start=0, rows=0, facets=["organization", "groups"]
    )[2]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opendata/catalogue.html",
        {
            "q": q,
            "count": count,
            "results": [{"dataset": d, **_localised(d)} for d in found],
            "organizations": [
                {
                    "code": code,
                    "name": tr({"en": agencies[code].name, "nl": agencies[code].name_nl})
                    if code in agencies
                    else code,
                    "count": facets["organization"].get(code, 0),
                    "checked": code in chosen_orgs,
                }
                for code in sorted(every["organization"])
            ],
            "themes": [
                {
                    "code": theme.upper(),
                    "name": THEME_LABELS.get(theme.upper(), theme),
                    "count": facets["groups"].get(theme, 0),
                    "checked": theme.upper() in chosen_themes,
                }
                for theme in sorted(every["groups"])
            ],
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page * PAGE_SIZE < count else None,
            "filter_query": query.urlencode(),
        },
    )


def _chart(fields: list[dict], rows: list[list]) -> list[dict]:
    """Bars of the chart: for a table of counts, each value of its first column with the count
    of its total line (every other dimension "total"); none for other tables."""
    if len(fields) < 2 or fields[-1]["type"] != "integer":
        return []
    totals = [
        (row[0], row[-1])
        for row in rows
        if row[0] != TOTAL and all(v == TOTAL for v in row[1:-1]) and row[-1] is not None
    ]
    if not totals or len(totals) > 40:
        return []
    top = max(value for _label, value in totals) or 1
    return [
        {"label": label, "value": value, "width": round(300 * value / top), "y": 24 * i}
        for i, (label, value) in enumerate(totals)
    ]


def dataset(request: HttpRequest, name: str) -> HttpResponse:
    """A dataset: what it is, its licence, downloads, a preview of its table, its changelog."""
    found = selectors.dataset_get(name=name)
    if found is None:
        raise Http404(name)
    version = found.current
    fields = version.table["fields"]
    rows = version.table["rows"]
    _ckan, licence_title, licence_url = vocabularies.LICENCES.get(
        found.licence, ("", found.licence, "")
    )
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": found,
            **_localised(found),
            "version": version,
            "fields": fields,
            "preview": rows[:PREVIEW_ROWS],
            "bars": (bars := _chart(fields, rows)),
            "chart_height": 24 * len(bars),
            "row_count": len(rows),
            "licence_title": licence_title,
            "licence_url": licence_url,
            "frequency": FREQUENCY_LABELS.get(found.frequency, found.frequency),
            "downloads": [
                (fmt.upper(), reverse("opendata:file", args=[name, f"{name}.{fmt}"]))
                for fmt in formats.FORMATS
            ],
            "versions": selectors.dataset_versions(dataset=found),
        },
    )


def catalogue_rdf(request: HttpRequest, extension: str) -> HttpResponse:
    """/catalog.ttl, /catalog.rdf, /catalog.jsonld: one page (``?page=N``, from 1) of DCAT-AP."""
    from civic.opendata import dcat  # rdflib is imported by the catalogue's readers only

    page = request.GET.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return _problem(
            request,
            status=400,
            title=_("The request is not valid."),
            detail=_("“page” is a whole number from 1."),
        )
    page_number = int(page)
    published = selectors.datasets_published().order_by("name")
    total = published.count()
    start = (page_number - 1) * dcat.PAGE_SIZE
    if page_number > 1 and start >= total:
        return _problem(
            request,
            status=404,
            title=_("Not found"),
            detail=_("The catalogue has no page %(page)s.") % {"page": page_number},
        )
    graph = dcat.catalogue_graph(
        datasets=list(published[start : start + dcat.PAGE_SIZE]),
        total=total,
        page=page_number,
        absolute=request.build_absolute_uri,
        extension=extension,
    )
    serialisation, media_type = dcat.SERIALISATIONS[extension]
    return HttpResponse(
        graph.serialize(format=serialisation), content_type=f"{media_type}; charset=utf-8"
    )

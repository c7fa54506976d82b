"""Public pages and files of the open-data catalogue under /data/: the catalogue (search and
filters), a dataset's page (preview, downloads, licence, changelog), its files in every format
and version, its Frictionless descriptor, and the DCAT-AP catalogue. Thin: selectors render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from civic.opendata import formats, selectors, vocabularies
from civic.opendata.models import Dataset, DatasetVersion


def _problem(request: HttpRequest, *, status: int, title: str, detail: str) -> JsonResponse:
    """An RFC 9457 problem, as the API gives them."""
    body = {
        "type": f"https://civic.invalid/problems/{'not-found' if status == 404 else 'bad-request'}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")


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


def dataset(request: HttpRequest, name: str) -> HttpResponse:
    found = selectors.dataset_get(name=name)
    if found is None:
        raise Http404(name)
    return HttpResponse(found.title)  # the page comes with the catalogue pages


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

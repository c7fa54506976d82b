"""Reads of the open-data catalogue: published datasets (those with a version online), one
dataset, and the search the CKAN API and the catalogue page share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from civic.identity.models import Agency
from civic.identity.selectors import agency_list
from civic.opendata.models import Dataset, DatasetVersion

#: What a search may sort by (CKAN's names), and the column each is.
SORTABLE = {
    "name": "name",
    "title": "title",
    "title_string": "title",
    "id": "name",  # a dataset's CKAN id is derived from its name, so they sort alike
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
}


def datasets_published() -> QuerySet[Dataset]:
    """With the version online, but not its table: lists and searches never show it."""
    return (
        Dataset.objects.filter(current__isnull=False)
        .select_related("organization", "current")
        .defer("current__table")
    )


def dataset_get(*, name: str) -> Dataset | None:
    """With the version online and its table."""
    return (
        Dataset.objects.filter(current__isnull=False, name=name)
        .select_related("organization", "current")
        .first()
    )


def dataset_versions(*, dataset: Dataset) -> list[DatasetVersion]:
    """Newest first, without their tables (the changelog)."""
    return list(dataset.versions.defer("table").order_by("-number"))


def dataset_version(*, dataset: Dataset, number: int) -> DatasetVersion | None:
    return dataset.versions.filter(number=number).first()


def organizations_list() -> list[Agency]:
    """Every agency: CKAN's organizations."""
    return list(agency_list())


def dataset_counts_by_organization() -> dict[int, int]:
    return dict(
        datasets_published().values_list("organization_id").annotate(n=Count("id")).order_by()
    )


@dataclass
class Search:
    """A search of the published datasets, in CKAN's terms (parsed by civic.opendata.ckan)."""

    words: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    organizations_excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    modified_from: dt.datetime | None = None
    modified_to: dt.datetime | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)


def _filtered(search: Search) -> QuerySet[Dataset]:
    found = datasets_published()
    for word in search.words:
        found = found.filter(
            Q(title__icontains=word)
            | Q(title_nl__icontains=word)
            | Q(notes__icontains=word)
            | Q(name__icontains=word)
            | Q(tags__icontains=word)
        )
    if search.organizations:
        found = found.filter(organization__code__in=search.organizations)
    if search.organizations_excluded:
        found = found.exclude(organization__code__in=search.organizations_excluded)
    for tag in search.tags:
        found = found.filter(tags__icontains=f'"{tag}"')
    if search.themes:
        found = found.filter(theme__in=[t.upper() for t in search.themes])
    if search.licences:
        found = found.filter(licence__in=search.licences)
    if search.names:
        found = found.filter(name__in=search.names)
    if search.modified_from:
        found = found.filter(metadata_modified__gte=search.modified_from)
    if search.modified_to:
        found = found.filter(metadata_modified__lte=search.modified_to)
    return found


def datasets_search(
    *, search: Search, start: int, rows: int, facets: list[str] = ()
) -> tuple[int, list[Dataset], dict[str, dict[str, int]]]:
    """(count, the page of datasets, facet counts) for ``search``."""
    found = _filtered(search)
    ordering = [f"-{column}" if descending else column for column, descending in search.sort]
    ordering = ordering or ["-metadata_modified"]
    page = list(found.order_by(*ordering, "id")[start : start + rows]) if rows else []
    counted = {facet: _facet(found, facet) for facet in facets}
    return found.count(), page, counted


def _facet(found: QuerySet[Dataset], facet: str) -> dict[str, int]:
    column = {
        "organization": "organization__code",
        "license_id": "licence",
        "groups": "theme",
    }.get(facet)
    if column:
        rows = found.values_list(column).annotate(n=Count("id")).order_by()
        return {(value.lower() if facet == "groups" else value): n for value, n in rows if value}
    if facet == "tags":
        counts: dict[str, int] = {}
        for tags in found.values_list("tags", flat=True):
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        return counts
    if facet == "res_format":
        total = found.count()
        return {"CSV": total, "JSON": total, "PARQUET": total} if total else {}
    return {}


def datasets_published_of(*, names: list[str]) -> int:
    """How many of the datasets ``names`` have a version online."""
    return Dataset.objects.filter(name__in=names, current__isnull=False).count()

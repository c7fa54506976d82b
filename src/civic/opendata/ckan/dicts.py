"""Civic's datasets in CKAN's shapes: the package, resource, organization and group dicts that
CKAN's Action API returns, with CKAN's field names, so that ckanapi and CKAN's harvester read
them as they read a CKAN site."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from civic.identity.models import Agency
from civic.opendata import vocabularies
from civic.opendata.formats import FORMATS
from civic.opendata.models import Dataset

#: CKAN ids are UUIDs; Civic's are derived from names, so they never change.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://civic.invalid/opendata")


class Links:
    """The absolute URLs of datasets and their files on this site: reversed once per request,
    not once per package (a page of 1,000 packages asked for 4,000 reversals)."""

    MARK = "name-placeholder"

    def __init__(self, absolute: Callable[[str], str]) -> None:
        mark = self.MARK
        self._dataset = absolute(reverse("opendata:dataset", args=[mark]))
        self._file = absolute(reverse("opendata:file", args=[mark, f"{mark}.csv"]))

    def dataset(self, name: str) -> str:
        return self._dataset.replace(self.MARK, name)

    def file(self, name: str, fmt: str) -> str:
        return self._file.replace(f"{self.MARK}/{self.MARK}.csv", f"{name}/{name}.{fmt}")


@functools.lru_cache(maxsize=65_536)
def _uuid(text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, text))


def dataset_id(name: str) -> str:
    return _uuid(f"dataset/{name}")


def resource_id(name: str, fmt: str) -> str:
    return _uuid(f"resource/{name}/{fmt}")


def organization_id(code: str) -> str:
    return _uuid(f"organization/{code}")


def group_id(theme: str) -> str:
    return _uuid(f"group/{theme}")


def _time(value: dt.datetime) -> str:
    """CKAN's timestamps: ISO 8601 in UTC without a zone."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat()


def organization_dict(agency: Agency, *, package_count: int = 0) -> dict[str, Any]:
    return {
        "id": organization_id(agency.code),
        "name": agency.code,
        "title": agency.name,
        "display_name": agency.name,
        "description": agency.name_nl,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": "2026-01-01T00:00:00",
        "package_count": package_count,
    }


def group_dict(theme: str, *, package_count: int = 0) -> dict[str, Any]:
    title = vocabularies.THEMES.get(theme, theme)
    return {
        "id": group_id(theme),
        "name": theme.lower(),
        "title": title,
        "display_name": title,
        "description": vocabularies.theme_uri(theme),
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": "2026-01-01T00:00:00",
        "package_count": package_count,
    }


def resource_dicts(dataset: Dataset, links: Links) -> list[dict[str, Any]]:
    version = dataset.current
    resources = []
    for position, (fmt, (media_type, file_type)) in enumerate(FORMATS.items()):
        url = links.file(dataset.name, fmt)
        resources.append(
            {
                "id": resource_id(dataset.name, fmt),
                "package_id": dataset_id(dataset.name),
                "name": f"{dataset.title} ({file_type})",
                "description": dataset.notes,
                "format": file_type,
                "mimetype": media_type,
                "url": url,
                "url_type": None,
                "hash": f"sha256:{version.checksum}" if fmt == "csv" else "",
                "created": _time(version.created),
                "last_modified": _time(version.created),
                "metadata_modified": _time(dataset.metadata_modified),
                "position": position,
                "state": "active",
                "datastore_active": False,
            }
        )
    return resources


def package_dict(dataset: Dataset, links: Links) -> dict[str, Any]:
    licence_id, licence_title, licence_url = vocabularies.LICENCES.get(
        dataset.licence, (dataset.licence.lower(), dataset.licence, "")
    )
    resources = resource_dicts(dataset, links)
    tags = [
        {
            "id": _uuid(f"tag/{t}"),
            "name": t,
            "display_name": t,
            "state": "active",
        }
        for t in dataset.tags
    ]
    return {
        "id": dataset_id(dataset.name),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "version": str(dataset.current.number),
        "url": links.dataset(dataset.name),
        "author": dataset.organization.name,
        "author_email": None,
        "maintainer": dataset.organization.name,
        "maintainer_email": None,
        "license_id": licence_id,
        "license_title": licence_title,
        "license_url": licence_url,
        "metadata_created": _time(dataset.metadata_created),
        "metadata_modified": _time(dataset.metadata_modified),
        "owner_org": organization_id(dataset.organization.code),
        "organization": organization_dict(dataset.organization),
        "groups": [group_dict(dataset.theme)],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "extras": [
            {"key": "theme", "value": vocabularies.theme_uri(dataset.theme)},
            {"key": "frequency", "value": vocabularies.frequency_uri(dataset.frequency)},
            {"key": "checksum", "value": dataset.current.checksum},
        ]
        + (
            [{"key": "hvd_category", "value": vocabularies.hvd_category_uri(dataset.hvd_category)}]
            if dataset.hvd_category
            else []
        ),
    }

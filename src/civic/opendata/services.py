"""Writes of the open-data catalogue: regenerating a dataset into a new version.

A regeneration builds the table (register counts through the exchange under the statistics
purpose, as the job ``open-data`` of that purpose's controller), protects it, and stores a new
version only when the table changed (its checksum). When anything fails (a refused grant, a
table failing disclosure control, a bug) the dataset keeps its last good version online and
the error is recorded on the dataset for the operator.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from civic.core import clock
from civic.exchange.selectors import Actor, QueryRefused, purpose_controller_get
from civic.identity.selectors import agency_get
from civic.opendata import formats
from civic.opendata.datasets import JOB, Context, Definition, Table, definition_get, definitions
from civic.opendata.disclosure import DisclosureRefused
from civic.opendata.models import Dataset, DatasetVersion

log = logging.getLogger("civic.opendata")


class PublisherMissing(Exception):
    """The statistics purpose is not set up: nobody publishes the catalogue."""


def _publisher() -> str:
    agency = purpose_controller_get(code=settings.OPENDATA_PURPOSE)
    if agency is None:
        raise PublisherMissing(
            f"purpose {settings.OPENDATA_PURPOSE!r} (CIVIC_OPENDATA_PURPOSE) is not set up; "
            "add it and its grant to the jurisdiction's set-up file"
        )
    return agency


def _dataset_record(definition: Definition, agency_code: str) -> Dataset:
    """The dataset's row, its metadata as the definition now says (created the first time)."""
    metadata = {
        "title": definition.title["en"],
        "title_nl": definition.title.get("nl", ""),
        "notes": definition.notes["en"],
        "notes_nl": definition.notes.get("nl", ""),
        "organization": agency_get(code=agency_code),
        "theme": definition.theme,
        "frequency": definition.frequency,
        "licence": definition.licence,
        "hvd_category": definition.hvd_category,
        "tags": list(definition.tags),
    }
    now = clock.now()
    dataset, _created = Dataset.objects.update_or_create(
        name=definition.name,
        defaults=metadata,
        create_defaults={**metadata, "metadata_created": now, "metadata_modified": now},
    )
    return dataset


def dataset_regenerate(*, name: str) -> DatasetVersion | None:
    """Build ``name`` again; a new version if its table changed, else the current one. On
    failure: None, the error recorded on the dataset, the last good version left online."""
    definition = definition_get(name)
    if definition is None:
        raise KeyError(name)
    agency = _publisher()
    dataset = _dataset_record(definition, agency)
    context = Context(
        actor=Actor.job(JOB, agency=agency),
        purpose=settings.OPENDATA_PURPOSE,
        on=clock.today(),
        threshold=settings.OPENDATA_THRESHOLD,
    )
    try:
        table = definition.build(context)
    except (QueryRefused, DisclosureRefused) as error:
        return _failed(dataset, f"{type(error).__name__}: {error}")
    except Exception as error:
        log.exception("dataset %s failed to regenerate", name)
        return _failed(dataset, f"{type(error).__name__}: {error}")
    return dataset_version_store(dataset=dataset, table=table)


def _failed(dataset: Dataset, message: str) -> None:
    log.warning("dataset %s kept its last good version: %s", dataset.name, message)
    Dataset.objects.filter(pk=dataset.pk).update(
        last_error=message[:2000], last_attempt_at=clock.now()
    )
    return None


@transaction.atomic
def dataset_version_store(*, dataset: Dataset, table: Table) -> DatasetVersion:
    """A new version of ``dataset`` holding ``table``, unless the current one holds it already."""
    content = table.as_json()
    digest = formats.checksum(content)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    now = clock.now()
    current = dataset.current
    dataset.last_error, dataset.last_attempt_at = "", now
    if current is not None and current.checksum == digest:
        dataset.save(update_fields=["last_error", "last_attempt_at"])
        return current
    number = (dataset.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=number,
        created=now,
        checksum=digest,
        table=content,
        release=table.release,
        withheld=table.withheld,
    )
    dataset.metadata_modified, dataset.current = now, version
    dataset.save(update_fields=["last_error", "last_attempt_at", "metadata_modified", "current"])
    return version


def datasets_regenerate() -> dict[str, str]:
    """Every dataset defined in code, one after the other: name -> "v<number>" or "failed"."""
    outcome = {}
    for definition in definitions():
        version = dataset_regenerate(name=definition.name)
        outcome[definition.name] = f"v{version.number}" if version else "failed"
    return outcome

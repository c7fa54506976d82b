"""Builders for the open-data tests: the published catalogue, regenerated as the nightly job does."""

from __future__ import annotations

from civic.opendata.models import Dataset
from civic.opendata.services import datasets_regenerate


def catalogue_published() -> dict[str, str]:
    """Every dataset defined in code, regenerated once; name -> "v<n>"."""
    outcome = datasets_regenerate()
    assert all(v.startswith("v") for v in outcome.values()), outcome
    return outcome


def published_names() -> list[str]:
    return sorted(
        Dataset.objects.filter(versions__isnull=False).values_list("name", flat=True).distinct()
    )


def datasets_many(
    count: int, *, prefix: str = "extra", modified=None, organization: str = "havenstad"
):
    """``count`` small published datasets (for paging and search), modified at ``modified``."""
    from civic.core import clock
    from civic.identity.models import Agency
    from civic.opendata.formats import checksum
    from civic.opendata.models import DatasetVersion

    agency = Agency.objects.get(code=organization)
    when = modified or clock.now()
    table = {"fields": [{"name": "n", "type": "integer", "title": "N"}], "rows": [[10]]}
    datasets = Dataset.objects.bulk_create(
        Dataset(
            name=f"{prefix}-{i:05d}",
            title=f"Extra dataset {i}",
            notes="A dataset for paging.",
            organization=agency,
            theme="GOVE",
            tags=["extra"],
            metadata_created=when,
            metadata_modified=when,
        )
        for i in range(count)
    )
    if not datasets[0].pk:  # an engine that does not return ids
        datasets = list(Dataset.objects.filter(name__startswith=f"{prefix}-").order_by("name"))
    versions = DatasetVersion.objects.bulk_create(
        DatasetVersion(dataset=d, number=1, created=when, checksum=checksum(table), table=table)
        for d in datasets
    )
    if not versions[0].pk:
        versions = list(
            DatasetVersion.objects.filter(dataset__in=datasets).order_by("dataset__name")
        )
    for dataset, version in zip(datasets, versions, strict=True):
        dataset.current = version
    Dataset.objects.bulk_update(datasets, ["current"], batch_size=500)
    return datasets


def determined(matrix, unknowns: list) -> list:
    """The unknowns a system of linear equations (``matrix``: one row per equation, one
    column per unknown) determines: those whose unit vector lies in its row space. The tests'
    own algebra, apart from the suppression's graph and the linked check's null space."""
    import numpy as np

    rank = np.linalg.matrix_rank(matrix)
    solved = []
    for k, unknown in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            solved.append(unknown)
    return solved

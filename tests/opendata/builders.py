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

"""The open-data benchmark's Django side, run in a ``civic shell`` (``django_call.ask``): every
dataset regenerated (time and peak memory), then ``datasets`` extra catalogue entries and
CKAN's package_search timed through its view, as a harvester and a portal call it."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import tracemalloc
from typing import Any

BATCH = 2_000


def regenerate(spec: dict[str, Any]) -> dict[str, Any]:
    """Every dataset defined in code regenerated ``repeats`` times from nothing (their versions
    removed first, so each run builds, protects and stores every table)."""
    from civic.opendata.models import Dataset, DatasetVersion
    from civic.opendata.services import datasets_regenerate

    def fresh() -> None:
        Dataset.objects.update(current=None)
        DatasetVersion.objects.all().delete()

    times, outcome = [], {}
    for _ in range(spec["repeats"]):
        fresh()
        began = time.perf_counter()
        outcome = datasets_regenerate()
        times.append(time.perf_counter() - began)
    fresh()
    tracemalloc.start()  # a run of its own: tracing slows Python, which timed runs must not pay
    datasets_regenerate()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = {
        v.dataset.name: len(v.table["rows"])
        for v in DatasetVersion.objects.select_related("dataset")
    }
    return {"seconds": sorted(times), "peak_mib": peak / 2**20, "outcome": outcome, "rows": rows}


def seed(spec: dict[str, Any]) -> dict[str, Any]:
    """``datasets`` small published datasets spread over the agencies and two years."""
    from django.db import transaction

    from civic.core import clock
    from civic.identity.models import Agency
    from civic.opendata.formats import checksum
    from civic.opendata.models import Dataset, DatasetVersion

    agencies = list(Agency.objects.order_by("code"))
    table = {"fields": [{"name": "n", "type": "integer", "title": "N"}], "rows": [[10]]}
    digest, now = checksum(table), clock.now()
    randomly = random.Random(1)
    words = ["population", "transport", "budget", "housing", "schools", "waste", "parking"]
    with transaction.atomic():
        for start in range(0, spec["datasets"], BATCH):
            made = Dataset.objects.bulk_create(
                Dataset(
                    name=f"bench-{i:06d}",
                    title=f"{randomly.choice(words).title()} figures {i}",
                    notes=f"Benchmark dataset {i} about {randomly.choice(words)}.",
                    organization=agencies[i % len(agencies)],
                    theme=randomly.choice(["SOCI", "GOVE", "ECON", "TRAN"]),
                    tags=randomly.sample(words, 2),
                    metadata_created=now - dt.timedelta(days=730),
                    metadata_modified=now - dt.timedelta(minutes=randomly.randrange(1_051_200)),
                )
                for i in range(start, min(start + BATCH, spec["datasets"]))
            )
            if not made[0].pk:
                made = list(
                    Dataset.objects.filter(name__in=[d.name for d in made]).order_by("name")
                )
            versions = DatasetVersion.objects.bulk_create(
                DatasetVersion(dataset=d, number=1, created=now, checksum=digest, table=table)
                for d in made
            )
            if not versions[0].pk:
                versions = list(
                    DatasetVersion.objects.filter(dataset__in=made).order_by("dataset__name")
                )
            for dataset, version in zip(made, versions, strict=True):
                dataset.current = version
            Dataset.objects.bulk_update(made, ["current"], batch_size=BATCH)
    return {"datasets": Dataset.objects.filter(current__isnull=False).count()}


def search(spec: dict[str, Any]) -> dict[str, Any]:
    """package_search through its view, ``samples`` calls of a mix: the harvester's (fq on
    metadata_modified, sorted by id, 100 rows from a random start), a portal's (a word, an
    organization, facets) and deep paging past 1,000."""
    import json

    from django.test import RequestFactory

    from civic.identity.models import Agency
    from civic.opendata.ckan.actions import action

    factory = RequestFactory()
    randomly = random.Random(2)
    agencies = list(Agency.objects.values_list("code", flat=True))
    total = spec["datasets"]
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=180)).replace(tzinfo=None).isoformat()
    kinds = {
        "harvester": lambda: {
            "fq": f"metadata_modified:[{since}Z TO *]",
            "sort": "id asc",
            "rows": "100",
            "start": str(randomly.randrange(0, max(1, total // 2), 100)),
        },
        "portal": lambda: {
            "q": randomly.choice(["population", "housing", "budget"]),
            "fq": f"organization:{randomly.choice(agencies)}",
            "rows": "20",
            "facet.field": json.dumps(["organization", "groups", "tags"]),
        },
        "deep": lambda: {"rows": "1000", "start": str(randomly.randrange(1000, max(1001, total)))},
    }
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(spec["samples"] * len(kinds) + len(kinds)):
        kind = list(kinds)[i % len(kinds)]
        request = factory.get("/api/3/action/package_search", kinds[kind]())
        began = time.perf_counter()
        response = action(request, "package_search")
        took = time.perf_counter() - began
        assert response.status_code == 200, response.content[:300]
        if i >= len(kinds):  # the first call of each kind warms up
            times[kind].append(took)
    every = sorted(t for kind in times.values() for t in kind)
    return {
        "p50_ms": statistics.median(every) * 1000,
        "p95_ms": every[int(0.95 * (len(every) - 1))] * 1000,
        "by_kind_p95_ms": {
            k: sorted(v)[int(0.95 * (len(v) - 1))] * 1000 for k, v in times.items() if v
        },
        "calls": len(every),
    }

"""A dataset's files as a reader downloads them: CSV, JSON and Parquet of the current or an
earlier version, and a Frictionless Data Package descriptor that validates with its CSV."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest
from frictionless import Package, system

from civic.opendata.datasets import Column, Table
from civic.opendata.models import Dataset
from civic.opendata.services import dataset_version_store
from tests.opendata.builders import catalogue_published

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "households-by-size"


def test_the_csv_json_and_parquet_hold_the_same_table(client):
    catalogue_published()
    csv = client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv.content.decode().splitlines()
    assert lines[0] == "neighbourhood,household_size,households"
    document = client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.json").json()
    assert len(document["data"]) == len(lines) - 1
    withheld = [r for r in document["data"] if r["households"] is None]
    assert withheld and all(
        f"{r['neighbourhood']},{r['household_size']}," in lines for r in withheld
    )
    parquet = pq.read_table(
        io.BytesIO(client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.parquet").content)
    )
    assert parquet.column_names == ["neighbourhood", "household_size", "households"]
    assert parquet.num_rows == len(lines) - 1
    assert parquet.column("households").null_count == len(withheld)


def test_the_data_package_validates_with_frictionless(client, tmp_path):
    catalogue_published()
    descriptor = client.get(f"/data/{HOUSEHOLDS}/datapackage.json").json()
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / f"{HOUSEHOLDS}.csv").write_bytes(
        client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.csv").content
    )
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    assert descriptor["licenses"][0]["path"].endswith("/licence/CC_BY_4_0")


def test_an_earlier_version_stays_downloadable(client):
    catalogue_published()
    dataset = Dataset.objects.get(name=HOUSEHOLDS)
    dataset_version_store(
        dataset=dataset, table=Table(columns=[Column("n", "integer", "N")], rows=[[20]])
    )
    assert client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.csv").content == b"n\r\n20\r\n"
    first = client.get(f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.csv", {"version": "1"})
    assert first.content.startswith(b"neighbourhood,")
    assert "-v1.csv" in first["Content-Disposition"]


def test_unknown_files_and_versions_are_problems(client):
    catalogue_published()
    for path in (
        f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.xlsx",
        "/data/no-such-dataset/no-such-dataset.csv",
        f"/data/{HOUSEHOLDS}/{HOUSEHOLDS}.csv?version=99",
        "/data/no-such-dataset/datapackage.json",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"

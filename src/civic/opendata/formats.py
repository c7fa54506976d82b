"""A version's table as files: CSV (RFC 4180, UTF-8), JSON, Parquet, and the Frictionless Data
Package descriptor (datapackage.json) with a Table Schema for each resource."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

#: The formats a version is published in: (extension, media type, EU file type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv", "CSV"),
    "json": ("application/json", "JSON"),
    "parquet": ("application/vnd.apache.parquet", "PARQUET"),
}


def csv_bytes(table: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f["name"] for f in table["fields"]])
    for row in table["rows"]:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode()


def checksum(table: dict[str, Any]) -> str:
    """SHA-256 of the CSV: the version's identity (the same table is the same version)."""
    return hashlib.sha256(csv_bytes(table)).hexdigest()


def json_bytes(table: dict[str, Any]) -> bytes:
    names = [f["name"] for f in table["fields"]]
    records = [dict(zip(names, row, strict=True)) for row in table["rows"]]
    return json.dumps(
        {"fields": table["fields"], "data": records}, ensure_ascii=False, indent=1
    ).encode()


_ARROW_TYPES = {"integer": "int64", "number": "float64"}


def parquet_bytes(table: dict[str, Any]) -> bytes:
    import pyarrow as pa  # only when a Parquet file is asked for: it is a large import
    import pyarrow.parquet as pq

    columns = {}
    for index, field in enumerate(table["fields"]):
        values = [row[index] for row in table["rows"]]
        kind = getattr(pa, _ARROW_TYPES.get(field["type"], "string"))()
        columns[field["name"]] = pa.array(values, type=kind)
    out = io.BytesIO()
    pq.write_table(pa.table(columns), out)
    return out.getvalue()


def file_bytes(table: dict[str, Any], fmt: str) -> bytes:
    return {"csv": csv_bytes, "json": json_bytes, "parquet": parquet_bytes}[fmt](table)


def table_schema(table: dict[str, Any]) -> dict[str, Any]:
    return {
        "fields": [{k: v for k, v in field.items() if v} for field in table["fields"]],
        # A withheld count is an empty cell in the CSV.
        "missingValues": [""],
    }


def datapackage(
    *,
    name: str,
    title: str,
    description: str,
    version: int,
    licence_url: str,
    licence_name: str,
    licence_title: str,
    created: str,
    table: dict[str, Any],
) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of a version: its CSV as a tabular resource,
    by a path relative to the descriptor (both are served from the dataset's folder)."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": f"{version}.0.0",
        "created": created,
        "licenses": [{"name": licence_name, "path": licence_url, "title": licence_title}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{checksum(table)}",
                "schema": table_schema(table),
            }
        ],
    }

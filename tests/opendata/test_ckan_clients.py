"""Real CKAN clients read the catalogue from a live server: the ckanapi library and its
`ckanapi dump datasets --all`, and the calls CKAN's own CKAN-to-CKAN harvester makes
(ckanext-harvest, harvesters/ckanharvester.py: package_search sorted by id, 100 rows at a time
from start 0, with fq=metadata_modified:[<since>Z TO *], until a page comes back empty)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN

from tests.opendata.builders import catalogue_published, datasets_many

pytestmark = pytest.mark.django_db(transaction=True)

OURS = {
    "population-by-neighbourhood-age-sex",
    "households-by-size",
    "businesses-by-activity",
    "sensor-daily-summaries",
    "service-volumes",
    "service-processing-times",
    "service-kpis",
    "service-prefilled-answers",
    "form-step-drop-off",
    "service-satisfaction",
    "proactive-offers-taken-up",
    "algorithm-register",
}


def test_ckanapi_reads_every_dataset(live_server, committed_data):
    catalogue_published()
    site = RemoteCKAN(live_server.url, user_agent="civic-tests")
    names = site.action.package_list()
    assert set(names) == OURS
    for name in names:
        package = site.action.package_show(id=name)
        assert package["name"] == name
        assert package["num_resources"] == 3
    with pytest.raises(NotFound):
        site.action.package_show(id="no-such-dataset")
    assert "havenstad" in site.action.organization_list()


def test_ckanapi_dump_datasets_all_writes_every_dataset(live_server, committed_data, tmp_path):
    catalogue_published()
    out = tmp_path / "datasets.jsonl"
    ckanapi = Path(sys.executable).with_name("ckanapi")
    done = subprocess.run(
        [
            str(ckanapi),
            "dump",
            "datasets",
            "--all",
            "-r",
            live_server.url,
            "-O",
            str(out),
            "-p",
            "1",
        ],
        timeout=120,
        capture_output=True,
        text=True,
        # Its worker processes start `ckanapi` by name.
        env={**os.environ, "PATH": f"{ckanapi.parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert done.returncode == 0, done.stderr + done.stdout
    dumped = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    assert {d["name"] for d in dumped} == OURS
    assert all(d["resources"] for d in dumped)


def harvest(base_url: str, fq_terms: list[str]) -> list[dict]:
    """ckanharvester.CKANHarvester._search_for_datasets, its requests as it makes them."""
    search_url = base_url + "/api/3/action/package_search"
    params = {"rows": "100", "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    found, seen, previous = [], set(), None
    while True:
        content = requests.get(search_url + "?" + urlencode(params), timeout=30).text
        assert content != previous, "the paging does not work"
        previous = content
        page = json.loads(content).get("result", {}).get("results", [])
        page = [p for p in page if p["id"] not in seen]
        seen |= {p["id"] for p in page}
        found.extend(page)
        if not page:
            return found
        params["start"] = str(int(params["start"]) + int(params["rows"]))


def test_the_ckan_harvester_gathers_every_dataset_and_then_only_the_changed(
    live_server, committed_data
):
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    datasets_many(230, modified=long_ago)
    catalogue_published()
    everything = harvest(live_server.url, ["organization:havenstad"])
    assert len(everything) == 230 + len(OURS)
    assert {p["name"] for p in everything} >= OURS
    # The next run asks for what changed since its last one, an hour early, as it does.
    since = (dt.datetime(2026, 6, 1) - dt.timedelta(hours=1)).isoformat()
    changed = harvest(live_server.url, [f"metadata_modified:[{since}Z TO *]"])
    assert {p["name"] for p in changed} == OURS

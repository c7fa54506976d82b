"""The public catalogue pages: search and filters without JavaScript, a dataset's page with its
licence, downloads, a preview in which withheld counts say so, and its changelog."""

from __future__ import annotations

import re

import pytest

from civic.opendata.datasets import Column, Table
from civic.opendata.models import Dataset
from civic.opendata.services import dataset_version_store
from tests.opendata.builders import catalogue_published

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """What a reader sees: the HTML without tags, white space collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_catalogue_lists_and_searches_the_datasets(client):
    catalogue_published()
    everything = client.get("/data/")
    assert everything.status_code == 200
    assert "12 datasets" in page_text(everything)
    response = client.get("/data/", {"q": "households"})
    found = page_text(response)
    assert "1 dataset" in found and "Households by size" in found
    assert b'href="/data/algorithm-register/"' not in response.content
    themed = page_text(client.get("/data/", {"theme": "GOVE"}))
    assert "8 datasets" in themed and "Service volumes" in themed
    nothing = page_text(client.get("/data/", {"q": "qqqzzz"}))
    assert "No dataset matches" in nothing


def test_a_bad_page_number_is_the_400_page_that_says_so_and_one_too_far_the_last(client):
    catalogue_published()
    response = client.get("/data/", {"page": "abc"})
    assert response.status_code == 400
    assert "The page number must be a whole number" in page_text(response)
    last = client.get("/data/", {"page": "99"})
    assert last.status_code == 200 and "12 datasets" in page_text(last)
    assert "Households by size" in page_text(last)


def test_the_dataset_page_gives_licence_downloads_preview_and_changes(client):
    catalogue_published()
    dataset = Dataset.objects.get(name="households-by-size")
    first = dataset.current
    dataset_version_store(
        dataset=dataset, table=Table(columns=[Column("n", "integer", "N")], rows=[[None]])
    )
    response = client.get("/data/households-by-size/")
    text = page_text(response)
    assert "Creative Commons Attribution 4.0" in text
    assert "Households by size as CSV" in text and "Households by size as PARQUET" in text
    assert "withheld" in text  # the new version's only count is withheld
    assert "CSV of version 1" in text and "CSV of version 2" in text
    assert first.checksum not in text  # the current version's checksum is shown, not the old


def test_the_dataset_page_charts_the_totals_of_its_first_column(client):
    catalogue_published()
    response = client.get("/data/population-by-neighbourhood-age-sex/")
    html = response.content.decode()
    assert '<svg role="img"' in html
    rows = Dataset.objects.get(name="population-by-neighbourhood-age-sex").current.table["rows"]
    neighbourhoods = {r[0] for r in rows} - {"total"}
    assert html.count('fill="#1d70b8"') == len(neighbourhoods)  # one bar each
    no_chart = client.get("/data/algorithm-register/").content.decode()
    assert '<svg role="img"' not in no_chart


def test_the_pages_are_in_dutch_too(client):
    catalogue_published()
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    text = page_text(client.get("/data/households-by-size/"))
    assert "Huishoudens naar grootte" in text


def test_an_unknown_dataset_is_the_not_found_page(client):
    response = client.get("/data/no-such-dataset/")
    assert response.status_code == 404

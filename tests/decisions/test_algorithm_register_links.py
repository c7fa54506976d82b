"""Every link of the algorithm register resolves: each link on /algorithms/ and on every entry's
page, and each link in the JSON documents in both languages, is a page of Civic that answers
200 (with the anchor it names on it) or a link to the law on wetten.overheid.nl; the source
code, the record of processing and the impact assessments it names exist."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml

from civic.decisions import algorithm_register as register

pytestmark = pytest.mark.django_db

#: The only sites outside Civic the register may link to: Dutch and European law.
EXTERNAL = ("https://wetten.overheid.nl/", "https://eur-lex.europa.eu/eli/")
HOST = "testserver"


def _links_in_json(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _links_in_json(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _links_in_json(item, key)
    elif key in register.LINK_FIELDS and isinstance(value, str) and value:
        yield value


def _links_in_html(html: str):
    for href in re.findall(r'href="([^"]+)"', html):
        href = href.replace("&amp;", "&")
        if href.startswith(("/static/", "mailto:")) or href == "#main-content":
            continue
        yield href


def _resolves(client, link: str, cache: dict) -> None:
    parts = urlsplit(link)
    if parts.scheme and parts.netloc != HOST:
        assert link.startswith(EXTERNAL), f"{link} leads outside Civic and the law"
        return
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path not in cache:
        cache[path] = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    response = cache[path]
    assert response.status_code == 200, f"{link} answers {response.status_code}"
    if parts.fragment:
        assert f'id="{parts.fragment}"' in response.content.decode(), f"{link}: no such anchor"


def test_every_link_of_the_register_pages_and_documents_resolves(client):
    cache: dict = {}
    pages = ["/algorithms/"] + [f"/algorithms/{a.slug}/" for a in register.algorithms_list()]
    links = set()
    for language in ("en", "nl"):
        for page in pages:
            response = client.get(page, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            links.update(
                link for link in _links_in_html(response.content.decode()) if "/staff/" not in link
            )
        document = client.get(f"/algorithms/register.json?lang={language}").json()
        links.update(_links_in_json(document))
    for link in sorted(links):
        if link.startswith(("/algorithms", "/services", "/registers", "http")):
            _resolves(client, link, cache)
    assert any("/assessments/" in link for link in links)
    assert any("/algorithms/processing/#purpose-" in link for link in links)


def test_every_entry_links_its_source_code_and_those_processing_personal_data_the_record():
    for algorithm in register.algorithms_list():
        document = register.algorithm_document(algorithm, language="en", base_url="https://x")
        assert document["publiccode"] == "https://x/algorithms/publiccode.yml"
        # The finder and the flood-risk forecast read no personal data; the document-intake
        # purpose that the classifier's documents are read under comes with routing (issue 17).
        if algorithm.slug not in (
            "service-finder",
            "document-classifier",
            "document-field-extraction",
            "flood-risk-forecast",
        ):
            assert document["process_index_url"].startswith("https://x/algorithms/processing/")


def test_the_source_code_link_follows_the_setting(settings):
    settings.SOURCE_CODE_URL = "https://code.example.org/civic"
    algorithm = register.algorithms_list()[0]
    assert register.algorithm_document(algorithm, language="nl")["publiccode"] == (
        "https://code.example.org/civic"
    )


def test_the_publiccode_file_names_civic_its_licence_and_the_repository(client, settings):
    settings.SOURCE_CODE_URL = "https://code.example.org/civic"
    response = client.get("/algorithms/publiccode.yml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
    data = yaml.safe_load(response.content)
    assert data["name"] == "Civic" and data["legal"]["license"] == "EUPL-1.2"
    assert data["url"] == "https://code.example.org/civic"


def test_the_impact_assessments_named_exist_as_pages_with_both_parts(client):
    named = 0
    for algorithm in register.algorithms_list():
        grouping = algorithm.standard.get("impacttoetsen_grouping") or []
        for item in grouping:
            assert item["link"], (algorithm.slug, item["title"]["en"])
            named += 1
        page = client.get(f"/algorithms/{algorithm.slug}/assessments/")
        if grouping:
            html = page.content.decode()
            assert page.status_code == 200
            assert 'id="dpia"' in html and 'id="iama"' in html
        else:
            assert page.status_code == 404
    assert named == 6


def test_every_impact_assessment_is_in_dutch_too_with_the_same_sections(client):
    """Each assessment exists in both register languages, with the same headings' anchors and
    as many sections, and the page shows the visitor's language, marked as such."""
    for algorithm in register.algorithms_list():
        english = register.assessment_get(slug=algorithm.slug, language="en")
        if english is None:
            continue
        dutch = register.assessment_get(slug=algorithm.slug, language="nl")
        assert dutch is not None, algorithm.slug
        assert [b["kind"] for b in dutch if b["kind"] == "heading"] == [
            b["kind"] for b in english if b["kind"] == "heading"
        ]
        assert [b["id"] for b in dutch if b.get("id")] == ["dpia", "iama"]
        page = client.get(
            f"/algorithms/{algorithm.slug}/assessments/", HTTP_ACCEPT_LANGUAGE="nl"
        ).content.decode()
        assert 'lang="nl"' in page and "Gegevensbeschermingseffectbeoordeling" in page
        assert dutch[0]["text"] in page and english[0]["text"] not in page
    english_page = client.get("/algorithms/child-benefit-proactive/assessments/").content.decode()
    assert "Data Protection Impact Assessment" in english_page and 'lang="en"' in english_page


def test_the_record_of_processing_lists_each_purpose_with_its_legal_basis(client):
    from civic.exchange.selectors import purposes_list

    html = client.get("/algorithms/processing/").content.decode()
    for purpose in purposes_list():
        if not purpose.confidential:
            assert f'id="purpose-{purpose.code}"' in html
            assert purpose.legal_basis.replace("&", "&amp;").replace("'", "&#x27;") in html
    dutch = client.get("/algorithms/processing/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Verwerkingsregister" in dutch


def test_no_entry_lists_a_register_it_does_not_read():
    from civic.decisions.rule_sets import rule_sets

    known = rule_sets()
    for algorithm in register.algorithms_list():
        reads = set()
        for key in algorithm.rule_sets:
            reads |= set(known[key].reads) | {"persons"}
        sources = json.dumps(algorithm.standard.get("source_data_grouping") or [])
        if "vehicles" not in reads:
            assert "register-vehicles" not in sources, algorithm.slug


def test_the_demo_records_the_service_owner_letting_the_rules_decide(jurisdiction):
    """The school clothing grant entry says the service owner switched the rules to deciding:
    the demo records it, with the service owner's name, as the staff rules page shows it."""
    from civic.decisions.models import RuleSetMode
    from civic.setup.management.commands.demo import DEMO_MODES, Command

    command = Command()
    command._demo_staff()
    command._demo_rules()
    modes = {m.case_type: m for m in RuleSetMode.objects.all()}
    for case_type, mode in DEMO_MODES.items():
        assert modes[case_type].mode == mode, case_type
        assert modes[case_type].changed_by and modes[case_type].changed_at, case_type
    entry = register.algorithm_get(slug="school-clothing-grant-decision")
    assert "switched the rules to deciding" in entry.standard["risks"]["en"]
    assert modes["school-clothing-grant"].mode == "deciding"

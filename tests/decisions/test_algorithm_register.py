"""The public algorithm register: every entry, in English and Dutch, is a document of the Dutch
algorithm register standard that validates against the shipped JSON Schema; a broken entry is
refused with the entry and the field named; the pages show every field in the page's language;
the JSON endpoints answer with the right content types, and problem+json for an unknown entry."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest

from civic.decisions import algorithm_register as register
from civic.decisions.algorithm_register import AlgorithmRegisterError
from tests.html import h1

SLUGS = [
    "child-benefit-proactive",
    "proactive-eligibility",
    "school-clothing-grant-decision",
    "dog-tax-assessment",
    "service-finder",
    "document-classifier",
    "document-field-extraction",
    "flood-risk-forecast",
]
#: Models that take no decision about a person (nothing to object to): what their entry says.
SORTS_ONLY = {
    "service-finder": "no personal data",
    "document-classifier": "decides nothing",
    "document-field-extraction": "decides nothing",
    "flood-risk-forecast": "decides nothing",
}


def _raw_entries() -> dict:
    return json.loads(register.ENTRIES_FILE.read_text(encoding="utf-8"))


def _text(html: str) -> str:
    """A page's text without tags, with HTML entities for quotes undone and spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    return " ".join(text.split())


# -- the schema and the entries ----------------------------------------------------------------


def test_the_schema_is_a_valid_json_schema_and_names_its_source_and_licence():
    schema = register.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    comment = schema["$comment"]
    assert "MinBZK/Algoritmeregister" in comment
    assert "backend/app/schemas/config/v1_0.json" in comment
    assert "EUPL-1.2" in comment
    assert set(schema["required"]) == {
        "name",
        "description_short",
        "organization",
        "status",
        "contact_email",
        "publication_category",
        "lang",
    }


def test_civic_registers_each_of_its_rule_sets_and_models():
    algorithms = register.algorithms_list()
    assert [a.slug for a in algorithms] == SLUGS
    kinds = {a.slug: a.kind for a in algorithms}
    assert {kinds[s] for s in SORTS_ONLY} == {"model"}
    assert {kinds[s] for s in SLUGS if s not in SORTS_ONLY} == {"rule-set"}
    assert register.algorithm_get(slug="child-benefit-proactive").rule_sets == ("child_benefit",)


def test_the_entries_name_the_rule_sets_civic_really_runs():
    from civic.decisions.rule_sets import proactive_rule_sets, rule_sets

    known = rule_sets()
    for algorithm in register.algorithms_list():
        for key in algorithm.rule_sets:
            assert key in known, (algorithm.slug, key)
    proactive = register.algorithm_get(slug="proactive-eligibility")
    assert set(proactive.rule_sets) == {r.key for r in proactive_rule_sets()}
    assert set(proactive.services) == {r.service for r in proactive_rule_sets()}
    for slug, case_type in (
        ("school-clothing-grant-decision", "school-clothing-grant"),
        ("dog-tax-assessment", "dog-tax"),
    ):
        (key,) = register.algorithm_get(slug=slug).rule_sets
        assert known[key].case_type == case_type


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_entry_validates_against_the_stored_schema_in_both_languages(slug, language):
    algorithm = register.algorithm_get(slug=slug)
    document = register.algorithm_document(
        algorithm, language=language, base_url="https://civic.example"
    )
    # Checked here against the file itself, not only by the module's own validation.
    schema = json.loads(register.SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["lang"] == {"en": "eng", "nl": "nld"}[language]
    assert document["standard_version"] == "1.0"
    assert document["source_id"] == slug
    assert document["url"] == f"https://civic.example/algorithms/{slug}.json?lang={language}"
    assert document["website"].startswith("https://civic.example/")
    for key in ("name", "description_short", "organization", "goal", "human_intervention"):
        assert isinstance(document[key], str) and document[key], key


def test_every_free_text_is_filled_in_in_english_and_in_dutch_and_they_differ():
    for raw in _raw_entries()["entries"]:
        standard = raw["standard"]
        for key in (
            "name",
            "description_short",
            "organization",
            "goal",
            "proportionality",
            "human_intervention",
            "risks",
            "lawful_basis",
            "impacttoetsen",
            "source_data",
            "methods_and_models",
            "provider",
            "tags",
        ):
            text = standard[key]
            assert text["en"].strip() and text["nl"].strip(), (raw["slug"], key)
            if key not in ("organization",):
                assert text["en"] != text["nl"], (raw["slug"], key)
        for key in ("status", "publication_category", "contact_email", "begin_date", "category"):
            assert standard[key], (raw["slug"], key)


def test_the_entries_say_how_to_object_and_how_a_person_steps_in():
    for algorithm in register.algorithms_list():
        english = register.algorithm_document(algorithm, language="en")
        dutch = register.algorithm_document(algorithm, language="nl")
        if algorithm.slug in SORTS_ONLY:
            assert SORTS_ONLY[algorithm.slug] in english["description_short"]
            continue
        assert "6 weeks" in english["human_intervention"], algorithm.slug
        assert "6 weken" in dutch["human_intervention"], algorithm.slug
        assert "Awb art. 6:7" in english["human_intervention"], algorithm.slug
        assert "access log" in english["risks"], algorithm.slug
        assert "toegangslogboek" in dutch["risks"], algorithm.slug
    clothing = register.algorithm_document(
        register.algorithm_get(slug="school-clothing-grant-decision"), language="en"
    )
    assert "120% of the social minimum" in clothing["description_short"]
    assert "5%" in clothing["human_intervention"]
    assert "shadow mode" in clothing["risks"]


def test_the_whole_register_document_holds_every_entry_in_one_language():
    document = register.register_document(language="nl")
    assert document["lang"] == "nld" and document["count"] == len(SLUGS)
    assert [d["source_id"] for d in document["algorithms"]] == SLUGS
    assert all(d["lang"] == "nld" for d in document["algorithms"])


# -- broken entries are refused, naming the entry and the field --------------------------------


def _broken(slug: str, change) -> dict:
    data = copy.deepcopy(_raw_entries())
    entry = next(e for e in data["entries"] if e["slug"] == slug)
    change(entry["standard"])
    return data


def test_an_entry_without_a_required_field_is_refused_naming_entry_and_field():
    data = _broken("dog-tax-assessment", lambda standard: standard.pop("contact_email"))
    with pytest.raises(AlgorithmRegisterError) as refused:
        register.entries_parse(data)
    assert refused.value.slug == "dog-tax-assessment"
    assert refused.value.path == "contact_email"
    assert "'dog-tax-assessment'" in str(refused.value)
    assert "contact_email" in str(refused.value)
    assert "required" in str(refused.value)


def test_a_text_over_its_maximum_length_is_refused_naming_entry_language_and_field():
    def too_long(standard):
        standard["description_short"]["nl"] = "lang " * 71  # 355 characters, at most 350

    with pytest.raises(AlgorithmRegisterError) as refused:
        register.entries_parse(_broken("service-finder", too_long))
    error = refused.value
    assert (error.slug, error.language, error.path) == ("service-finder", "nl", "description_short")
    assert "355 characters" in str(error) and "at most 350" in str(error)


def test_a_nested_field_over_its_maximum_length_is_refused_with_its_path():
    def long_title(standard):
        standard["lawful_basis_grouping"][1]["title"]["en"] = "x" * 101

    with pytest.raises(AlgorithmRegisterError) as refused:
        register.entries_parse(_broken("child-benefit-proactive", long_title))
    assert refused.value.path == "lawful_basis_grouping/1/title"
    assert refused.value.language == "en"


def test_a_value_outside_the_standards_list_a_missing_translation_or_an_unknown_field_is_refused():
    cases = [
        (lambda s: s.update(status="Live"), "status", "'Live' is not one of"),
        (lambda s: s["category"].extend(["Werk", "Recht", "Economie"]), "category", "at most 3"),
        (lambda s: s["goal"].pop("nl"), "goal", "needs a text in 'nl'"),
        (lambda s: s.update(goals={"en": "x", "nl": "y"}), "goals", "not a field of the standard"),
        (lambda s: s.update(lang="nld"), "lang", "filled in by Civic"),
    ]
    for change, path, message in cases:
        with pytest.raises(AlgorithmRegisterError) as refused:
            register.entries_parse(_broken("proactive-eligibility", change))
        assert refused.value.slug == "proactive-eligibility", path
        assert refused.value.path == path
        assert message in str(refused.value), str(refused.value)


def test_an_exported_document_that_breaks_the_schema_is_refused():
    document = register.algorithm_document(
        register.algorithm_get(slug="dog-tax-assessment"), language="en"
    )
    document["name"] = "n" * 101
    with pytest.raises(
        AlgorithmRegisterError, match=r"'dog-tax-assessment' \(en\) is invalid at name"
    ):
        register.document_validate(document, slug="dog-tax-assessment", language="en")


# -- pages ---------------------------------------------------------------------------------------


def test_the_list_page_shows_every_entry_in_english_and_dutch(client, db):
    page = client.get("/algorithms/").content.decode()
    assert h1(page) == "Algorithm register"
    for algorithm in register.algorithms_list():
        document = register.algorithm_document(algorithm, language="en")
        assert f'href="/algorithms/{algorithm.slug}/"' in page
        assert document["name"] in _text(page)
        assert document["description_short"] in _text(page)
    text = _text(page)
    for label in ("Organisation", "Type", "Rule set", "Model", "Status", "In use"):
        assert label in text, label
    assert "Social Insurance Bank" in text and "Municipality of Havenstad" in text
    assert 'href="/algorithms/register.json?lang=en"' in page

    dutch = client.get("/algorithms/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert h1(dutch) == "Algoritmeregister"
    text = _text(dutch)
    for algorithm in register.algorithms_list():
        document = register.algorithm_document(algorithm, language="nl")
        assert document["name"] in text
        assert document["description_short"] in text
    for label in ("Organisatie", "Regelset", "Model", "In gebruik", "Sociale Verzekeringsbank"):
        assert label in text, label


def test_the_detail_page_shows_every_field_grouped_as_the_standard_does(client, db):
    slug = "school-clothing-grant-decision"
    page = client.get(f"/algorithms/{slug}/").content.decode()
    english = register.algorithm_document(register.algorithm_get(slug=slug), language="en")
    assert h1(page) == english["name"]
    text = _text(page)
    headings = re.findall(r'<h2 class="govuk-heading-l"[^>]*>(.*?)</h2>', page)
    assert headings == [
        "General information",
        "Responsible use",
        "How it works",
        "Machine-readable",
    ]
    for key in (
        "organization",
        "description_short",
        "contact_email",
        "provider",
    ):
        assert english[key] in text, key
    for key in ("goal", "proportionality", "human_intervention", "risks", "lawful_basis"):
        for paragraph in english[key].split("\n\n"):
            assert paragraph in text, key
    for label in (
        "Publication category",
        "Impactful algorithm",
        "Goal and impact",
        "Human intervention and objection",
        "Risk management and monitoring",
        "Legal references",
        "Data sources",
        "Social security",
    ):
        assert label in text, label
    # Legal references link to the law; register sources to the register catalogue.
    assert 'href="https://wetten.overheid.nl/BWBR0015703"' in page
    assert "Participatiewet, art. 21, 22 and 35" in text
    assert 'href="http://testserver/registers/#register-income"' in page
    assert f'href="/algorithms/{slug}.json?lang=en"' in page
    assert f'href="/algorithms/{slug}.json?lang=nl"' in page
    assert 'href="mailto:algoritmes@havenstad.example"' in page

    dutch = client.get(f"/algorithms/{slug}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    nederlands = register.algorithm_document(register.algorithm_get(slug=slug), language="nl")
    assert h1(dutch) == nederlands["name"]
    text = _text(dutch)
    for paragraph in nederlands["human_intervention"].split("\n\n"):
        assert paragraph in text
    for label in ("Algemene informatie", "Verantwoord gebruik", "Werking", "Doel en impact"):
        assert label in text, label
    assert "Participatiewet, art. 21, 22 en 35" in text


def test_an_empty_field_the_standard_always_shows_says_so_and_others_are_left_out(client, db):
    page = _text(client.get("/algorithms/service-finder/").content.decode())
    assert "Legal references" not in page  # not filled in, and not "show always"
    assert "Out of use since" not in page
    assert "Model" in page


def test_an_unknown_algorithm_page_is_the_sites_404(client, db):
    response = client.get("/algorithms/no-such-algorithm/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# -- JSON ------------------------------------------------------------------------------------------


def test_an_entry_as_json_in_the_asked_language_or_the_requests(client, db):
    response = client.get("/algorithms/dog-tax-assessment.json?lang=nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["lang"] == "nld"
    assert document["name"] == "Hondenbelasting berekenen bij het aanmelden van een hond"
    assert document["url"] == "http://testserver/algorithms/dog-tax-assessment.json?lang=nl"
    jsonschema.validate(document, register.schema(), cls=jsonschema.Draft202012Validator)

    by_request = client.get("/algorithms/dog-tax-assessment.json", HTTP_ACCEPT_LANGUAGE="nl")
    assert by_request.json()["lang"] == "nld"
    english = client.get("/algorithms/dog-tax-assessment.json")
    assert english.json()["lang"] == "eng"


def test_the_whole_register_as_json(client, db):
    response = client.get("/algorithms/register.json?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["standard_version"] == "1.0" and body["lang"] == "eng"
    assert [d["source_id"] for d in body["algorithms"]] == SLUGS
    for document in body["algorithms"]:
        jsonschema.validate(document, register.schema(), cls=jsonschema.Draft202012Validator)
    dutch = client.get("/algorithms/register.json", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert dutch["lang"] == "nld"


def test_an_unknown_entry_as_json_is_a_problem_json_404(client, db):
    response = client.get("/algorithms/no-such-algorithm.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == 404
    assert "no-such-algorithm" in problem["detail"]


def test_an_unknown_language_is_a_problem_json_400(client, db):
    for path in ("/algorithms/service-finder.json?lang=de", "/algorithms/register.json?lang=xx"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["status"] == 400


def test_the_footer_links_to_the_register(client, db):
    assert 'href="/algorithms/"' in client.get("/").content.decode()

"""The register catalogue describes every attribute of every register, as JSON and as a page."""

from __future__ import annotations

import pytest
from django.apps import apps

from civic.registers.catalogue import REGISTERS, Classification

TECHNICAL = {"id"}


def catalogue_model_attributes() -> dict[str, set[str]]:
    described: dict[str, set[str]] = {}
    for register in REGISTERS.values():
        for record in register.records:
            described.setdefault(record.model, set()).update(a.name for a in record.attributes)
    return described


def test_every_column_of_every_register_table_is_described_in_the_catalogue():
    described = catalogue_model_attributes()
    register_models = [
        m
        for m in apps.get_app_config("registers").get_models()
        if m.__name__ not in {"Jurisdiction", "CorrectionRequest"}
    ]
    for model in register_models:
        columns = {f.name for f in model._meta.concrete_fields} - TECHNICAL
        assert model.__name__ in described, f"{model.__name__} is missing from the catalogue"
        assert columns == described[model.__name__], model.__name__


def test_the_catalogue_json_has_a_classification_and_retention_for_every_attribute(client, db):
    response = client.get("/api/registers/")
    assert response.status_code == 200
    registers = response.json()
    assert {r["key"] for r in registers} == {
        "persons",
        "addresses",
        "businesses",
        "income",
        "vehicles",
    }
    attributes = [a for r in registers for record in r["records"] for a in record["attributes"]]
    assert len(attributes) == sum(len(names) for names in catalogue_model_attributes().values())
    for attribute in attributes:
        assert attribute["classification"] in Classification.ALL
        assert attribute["retention"]["description"]
        assert attribute["description"]
    for register in registers:
        assert register["authority"] and register["legal_basis"]
    names = {r["key"]: r["authority_name"] for r in registers}
    assert names["persons"] == "Municipality of Havenstad"
    assert names["income"] == "Tax Administration"


def test_personal_numbers_and_income_are_classified_sensitive_and_addresses_public(client, db):
    by_name = {
        (r["key"], a["name"]): a
        for r in client.get("/api/registers/").json()
        for record in r["records"]
        for a in record["attributes"]
    }
    assert by_name[("persons", "person.personal_number")]["classification"] == "sensitive"
    assert by_name[("income", "income.amount")]["classification"] == "sensitive"
    assert by_name[("income", "income.amount")]["retention"]["years"] == 7
    assert by_name[("addresses", "address.street")]["classification"] == "public"


def test_an_unknown_register_is_a_problem_json_404(client, db):
    response = client.get("/api/registers/taxes")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert "taxes" in response.json()["detail"]


@pytest.mark.parametrize(
    "language, heading", [("en", "Register catalogue"), ("nl", "Registercatalogus")]
)
def test_the_catalogue_page_lists_each_register_with_its_attributes(client, db, language, heading):
    response = client.get("/registers/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" class="govuk-template">' in page
    from tests.html import h1

    assert h1(page) == heading
    assert "Wet basisregistratie personen" in page
    assert "person.personal_number" in page and "income.amount" in page

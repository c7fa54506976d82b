"""The "Who used my data" page."""

from __future__ import annotations

from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_query import query


def test_the_page_lists_who_used_the_residents_data_and_why(client, db):
    number = a_registered_resident()
    purpose = create_purpose(code="child-benefit")
    _, _, actor = create_partner(purpose=purpose)
    query(actor, purpose, [number])
    client.force_login(identity.resident_account_ensure(personal_number=number))
    page = client.get("/my/data-use/").content.decode()
    from tests.html import h1

    assert h1(page) == "Who used my data"
    assert "Social Insurance Bank" in page and "Assess child benefit" in page
    assert "Date of birth." in page and "1 use of your data." in page
    assert "identity.birth_date" not in page, "the catalogue's words, not its keys"


def test_the_page_in_dutch_names_the_organisation_in_dutch(client, db):
    number = a_registered_resident()
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    query(actor, purpose, [number])
    client.force_login(identity.resident_account_ensure(personal_number=number))
    page = client.get("/my/data-use/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Sociale Verzekeringsbank" in page


def test_a_wrong_date_filter_shows_the_error_summary_and_keeps_the_page(client, db):
    client.force_login(identity.resident_account_ensure(personal_number=a_registered_resident()))
    page = client.get("/my/data-use/", {"since": "2026-13-45"}).content.decode()
    assert "There is a problem" in page and "Enter a date as year-month-day" in page
    page = client.get(
        "/my/data-use/", {"since": "2026-05-01", "until": "2026-04-01"}
    ).content.decode()
    assert "The end date must be the same as or after the start date." in page


def test_the_page_asks_a_visitor_to_log_in_and_returns_them_there(client, db):
    response = client.get("/my/data-use/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/my/data-use/"

"""The resident's own page: their data with its sources, read through the exchange, and
"this is wrong" reports that reach the authority."""

from __future__ import annotations

import pytest

from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.identity import services as identity
from civic.registers.models import CorrectionRequest
from civic.registers.selectors import person_record_at
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose


@pytest.fixture
def resident(client, db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


def test_the_dashboard_shows_the_residents_data_with_register_authority_and_date(client, resident):
    record = person_record_at(personal_number=resident)
    page = client.get("/my/").content.decode()
    assert record.given_names in page and record.family_name in page
    assert "Kept by Municipality of Havenstad" in page and "Wet basisregistratie personen" in page
    assert "In the register since" in page
    assert "Havenstad" in page  # the address, read from the addresses register
    for section in ("My cases", "My inbox", "Offers for me", "Who used my data"):
        assert section in page


def test_showing_the_dashboard_is_itself_logged_as_the_resident_reading_their_own_data(
    client, resident
):
    client.get("/my/")
    entries = AccessLogEntry.objects.filter(subject=person_pseudonym(resident))
    assert entries.count() == 2  # persons and income
    assert set(entries.values_list("actor_kind", "purpose")) == {("resident", "show-own-data")}


def test_a_wrong_value_is_reported_to_the_authority_that_keeps_it(client, resident):
    url = "/my/data/correct/?register=persons&attribute=identity.given_names"
    form = client.get(url).content.decode()
    assert "Report a wrong value" in form and "Municipality of Havenstad" in form
    response = client.post(url, {"explanation": "My second name is Marijke, not Mariike."})
    page = response.content.decode()
    report = CorrectionRequest.objects.get()
    assert report.reference in page and "Report sent" in page
    assert report.personal_number == resident and report.authority == "havenstad"
    assert report.attribute == "identity.given_names" and report.status == "received"


def test_an_empty_report_shows_the_error_summary_and_files_nothing(client, resident):
    page = client.post(
        "/my/data/correct/?register=persons&attribute=identity.given_names", {"explanation": " "}
    ).content.decode()
    assert "There is a problem" in page and "Say what is wrong" in page
    assert not CorrectionRequest.objects.exists()


def test_a_report_about_a_value_not_on_the_residents_page_goes_back_to_the_page(client, resident):
    response = client.get("/my/data/correct/?register=persons&attribute=identity.secret_field")
    assert response.status_code == 302 and response["Location"] == "/my/"


def test_staff_and_visitors_do_not_get_a_residents_page(client, db):
    assert client.get("/my/")["Location"].startswith("/login/")
    from tests.builders import create_staff

    client.force_login(create_staff(roles=["caseworker"]))
    assert client.get("/my/")["Location"] == "/"


def test_reports_are_limited_per_resident_with_a_message_that_says_when_to_try_again(
    client, resident
):
    import datetime as dt

    from civic.registers.changes import CORRECTIONS_PER_HOUR

    url = "/my/data/correct/?register=persons&attribute=identity.given_names"
    for n in range(CORRECTIONS_PER_HOUR):
        assert client.post(url, {"explanation": f"Report {n}"}).status_code == 200
    refused = client.post(url, {"explanation": "One more"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "There is a problem" in page
    assert f"You have sent {CORRECTIONS_PER_HOUR} reports in the last hour" in page
    assert "One more" in page  # what was typed is kept on the page
    assert CorrectionRequest.objects.filter(filed_by=resident).count() == CORRECTIONS_PER_HOUR

    other = a_registered_resident_other_than(resident)
    client.force_login(identity.resident_account_ensure(personal_number=other))
    assert client.post(url, {"explanation": "Mine"}).status_code == 200

    CorrectionRequest.objects.filter(filed_by=resident).update(
        filed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    assert client.post(url, {"explanation": "An hour later"}).status_code == 200


def a_registered_resident_other_than(number: str) -> str:
    from tests.portal.test_acting_for_someone import two_unrelated_residents

    return next(n for n in two_unrelated_residents() if n != number)

"""The data tracker: a resident sees every use of their data, and an embargoed one only after
its date; nobody sees anyone else's."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_query import query

USAGE = "/api/exchange/v1/usage"


@pytest.fixture
def resident(client, db):
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


def test_a_resident_sees_each_use_of_their_data_newest_first_in_plain_words(client, resident):
    benefit = create_purpose(code="child-benefit")
    _, _, actor = create_partner(purpose=benefit)
    query(actor, benefit, [resident], case="c-1")
    query(actor, benefit, [resident], ["identity.birth_date"])
    page = client.get(USAGE).json()
    assert page["total"] == 2
    newest, oldest = page["entries"]
    assert newest["at"] >= oldest["at"]
    assert newest["organisation"] == "Social Insurance Bank"
    assert newest["purpose"] == "Assess child benefit"
    assert newest["purpose_description"].startswith("We check who lives with the child")
    assert newest["fields"] == ["identity.birth_date", "identity.confidential"]
    assert newest["kind"] == "lookup"


def test_the_tracker_pages_and_filters_by_date(client, resident):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    for _ in range(3):
        query(actor, purpose, [resident])
    page = client.get(USAGE, {"limit": 2, "offset": 2}).json()
    assert page["total"] == 3 and len(page["entries"]) == 1
    tomorrow = (clock.now() + dt.timedelta(days=1)).isoformat()
    assert client.get(USAGE, {"from": tomorrow}).json()["total"] == 0


def test_an_investigation_stays_hidden_until_its_embargo_has_passed(client, resident, monkeypatch):
    investigation = create_purpose(code="fraud-investigation", confidential=True, embargo_days=90)
    _, _, actor = create_partner(purpose=investigation)
    query(actor, investigation, [resident])
    assert client.get(USAGE).json()["total"] == 0
    later = clock.now() + dt.timedelta(days=91)
    monkeypatch.setattr(clock, "now", lambda: later)
    entries = client.get(USAGE).json()["entries"]
    assert [e["purpose"] for e in entries] == ["Assess child benefit"]


def test_a_resident_never_sees_another_persons_uses(client, resident):
    from civic.registers.models import Person

    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    someone_else = (
        Person.objects.exclude(personal_number=resident)
        .values_list("personal_number", flat=True)
        .first()
    )
    query(actor, purpose, [someone_else])
    assert client.get(USAGE).json()["total"] == 0


def test_the_usage_api_needs_a_logged_in_resident(client, db):
    assert client.get(USAGE).status_code == 401
    from tests.builders import create_staff

    client.force_login(create_staff(roles=["caseworker"]))
    response = client.get(USAGE)
    assert response.status_code == 400 and "Only a resident" in response.json()["detail"]


def test_an_offset_past_any_database_integer_is_a_400_problem_not_a_crash(client, resident):
    response = client.get(USAGE, {"offset": 10**22})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["query", "offset"]
    assert client.get(USAGE, {"offset": 1_000_000}).json()["entries"] == []


def test_a_window_outside_the_calendar_in_utc_is_a_400_problem_not_a_crash(client, resident):
    response = client.get(USAGE, {"from": "1900-01-01T00:00:00+05:00"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["query", "from"]

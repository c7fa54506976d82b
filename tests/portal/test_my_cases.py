"""My cases: every case a resident applied for or is about, newest first, a page at a time."""

from __future__ import annotations

import datetime as dt

from civic.cases.models import Case, CaseType
from civic.core import clock
from civic.identity import services as identity
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident


def test_a_resident_with_many_cases_pages_through_them_newest_first(client, db):
    resident = a_registered_resident()
    parking = CaseType.objects.get(code="parking-permit")
    now = clock.now()
    for n in range(30):
        Case.objects.create(
            reference=f"MC-{n:03d}",
            case_type=parking,
            agency=agency_get(code="havenstad"),
            subject=resident,
            applicant=resident,
            state="received",
            opened_at=now - dt.timedelta(days=n),
            deadline=now.date(),
        )
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    first = client.get("/my/cases/").content.decode()
    assert "30 cases" in first and "Page 1 of 2" in first
    assert "MC-000" in first and "MC-024" in first and "MC-025" not in first
    second = client.get("/my/cases/?page=2").content.decode()
    assert "MC-025" in second and "MC-029" in second and "MC-000" not in second
    assert client.get("/my/cases/?page=x").status_code == 400  # not a page number
    assert (
        "MC-029" in client.get("/my/cases/?page=99").content.decode()
    )  # past the end: the last page

"""The KPI API: a staff member's own agency's figures; refusals as problem+json."""

from __future__ import annotations

import pytest

from civic.identity.models import Role
from tests.builders import create_agency, create_staff

PROBLEM = "application/problem+json"


def test_a_service_owner_reads_the_kpis_of_each_kind_of_case(client, manager, parking_history):
    client.force_login(manager)

    body = client.get("/api/insights/v1/kpis?days=90").json()

    parking = next(row for row in body["services"] if row["case_type"] == "parking-permit")
    assert (parking["opened"], parking["decided"], parking["automated"]) == (10, 8, 6)
    assert parking["automation_rate"] == pytest.approx(0.75)
    assert parking["open_past_deadline"] == 1
    assert parking["name"] == "Parking permit"


def test_one_kind_of_case_and_the_public_figures(client, manager, parking_history):
    client.force_login(manager)

    one = client.get("/api/insights/v1/kpis/parking-permit").json()
    public = client.get("/api/insights/v1/performance/parking-permit").json()

    assert one["decided_late"] == 1 and one["median_days_to_decision"] == 2.0
    assert public["decisions"] == 8 and public["withheld_below"] == 5


def test_another_agencys_kind_of_case_is_not_found_as_a_problem(client, parking_history):
    client.force_login(create_staff(roles=[Role.SERVICE_OWNER], agency=create_agency()))

    response = client.get("/api/insights/v1/kpis/parking-permit")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert "no kind of case 'parking-permit' in your agency" in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("nobody", "/api/insights/v1/kpis", 401),
        ("officer", "/api/insights/v1/kpis", 403),
        ("owner", "/api/insights/v1/kpis?days=7", 400),
        ("nobody", "/api/insights/v1/performance/no-such-service", 404),
    ],
)
def test_refusals_are_problems(client, db, who, url, status):
    if who != "nobody":
        role = Role.SERVICE_OWNER if who == "owner" else Role.DATA_PROTECTION_OFFICER
        client.force_login(create_staff(roles=[role]))

    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == status

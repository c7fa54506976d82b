"""Service KPIs: the staff page of their agency's services and of one kind of case, in both
languages, with each chart's table; another agency's staff see none of it; the public
performance page of a service withholds small counts."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from civic.identity.models import Role
from tests.builders import create_agency, create_staff
from tests.insights.builders import a_case

BLOCKS = {"tr", "p", "div", "li", "h1", "h2", "caption", "option", "title"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "svg")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "svg")
        self.parts.append("\n" if tag in BLOCKS else " ")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(" " + " ".join(data.split()) + " ")


def text_of(response) -> str:
    """The page's text as a reader meets it: a line per table row, paragraph or list row."""
    parser = _Text()
    parser.feed(response.content.decode())
    lines = "".join(parser.parts).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _row(page: str, name: str) -> str:
    return next((line for line in page.splitlines() if line.startswith(name)), page)


def test_the_staff_page_shows_each_kind_of_case_with_its_figures_in_a_table(
    client, manager, parking_history
):
    client.force_login(manager)

    page = client.get("/staff/insights/?days=90")

    assert page.status_code == 200
    text = text_of(page)
    assert "Service performance" in text
    # kind, opened, decided, median days, automated, on time, open, past deadline
    row = _row(text, "Parking permit 10")
    assert row.startswith("Parking permit 10 8 2.0 75 % 88 % 2 1")
    html = page.content.decode()
    assert "<svg" in html and "the same figures are in the table below" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_the_page_of_one_kind_of_case_in_dutch(client, manager, parking_history):
    client.force_login(manager)
    client.cookies["django_language"] = "nl"

    page = client.get("/staff/insights/parking-permit/?days=90", HTTP_ACCEPT_LANGUAGE="nl")

    assert page.status_code == 200
    text = text_of(page)
    assert "Mediaan dagen tot besluit" in text
    assert "Automatisch besloten 75 %" in " ".join(text.split())
    assert "Geopend 10" in " ".join(text.split())


def test_an_unknown_period_falls_back_to_ninety_days(client, manager, parking_history):
    client.force_login(manager)

    text = " ".join(text_of(client.get("/staff/insights/?days=7")).split())

    assert "the last 90 days" in text


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SERVICE_OWNER, Role.ADMINISTRATOR])
def test_another_agencys_staff_find_no_such_kind_of_case_and_none_of_its_figures(
    client, parking_history, role
):
    outsider = create_staff(roles=[role], agency=create_agency(code="elsewhere"))
    client.force_login(outsider)

    assert client.get("/staff/insights/parking-permit/").status_code in (403, 404)
    overview = client.get("/staff/insights/")
    if overview.status_code == 200:
        assert "Parking permit" not in text_of(overview)
        assert "Your agency has no kinds of case yet." in text_of(overview)
    else:
        assert overview.status_code == 403


def test_a_caseworker_of_another_agency_gets_not_found_for_the_kind_of_case(
    client, parking_history
):
    outsider = create_staff(roles=[Role.CASEWORKER], agency=create_agency(code="elsewhere"))
    client.force_login(outsider)

    assert client.get("/staff/insights/parking-permit/").status_code == 404


def test_residents_and_visitors_do_not_reach_the_staff_pages(client, parking_history):
    page = client.get("/staff/insights/")

    assert page.status_code == 302 and "/staff/login/" in page["Location"]


def test_the_public_performance_page_shows_the_service_figures(client, parking_history):
    text = " ".join(text_of(client.get("/performance/parking-permit/")).split())

    assert "Decisions 8" in text
    assert "Decided on time 88 %" in text
    assert "Decided automatically 75 %" in text


def test_the_public_page_withholds_counts_about_fewer_than_five_people(client, db):
    a_case("dog-tax", opened_days_ago=10, decided_days_ago=3)

    text = " ".join(text_of(client.get("/performance/dog-tax/")).split())

    assert "Decisions too few to show" in text
    assert "Decided on time –" in text


def test_the_public_page_of_no_such_service_is_not_found(client, db):
    assert client.get("/performance/no-such-service/").status_code == 404


def test_the_kpi_pages_show_what_residents_met_register_answers_and_satisfaction(client, db):
    from civic.feedback.services import feedback_give
    from civic.identity.selectors import agency_get
    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application

    a_submitted_application(applicant=a_registered_resident())
    for rating in (5, 4, 2):
        feedback_give(kind="satisfaction", service_code="parking-permit", rating=rating)
    client.force_login(
        create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    )
    text = text_of(client.get("/staff/insights/parking-permit/?days=30"))
    assert "Questions a register answered 100 %" in text
    assert "Satisfied or very satisfied 67 % (3 answers)" in text
    row = next(r for r in client.get("/api/insights/v1/kpis?days=30").json()["services"]
               if r["case_type"] == "parking-permit")  # fmt: skip
    assert row["prefill_rate"] == 1.0 and round(row["satisfied_rate"], 2) == 0.67

"""Bad input is a 400 with the problem said (the 400 page, an error summary, or problem+json),
never a 500: numbers too big for the database, ids that are not numbers, dates at the end of
time. Pages are asked as a browser would, with the server's own error handling."""

from __future__ import annotations

import pytest
from django.test import Client

from civic.identity import services as identity
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.exchange.builders import create_purpose

HUGE = "99999999999999999999"


@pytest.fixture
def visitors(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    reference = a_submitted_application(applicant=number).reference
    resident = Client(raise_request_exception=False)
    resident.force_login(identity.resident_account_ensure(personal_number=number))
    staff = Client(raise_request_exception=False)
    staff.force_login(create_staff(roles=["caseworker"], agency=agency_get(code="havenstad")))
    return {"resident": resident, "staff": staff, "reference": reference}


BAD_PAGES = [
    ("resident", "/my/data-use/?page=" + HUGE, "The page number must be a whole number"),
    ("resident", "/my/data-use/?page=abc", "The page number must be a whole number"),
    ("resident", "/my/data-use/?page=0", "The page number must be a whole number"),
    ("resident", "/my/inbox/?page=" + HUGE, "The page number must be a whole number"),
    ("resident", "/my/cases/?page=" + HUGE, "The page number must be a whole number"),
    ("staff", "/staff/cases/?page=" + HUGE, "The page number must be a whole number"),
    ("staff", "/staff/cases/?page=-2", "The page number must be a whole number"),
]


@pytest.mark.parametrize(("who", "url", "said"), BAD_PAGES)
def test_a_page_number_out_of_all_reason_is_a_400_page_that_says_so(visitors, who, url, said):
    response = visitors[who].get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Something was wrong with the request" in page and said in page


@pytest.mark.parametrize(
    "dates",
    [
        {"since": "9999-12-31", "until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
    ],
)
def test_a_date_at_the_ends_of_the_calendar_gets_the_error_summary(visitors, dates):
    response = visitors["resident"].get("/my/data-use/", dates)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "between 1 January 1900 and 31 December 2999" in page


def test_revoking_an_authorisation_that_is_not_a_number_is_a_400(visitors):
    response = visitors["resident"].post(
        "/my/representation/", {"action": "revoke", "authorisation": "abc"}
    )
    assert response.status_code == 400
    assert "“authorisation” must be a whole number" in response.content.decode()


@pytest.mark.parametrize("request_id", ["abc", HUGE, "-1"])
def test_answering_a_question_that_is_not_a_number_is_a_400(visitors, request_id):
    response = visitors["resident"].post(
        f"/my/cases/{visitors['reference']}/",
        {"action": "answer", "request": request_id, "answer-text": "Here it is."},
    )
    assert response.status_code == 400
    assert "“request” must be a whole number" in response.content.decode()


def test_a_task_that_is_not_a_number_is_a_400_on_the_workbench(visitors):
    response = visitors["staff"].post(
        f"/staff/cases/{visitors['reference']}/", {"action": "task-done", "task": "abc"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        f"offset={HUGE}",
        "from=9999-12-31T23:59:59-12:00",
        "to=0001-01-01T00:00:00%2B14:00",
    ],
)
def test_the_usage_api_answers_a_bad_query_with_problem_json(visitors, query):
    response = visitors["resident"].get(f"/api/exchange/v1/usage?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_page_past_the_last_shows_the_last_page(visitors):
    response = visitors["resident"].get("/my/data-use/?page=5000")  # the prefill was one use
    assert response.status_code == 200 and "Page 1 of 1" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "method", "url", "data"),
    [
        ("staff", "get", "/staff/cases/?state=%00", None),
        ("staff", "get", "/staff/cases/backlog/?case_type=a%00", None),
        ("staff", "post", "/staff/cases/", {"case": "\x00", "bulk": "assign-me"}),
        ("staff", "get", "/staff/cases/AP-1%00/", None),
        ("resident", "get", "/my/cases/x%00/", None),
        ("resident", "post", "/my/representation/", {"action": "act", "person": "\x00"}),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_a_400_not_a_database_error(
    visitors, who, method, url, data
):
    response = getattr(visitors[who], method)(url, data) if data else visitors[who].get(url)
    assert response.status_code == 400
    assert "a character that is not allowed" in response.content.decode()


def test_a_nul_character_in_a_json_body_is_a_problem_json_400(visitors):
    response = visitors["resident"].post(
        "/api/exchange/v1/persons/search",
        {"fields": ["identity.given_names"], "purpose": "x\u0000", "family_name": "a"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "a character that is not allowed" in response.json()["detail"]

"""Public consultations, from question to published result: a service owner starts one, residents
answer once each while it is open (not named: a pseudonym of its own), written answers are
blacked out and read, and after it closes the results go public with "you said, we did"."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.feedback.models import Consultation, ConsultationResponse
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.insights.test_kpis import text_of
from tests.security.builders import another_resident

pytestmark = pytest.mark.django_db

STAFF = "/staff/feedback/consultations/"
PAGE = "/consultations/quiet-streets/"


@pytest.fixture
def owner():
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))


def _start(client, owner, **fields):
    client.force_login(owner)
    today = clock.now().date()
    data = {
        "slug": "quiet-streets",
        "title_en": "Quiet streets",
        "title_nl": "Rustige straten",
        "question_en": "Should the old town be car-free on Sundays?",
        "question_nl": "Moet de oude stad op zondag autovrij zijn?",
        "options_en": "Yes\nNo\nOnly in summer",
        "options_nl": "Ja\nNee\nAlleen in de zomer",
        "opens": today.isoformat(),
        "closes": (today + dt.timedelta(days=13)).isoformat(),
        **fields,
    }
    return client.post(STAFF, data)


def _as_resident(client, number: str):
    client.force_login(identity.resident_account_ensure(personal_number=number))


def _close(slug: str = "quiet-streets") -> None:
    Consultation.objects.filter(slug=slug).update(
        opens_at=clock.now() - dt.timedelta(days=20), closes_at=clock.now() - dt.timedelta(days=1)
    )


def test_a_consultation_runs_from_question_to_published_result(client, owner):
    started = _start(client, owner)
    assert started.status_code == 302 and started["Location"] == f"{STAFF}quiet-streets/"

    anonymous = text_of(client.get(PAGE))
    assert "Should the old town be car-free on Sundays?" in anonymous

    first, second = a_registered_resident(), another_resident()
    _as_resident(client, first)
    answered = client.post(
        PAGE, {"option": "1", "text": f"Yes please, I live there (BSN {first})."}
    )
    assert answered.status_code == 302
    assert "your answer is counted" in text_of(client.get(answered["Location"]))
    again = client.post(PAGE, {"option": "2"})
    assert (
        again.status_code == 400 and "answered this consultation already" in again.content.decode()
    )
    _as_resident(client, second)
    client.post(PAGE, {"option": "3"})

    stored = list(ConsultationResponse.objects.values_list("respondent", "text"))
    assert len(stored) == 2 and not any(first in r or first in t for r, t in stored)
    assert "[…]" in stored[0][1]
    assert "What you said" not in text_of(client.get(PAGE))  # no results while it is open

    client.force_login(owner)
    early = client.post(
        f"{STAFF}quiet-streets/", {"action": "publish", "outcome_en": "x", "outcome_nl": "x"}
    )
    assert early.status_code == 400 and "once the consultation has closed" in early.content.decode()
    _close()
    unread = client.post(
        f"{STAFF}quiet-streets/", {"action": "publish", "outcome_en": "x", "outcome_nl": "x"}
    )
    assert unread.status_code == 400 and "Read every written answer" in unread.content.decode()
    written = ConsultationResponse.objects.exclude(text="").get()
    kept = client.post(f"{STAFF}quiet-streets/", {"response": written.pk, "keep": "1"})
    assert kept.status_code == 302
    published = client.post(
        f"{STAFF}quiet-streets/",
        {
            "action": "publish",
            "outcome_en": "The old town is car-free on summer Sundays from June.",
            "outcome_nl": "De oude stad is vanaf juni op zomerse zondagen autovrij.",
        },
    )
    assert published.status_code == 302

    client.logout()
    public = text_of(client.get(PAGE))
    assert "2 answers." in public
    assert "Yes 1 50 %" in public and "Only in summer 1 50 %" in public and "No 0 0 %" in public
    assert "Yes please, I live there (BSN […])." in public
    assert "What we did" in public and "car-free on summer Sundays from June" in public
    dutch = text_of(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Rustige straten" in dutch and "autovrij op zomerse zondagen" not in dutch
    assert "vanaf juni op zomerse zondagen autovrij" in dutch
    assert "Quiet streets" in text_of(client.get("/consultations/"))


def test_answers_outside_the_period_or_without_a_choice_are_refused(client, owner):
    _start(client, owner)
    _as_resident(client, a_registered_resident())
    empty = client.post(PAGE, {"text": "no option chosen"})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "Choose one of the options." in page and "no option chosen" in page
    _close()
    late = client.post(PAGE, {"option": "1"})
    assert late.status_code == 400 and "not open for answers" in late.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_a_free_text_consultation_needs_words_and_answering_needs_a_login(client, owner):
    _start(client, owner, slug="ideas", options_en="", options_nl="")
    client.logout()
    page = text_of(client.get("/consultations/ideas/"))
    assert "Log in to answer" in page
    assert client.post("/consultations/ideas/", {"text": "More trees"}).status_code == 302
    assert not ConsultationResponse.objects.exists()
    _as_resident(client, a_registered_resident())
    assert client.post("/consultations/ideas/", {"text": "  "}).status_code == 400
    assert client.post("/consultations/ideas/", {"text": "More trees"}).status_code == 302
    assert ConsultationResponse.objects.get().text == "More trees"


def test_a_bad_consultation_is_refused_with_an_error_summary_and_none_is_made(client, owner):
    mismatched = _start(client, owner, options_nl="Ja\nNee")
    assert mismatched.status_code == 400
    assert "as many options in Dutch as in English" in mismatched.content.decode()
    backwards = _start(client, owner, closes="2020-01-01")
    assert backwards.status_code == 400 and "close after it opens" in backwards.content.decode()
    assert not Consultation.objects.exists()
    _start(client, owner)
    twice = _start(client, owner)
    assert twice.status_code == 400 and "at that address already" in twice.content.decode()


def test_another_agencys_owner_cannot_see_or_publish_it(client, owner):
    _start(client, owner)
    _close()
    tax = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="tax-administration"))
    client.force_login(tax)
    assert "Quiet streets" not in client.get(STAFF).content.decode()
    assert client.get(f"{STAFF}quiet-streets/").status_code == 404
    forged = client.post(
        f"{STAFF}quiet-streets/", {"action": "publish", "outcome_en": "x", "outcome_nl": "x"}
    )
    assert forged.status_code == 404
    assert Consultation.objects.get().published_at is None

"""Residents' feedback: "was this page useful?" on every form step and a satisfaction question
when a service is done, anonymous and with personal data blacked out; the service owner reads
the ratings and where residents stopped, moderates each comment and says what was done, which
the service's public page shows as "you said, we did"."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.feedback.models import Feedback, Moderation
from civic.forms.models import Draft, FormDefinition
from civic.forms.services import draft_start
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.insights.maturity import maturity_compute
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.insights.test_kpis import text_of

pytestmark = pytest.mark.django_db

STEP = "/my/apply/parking-permit/car/"


@pytest.fixture
def resident(client):
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


@pytest.fixture
def owner():
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))


def _give(client, **fields):
    data = {"kind": "page-useful", "service": "parking-permit", "step": "car", "next": STEP}
    return client.post("/feedback/", {**data, **fields})


def test_a_form_step_asks_if_it_was_useful_and_keeps_the_answer_without_who_gave_it(
    client, resident
):
    client.get("/my/apply/parking-permit/")
    page = client.get(STEP).content.decode()
    assert "Was this page useful?" in page and 'action="/feedback/"' in page

    sent = _give(
        client,
        rating="0",
        comment=f"My number {resident} is on it twice, mail me at a.b@example.nl",
    )

    assert sent.status_code == 302 and sent["Location"].startswith("/feedback/thanks/")
    thanks = client.get(sent["Location"]).content.decode()
    assert "Thank you for your feedback" in thanks and f'href="{STEP}"' in thanks
    item = Feedback.objects.get()
    assert (item.kind, item.rating, item.step) == ("page-useful", 0, "car")
    assert item.comment == "My number […] is on it twice, mail me at […]"
    assert item.moderation == Moderation.PENDING
    stored = " ".join(str(v) for v in Feedback.objects.values().get().values())
    assert resident not in stored


def test_the_check_your_answers_step_asks_if_it_was_useful_too(client, resident):
    client.get("/my/apply/parking-permit/")
    page = client.get("/my/apply/parking-permit/check/").content.decode()

    assert "Check your answers" in page
    assert "Was this page useful?" in page
    assert 'name="step" value="check"' in page


def test_feedback_without_an_answer_or_too_long_is_refused_and_nothing_is_kept(client, resident):
    missing = _give(client, comment="no choice made")
    assert missing.status_code == 400
    page = missing.content.decode()
    assert "There is a problem" in page and "Choose an answer." in page
    assert "no choice made" in page  # what they typed is not lost
    too_long = _give(client, rating="1", comment="x" * 1_201)
    assert too_long.status_code == 400 and "1200 characters or fewer" in too_long.content.decode()
    assert _give(client, rating="1", service="no-such-service").status_code == 404
    assert not Feedback.objects.exists()


def test_thanks_never_sends_a_resident_to_another_site(client, db):
    sent = _give(client, rating="1", next="https://evil.example/phish")
    thanks = client.get(sent["Location"]).content.decode()
    assert "evil.example" not in thanks and 'href="/"' in thanks


def test_the_receipt_and_a_decided_case_ask_how_satisfied_the_resident_is(client, resident):
    submission = a_submitted_application(applicant=resident)
    receipt = client.get(f"/my/apply/parking-permit/sent/{submission.reference}/")
    assert "How satisfied are you with this service?" in receipt.content.decode()
    case_page = client.get(f"/my/cases/{submission.reference}/").content.decode()
    assert "How satisfied are you with this service?" not in case_page  # not decided yet
    sent = client.post(
        "/feedback/",
        {"kind": "satisfaction", "service": "parking-permit", "rating": "4", "next": "/my/"},
    )
    assert sent.status_code == 302
    assert Feedback.objects.get().rating == 4 and Feedback.objects.get().moderation == ""


def test_the_service_owner_sees_ratings_and_drop_off_moderates_and_says_what_was_done(
    client, resident, owner
):
    form = FormDefinition.objects.get(code="parking-permit")
    stopped = draft_start(form=form, applicant=resident, subject=resident)
    Draft.objects.filter(pk=stopped.pk).update(
        step="car", updated_at=clock.now() - dt.timedelta(days=3)
    )
    for rating in (5, 4, 1):
        client.post(
            "/feedback/", {"kind": "satisfaction", "service": "parking-permit", "rating": rating}
        )
    _give(client, rating="0", comment="The licence plate question is unclear.")
    _give(client, rating="0", comment="Rubbish!!")
    unclear, rubbish = Feedback.objects.exclude(comment="").order_by("pk")

    client.force_login(owner)
    page = client.get("/staff/feedback/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Satisfied or very satisfied 67 % (3 answers)" in text
    stopped_row = next(line for line in text.splitlines() if "Licence plate" in line)
    assert stopped_row.endswith("1 1 100 %")  # reached, stopped here, share
    assert "The licence plate question is unclear." in text

    assert client.post(f"/staff/feedback/{unclear.pk}/moderate/", {"keep": "1"}).status_code == 302
    assert client.post(f"/staff/feedback/{rubbish.pk}/moderate/", {"keep": "0"}).status_code == 302
    rubbish.refresh_from_db()
    assert rubbish.moderation == Moderation.REMOVED and rubbish.comment == ""
    again = client.post(f"/staff/feedback/{rubbish.pk}/moderate/", {"keep": "1"})
    assert again.status_code == 400 and "moderated already" in again.content.decode()
    empty = client.post(f"/staff/feedback/{unclear.pk}/act/", {"what_we_did": " "})
    assert empty.status_code == 400 and "Say what was done about it." in empty.content.decode()
    done = client.post(
        f"/staff/feedback/{unclear.pk}/act/",
        {"what_we_did": "The question now shows where the plate is on the registration card."},
    )
    assert done.status_code == 302

    public = text_of(client.get("/performance/parking-permit/"))
    assert "You said: “The licence plate question is unclear.”" in public
    assert "We did: The question now shows where the plate is" in public
    acted = maturity_compute()["inputs"]["feedback_acted_on"]
    assert (acted["numerator"], acted["denominator"]) == (1, 1)


def test_other_agencies_and_other_roles_cannot_read_or_moderate(client, resident):
    _give(client, rating="0", comment="Slow.")
    item = Feedback.objects.get()
    tax_owner = create_staff(
        roles=[Role.SERVICE_OWNER], agency=agency_get(code="tax-administration")
    )
    client.force_login(tax_owner)
    assert "Slow." not in client.get("/staff/feedback/").content.decode()
    assert client.post(f"/staff/feedback/{item.pk}/moderate/", {"keep": "1"}).status_code == 404
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(caseworker)
    assert client.get("/staff/feedback/").status_code == 403
    item.refresh_from_db()
    assert item.moderation == Moderation.PENDING

"""The resident chooses email, text message and language; bad input is refused with an error
summary and changes nothing."""

from __future__ import annotations

from civic.identity import services as identity
from civic.notify.selectors import preference_get
from civic.notify.services import preference_set
from tests.html import h1
from tests.notify.builders import send, two_residents

URL = "/my/inbox/preferences/"


def _logged_in(client) -> str:
    resident, _ = two_residents()
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    return resident


def test_a_resident_chooses_email_and_the_next_message_is_emailed(client, db, mailoutbox):
    resident = _logged_in(client)
    page = client.get(URL).content.decode()
    assert h1(page) == "How you hear of new messages"
    response = client.post(
        URL, {"channels": ["email"], "email": "jan@example.org", "phone": "", "language": "nl"}
    )
    assert response.status_code == 302 and response["Location"] == "/my/inbox/"
    assert "Your choices are saved." in client.get("/my/inbox/").content.decode()
    send(resident)
    assert mailoutbox[0].to == ["jan@example.org"]
    assert mailoutbox[0].subject == "We hebben uw aanvraag CASE-2026-000123 ontvangen"
    page = client.get(URL).content.decode()
    assert 'value="jan@example.org"' in page and 'value="email" checked' in page


def test_a_bad_email_and_phone_are_refused_with_an_error_summary_and_nothing_changes(client, db):
    resident = _logged_in(client)
    preference_set(personal_number=resident, email="old@example.org", by_email=True)
    response = client.post(
        URL,
        {"channels": ["email", "sms"], "email": "jan@", "phone": "12ab", "language": "en"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: How you hear of new messages – Civic</title>" in page
    assert "There is a problem" in page
    assert (
        '<a href="#id_email">Enter an email address in the correct format, like name@example.com.</a>'
        in page
    )
    assert '<a href="#id_phone">Enter a mobile phone number, like 06 12345678' in page
    kept = preference_get(personal_number=resident)
    assert (kept.email, kept.by_email, kept.by_sms) == ("old@example.org", True, False)


def test_choosing_a_channel_without_its_address_is_refused(client, db):
    _logged_in(client)
    page = client.post(URL, {"channels": ["email", "sms"], "language": "en"}).content.decode()
    assert '<a href="#id_email">Enter your email address, or do not choose email.</a>' in page
    assert (
        '<a href="#id_phone">Enter your mobile phone number, or do not choose text message.</a>'
        in page
    )


def test_a_missing_language_links_to_the_first_choice(client, db):
    resident = _logged_in(client)
    page = client.post(URL, {"email": "", "phone": ""}).content.decode()
    assert '<a href="#id_language_0">Choose the language of your messages.</a>' in page
    assert preference_get(personal_number=resident) is None


def test_the_page_works_in_dutch(client, db):
    _logged_in(client)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert '<html lang="nl"' in response.content.decode()

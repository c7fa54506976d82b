"""One language at a time: a Dutch resident whose cases are handled in English (staff working in
English, the rules run from an English request) reads every page, timeline entry, inbox message
and e-mail about them in Dutch, and an English resident reads the same in English.

The check is a pseudo-locale one: every English text Civic could show (each translated msgid of
the .po file, the English side of every {"en", "nl"} text of the case types, workflow and
message templates), cut at its placeholders, must not appear in what the Dutch resident reads."""

from __future__ import annotations

import datetime as dt
import gettext
import html
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

import civic
from civic.cases.models import Case, CaseType
from civic.cases.services import (
    case_decide,
    case_message_send,
    case_transition,
    information_answer,
    information_request,
    objection_file,
)
from civic.core import clock
from civic.identity import services as identity
from civic.identity.models import Role
from civic.notify.models import Message, Template
from civic.notify.services import preference_set
from tests.builders import create_staff
from tests.cases.builders import a_submitted_application
from tests.decisions.builders import a_school_clothing_application, households_with_school_children

pytestmark = pytest.mark.django_db
LOCALE = Path(civic.__file__).parent / "locale"

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|\{\w*\}|\n")


def _fragments(english: str, dutch: str) -> set[str]:
    """The parts of an English text between its placeholders that say something (two words
    or more) and are not the same in Dutch."""
    parts = (part.strip(" .,:;()–-\"'“”") for part in _PLACEHOLDER.split(english))
    return {part for part in parts if len(part.split()) >= 2 and part not in dutch}


def _english_texts() -> set[str]:
    found: set[str] = set()
    # Civic's own catalogue (Django's admin strings are never shown to residents).
    with open(LOCALE / "nl" / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, str) and msgid and msgstr and msgstr != msgid:
            found |= _fragments(msgid, msgstr)

    def both(value):
        if isinstance(value, dict):
            if set(value) == {"en", "nl"} and all(isinstance(v, str) for v in value.values()):
                found.update(_fragments(value["en"], value["nl"]))
                if value["en"] != value["nl"] and len(value["en"]) > 3:
                    found.add(value["en"])
            for item in value.values():
                both(item)
        elif isinstance(value, list):
            for item in value:
                both(item)

    for case_type in CaseType.objects.all():
        both([case_type.name, case_type.workflow, case_type.decision_templates])
    for template in Template.objects.all():
        both([template.subject, template.body])
    return {text for text in found if len(text) >= 8}


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _journeys(resident: str, caseworker) -> list[Case]:
    """A parking permit handled by a caseworker, from the first look to an objection; a school
    clothing grant the rules decide; all of it caused in English."""
    translation.activate("en")
    case = Case.objects.get(submission=a_submitted_application(applicant=resident))
    case = case_transition(
        case=case, user=caseworker, transition="start_review", expected_version=case.version
    )
    information_request(
        case=case,
        user=caseworker,
        question="Stuur ons het kentekenbewijs.",
        answer_due=clock.today() + dt.timedelta(days=14),
        expected_version=case.version,
    )
    information_answer(
        request_id=case.information_requests.get().pk,
        personal_number=resident,
        answer="Het kentekenbewijs zit erbij.",
    )
    case.refresh_from_db()
    case_message_send(case=case, user=caseworker, text="Dank u, we kijken ernaar.")
    case_decide(
        case=case,
        user=caseworker,
        outcome="refused",
        template="refused-area",
        reasons="",
        expected_version=case.version,
    )
    objection = objection_file(
        case=Case.objects.get(pk=case.pk),
        personal_number=resident,
        reasons="Ik woon wel in het gebied.",
    )
    by_rules = a_school_clothing_application(resident)
    assert by_rules.decision.automated
    return [case, objection, by_rules]


def _what_they_read(client, resident: str, language: str, cases: list[Case]) -> dict[str, str]:
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    client.cookies["django_language"] = language
    read = {f"page {c.reference}": client.get(f"/my/cases/{c.reference}/") for c in cases}
    read["inbox"] = client.get("/my/inbox/")
    read |= {f"message {m.pk}": client.get(f"/my/inbox/{m.pk}/") for m in _messages(resident)}
    for name, response in list(read.items()):
        assert response.status_code == 200, name
        read[name] = _text(response.content.decode())
    return read


def _messages(resident: str) -> list[Message]:
    return list(Message.objects.filter(recipient=resident).order_by("pk"))


@pytest.fixture
def applicant(jurisdiction):
    households = households_with_school_children()
    return next(a for a, income, known in households if known and income < 20_000)


def test_a_dutch_resident_reads_no_english_on_any_page_message_or_email(
    client, applicant, mailoutbox, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DELIVERY = "inline"
    settings.OUTBOX_DIR = tmp_path / "outbox"
    preference_set(personal_number=applicant, email="an@example.org", by_email=True, language="nl")
    caseworker = create_staff(
        roles=[Role.CASEWORKER], agency=CaseType.objects.get(code="parking-permit").agency
    )
    with django_capture_on_commit_callbacks(execute=True):
        cases = _journeys(applicant, caseworker)
    english = _english_texts()
    assert "Being reviewed" in english and "Objection filed" in english  # the check can see

    read = _what_they_read(client, applicant, "nl", cases)
    for message in _messages(applicant):
        read[f"stored message {message.subject}"] = f"{message.subject} {message.body}"
    assert mailoutbox, "the resident chose e-mail"
    for mail in mailoutbox:
        read[f"e-mail {mail.subject}"] = f"{mail.subject} {mail.body}"
    shown = {(name, text) for name, content in read.items() for text in english if text in content}
    assert not shown, sorted(shown)
    page = read[f"page {cases[0].reference}"]
    assert "Gemeente Havenstad" in page and "Bezwaar gemaakt" in page
    assert "afgewezen" in page.lower()
    assert "Ik woon wel in het gebied." in read[f"page {cases[1].reference}"]  # her own words


def test_the_same_cases_read_in_english_by_an_english_reader(client, applicant):
    """The texts are stored in every language, not in Dutch: the same cases, read with English
    chosen, show English."""
    caseworker = create_staff(
        roles=[Role.CASEWORKER], agency=CaseType.objects.get(code="parking-permit").agency
    )
    preference_set(personal_number=applicant, language="nl")
    cases = _journeys(applicant, caseworker)
    read = _what_they_read(client, applicant, "en", cases)
    page = read[f"page {cases[0].reference}"]
    # Her messages were written when she had Dutch chosen; read on an English page, they are
    # English (messages are kept in every language, as the timeline is).
    messages = _messages(applicant)
    assert messages and all(m.language == "nl" for m in messages)
    for message in messages:
        shown = read[f"message {message.pk}"]
        assert message.texts["en"]["subject"] in shown and message.subject not in shown
        assert message.texts["en"]["subject"] in read["inbox"]
    assert "Municipality of Havenstad" in page and "Objection filed" in page
    assert "Gemeente Havenstad" not in page and "Bezwaar gemaakt" not in page
    decided = Case.objects.get(pk=cases[0].pk).decision
    assert set(decided.reasons_texts) == {"en", "nl"}
    assert decided.reasons_texts["en"] != decided.reasons_texts["nl"]
    assert json.dumps(decided.reasons_texts)

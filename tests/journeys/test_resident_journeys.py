"""A resident's journeys of issue 15, in Chromium: acting for a child (1), resuming an
application (2), each question's own error message (3), answering a request for information with
a file (4), the receipt PDF's local time (6), who used my data in plain words (7), one date and
money format per language (8), logging in to one's own page and the objection's wording (9)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest

from tests.journeys.conftest import (
    DASHED_DATE,
    ISO_DATE,
    button_in,
    click,
    css,
    go,
    language,
    log_in,
    own_data_purpose,
    resident,
    send,
    text,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _in_review(reference: str):
    """The case of ``reference`` taken into review by a caseworker of its agency."""
    from civic.cases.models import Case
    from civic.cases.services import case_transition
    from tests.builders import create_staff

    case = Case.objects.get(reference=reference)
    caseworker = create_staff(roles=["caseworker"], agency=case.agency)
    case = case_transition(
        case=case, user=caseworker, transition="start_review", expected_version=case.version
    )
    return case, caseworker


# 1 -------------------------------------------------------------------------------------------


def test_a_parent_finds_acting_for_their_child_by_name_and_reads_the_childs_inbox(
    browser, settings
):
    from civic.core import clock
    from civic.notify.models import Message
    from tests.portal.test_acting_for_someone import _full_name, a_parent_with_a_minor_child

    own_data_purpose(settings)
    parent, child = a_parent_with_a_minor_child()
    name = _full_name(child)
    for recipient, subject in ((parent, "For the parent"), (child, "For the child")):
        Message.objects.create(
            recipient=recipient,
            subject=subject,
            body="…",
            template_code="test",
            language="en",
            created_at=clock.now(),
        )
    log_in(browser, resident(parent))
    go(browser, "/my/")
    click(browser, css(browser, "main a[href='/my/representation/']"))
    page = text(browser)
    assert name in page and f"{child[:3]}***" not in page
    click(browser, button_in(browser, f"form:has(input[name=person][value='{child}'])"))
    banner = css(browser, "[aria-labelledby=acting-title]").text
    assert f"You are acting for {name}." in banner and "***" not in banner
    click(browser, css(browser, "a[href='/my/inbox/']"))
    inbox = text(browser)
    assert "For the child" in inbox and "For the parent" not in inbox


# 2 -------------------------------------------------------------------------------------------


def test_resuming_a_saved_application_opens_the_next_step(browser, settings):
    from tests.builders import a_registered_resident

    own_data_purpose(settings)
    number = a_registered_resident()
    log_in(browser, resident(number))
    go(browser, "/my/apply/parking-permit/")
    assert browser.current_url.endswith("/my/apply/parking-permit/about_you/")
    click(browser, css(browser, "main form button.govuk-button[name=action][value=continue]"))
    assert browser.current_url.endswith("/car/")
    # Another day, another device: log in again and open the application.
    log_in(browser, resident(number))
    go(browser, "/my/apply/parking-permit/")
    assert browser.current_url.endswith("/my/apply/parking-permit/car/"), browser.current_url
    assert "Your car" in text(browser)


# 3 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        (
            "en",
            [
                "Enter the licence plate of the car.",
                "Select whose car it is.",
                "Enter the day you need the permit from.",
            ],
        ),
        (
            "nl",
            [
                "Vul het kenteken van de auto in.",
                "Kies van wie de auto is.",
                "Vul de dag in vanaf wanneer u de vergunning nodig hebt.",
            ],
        ),
    ],
)
def test_each_question_has_its_own_error_message(browser, settings, lang, messages):
    from tests.builders import a_registered_resident

    own_data_purpose(settings)
    log_in(browser, resident(a_registered_resident()), lang=lang)
    go(browser, "/my/apply/parking-permit/")
    click(browser, css(browser, "main form button.govuk-button[name=action][value=continue]"))
    assert browser.current_url.endswith("/car/")
    click(browser, css(browser, "main form button.govuk-button[name=action][value=continue]"))
    summary = css(browser, ".govuk-error-summary").text
    for message in messages:
        assert message in summary
    # Each message is also next to its question, and none is built from the question's text.
    inline = [e.text for e in browser.find_elements("css selector", ".govuk-error-message")]
    assert len(inline) == len(messages)
    assert not [m for m in inline if "?." in m or "?" in m]


# 4 -------------------------------------------------------------------------------------------


def test_a_caseworker_asks_for_a_document_and_the_resident_answers_with_a_file(
    browser, settings, tmp_path
):
    from civic.cases.models import Case
    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application
    from tests.notify.builders import PDF

    settings.MEDIA_ROOT = tmp_path / "media"
    number = a_registered_resident()
    reference = a_submitted_application(applicant=number).reference
    _case, caseworker = _in_review(reference)

    log_in(browser, caseworker)
    go(browser, f"/staff/cases/{reference}/")
    information = "form:has(input[name=action][value=information])"
    css(browser, "details:has(input[name=action][value=information]) summary").click()
    css(browser, f"{information} textarea").send_keys("Send us the car's registration papers.")
    due = css(browser, f"{information} input[type=text], {information} input[type=date]")
    due.send_keys((dt.date.today() + dt.timedelta(days=14)).isoformat())
    click(browser, button_in(browser, information))
    assert Case.objects.get(reference=reference).information_requests.count() == 1

    papers = tmp_path / "registration.pdf"
    papers.write_bytes(PDF)
    log_in(browser, resident(number))
    go(browser, f"/my/cases/{reference}/")
    assert "Send us the car's registration papers." in text(browser)
    answer = "form:has(input[name=action][value=answer])"
    css(browser, f"{answer} textarea").send_keys("Here are the papers.")
    css(browser, f"{answer} input[type=file]").send_keys(str(papers))
    click(browser, button_in(browser, answer))
    assert "govuk-error-summary" not in browser.page_source

    log_in(browser, caseworker)
    go(browser, f"/staff/cases/{reference}/")
    page = text(browser)
    assert "Here are the papers." in page and "registration.pdf" in page


# 6 -------------------------------------------------------------------------------------------


def test_the_receipt_pdf_says_the_same_local_time_as_the_inbox(browser, settings, tmp_path):
    import pypdf

    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TIME_ZONE = "Europe/Amsterdam"
    number = a_registered_resident()
    a_submitted_application(applicant=number)
    log_in(browser, resident(number))
    go(browser, "/my/inbox/")
    click(browser, css(browser, "main table a.govuk-link"))
    received = re.search(r"Received\s+(.+)", text(browser)).group(1).strip()
    link = css(browser, "a[download]").get_attribute("href")
    encoded = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {"
        " let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); done(btoa(s)); });",
        link,
    )
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(encoded)))
    words = " ".join(pdf.pages[0].extract_text().split())
    assert f"Sent on {received}" in words, (received, words[:300])


# 7 -------------------------------------------------------------------------------------------


def test_who_used_my_data_names_what_was_read_in_plain_words(browser, settings):
    from tests.builders import a_registered_resident

    own_data_purpose(settings)
    log_in(browser, resident(a_registered_resident()))
    go(browser, "/my/")  # reading their own data is itself a use, shown on the tracker
    click(browser, css(browser, "main a[href='/my/data-use/']"))
    page = text(browser)
    assert "Date of birth" in page
    assert not re.search(r"\b(identity|parentage|residence|partnership)\.[a-z_]+", page), page


# 8 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "month"),
    [
        (
            "en",
            r"(January|February|March|April|May|June|July|August|September|October|November|December)",
        ),
        (
            "nl",
            r"(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)",
        ),
    ],
)
def test_dates_and_amounts_are_written_one_way_per_language(browser, settings, lang, month):
    from civic.notify.services import preference_set
    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application

    own_data_purpose(settings)
    number = a_registered_resident()
    preference_set(personal_number=number, language=lang)
    reference = a_submitted_application(applicant=number).reference
    _case, caseworker = _in_review(reference)
    log_in(browser, resident(number), lang=lang)
    for path in (
        "/my/",
        f"/my/cases/{reference}/",
        "/my/inbox/",
        "/my/apply/parking-permit/about_you/",
    ):
        go(browser, path)
        page = text(browser)
        assert not ISO_DATE.search(page) and not DASHED_DATE.search(page), (path, page)
        assert "EUR" not in page and "(ren)" not in page, path
        # Amounts: "€10,350" in English, "€ 10.350" in Dutch, never the other way on one page.
        other_way = r"€ \d" if lang == "en" else r"€\d|€ \d{1,3},\d{3}\b"
        assert not re.search(other_way, page), (path, re.search(other_way, page))
        assert re.search(rf"\b\d{{1,2}} {month} \d{{4}}\b", page), path
    go(browser, "/my/")
    assert "€" in text(browser), "the resident's income, as amounts"
    click(browser, css(browser, "main a[href^='/my/inbox/'][href$='/']:not([href='/my/inbox/'])"))
    assert not ISO_DATE.search(text(browser))
    log_in(browser, caseworker, lang=lang)
    go(browser, "/staff/cases/backlog/")
    assert not ISO_DATE.search(text(browser))
    go(browser, f"/staff/cases/{reference}/")
    assert not ISO_DATE.search(text(browser)) and not DASHED_DATE.search(text(browser))


# 9 -------------------------------------------------------------------------------------------


def test_a_resident_logs_in_with_a_code_and_lands_on_their_own_page(browser, mailoutbox):
    from tests.builders import a_registered_resident
    from tests.identity.builders import code_in

    language(browser, "en")
    go(browser, "/")
    home = text(browser)
    assert css(browser, "main form input[name=q]")  # the finder, on the home page
    figures = re.search(r"Residents\s+([\d,]+)", home).group(1)
    assert "," in figures, f"{figures} has no thousands separator"
    go(browser, "/login/code/request/")
    send(browser, {"personal_number": a_registered_resident()})
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(browser, 15).until(lambda _b: mailoutbox)
    send(browser, {"code": code_in(mailoutbox[-1])})
    assert browser.current_url == browser.url + "/my/", browser.current_url


def test_an_objection_filed_on_the_case_page_says_you_objected(browser, settings):
    from civic.cases.models import Case
    from civic.cases.services import case_decide
    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application

    own_data_purpose(settings)
    number = a_registered_resident()
    reference = a_submitted_application(applicant=number).reference
    case, caseworker = _in_review(reference)
    case_decide(
        case=case,
        user=caseworker,
        outcome="refused",
        template="refused-area",
        reasons="Your street is in zone C.",
        expected_version=case.version,
    )
    log_in(browser, resident(number))
    go(browser, f"/my/cases/{reference}/")
    objection = "form:has(input[name=action][value=objection])"
    css(browser, f"{objection} textarea").send_keys("My street is in zone B.")
    click(browser, button_in(browser, objection))
    filed = Case.objects.get(objects_to__reference=reference)
    assert browser.current_url.endswith(f"/my/cases/{filed.reference}/")
    page = text(browser)
    assert "You objected" in page and "You applied" not in page


# One language at a time ------------------------------------------------------------------------


def test_a_dutch_resident_clicking_through_their_pages_reads_no_english(
    browser, settings, mailoutbox
):
    """The cases of tests/portal/test_one_language.py (handled by staff working in English, an
    objection, a decision by the rules), read in Chromium by a resident with Dutch chosen, who
    follows the links from their own page: no English text Civic could show appears."""
    from civic.cases.models import CaseType
    from civic.identity.models import Role
    from civic.notify.services import preference_set
    from tests.builders import create_staff
    from tests.decisions.builders import households_with_school_children
    from tests.portal.test_one_language import _english_texts, _journeys

    own_data_purpose(settings)
    applicant = next(
        a for a, income, known in households_with_school_children() if known and income < 20_000
    )
    preference_set(personal_number=applicant, email="an@example.org", by_email=True, language="nl")
    caseworker = create_staff(
        roles=[Role.CASEWORKER], agency=CaseType.objects.get(code="parking-permit").agency
    )
    cases = _journeys(applicant, caseworker)
    english = _english_texts()
    log_in(browser, resident(applicant), lang="nl")
    go(browser, "/my/")
    read = {"/my/": text(browser)}
    links = [
        a.get_attribute("href")
        for a in browser.find_elements("css selector", "main a[href^='/my/'], main a[href*='/my/']")
    ]
    for case in cases:
        links.append(browser.url + f"/my/cases/{case.reference}/")
    go(browser, "/my/inbox/")
    links += [
        a.get_attribute("href") for a in browser.find_elements("css selector", "main table a")
    ]
    for link in dict.fromkeys(links):
        if "/attachment/" in link or link.endswith(".pdf") or "/apply/" in link:
            continue
        browser.get(link)
        assert browser.find_element("tag name", "html").get_attribute("lang") == "nl", link
        read[link] = text(browser)
    assert len(read) >= 8, sorted(read)
    shown = sorted({(where, e) for where, page in read.items() for e in english if e in page})
    assert not shown, shown

"""The finder as residents meet it: the questions the front door failed on find their service,
the answer names the life event and the guided questions that fit, nothing found still leads
somewhere (the life events and a person to ask), and its accuracy on questions written by
someone who had not seen the catalogue."""

from __future__ import annotations

import re

import pytest

from civic.catalog.evaluation import evaluate, queries_load
from civic.catalog.selectors import services_find


def first(query: str) -> str | None:
    found = services_find(query=query, limit=3)
    return found[0][0].code if found else None


def top3(query: str) -> list[str]:
    return [service.code for service, _score in services_find(query=query, limit=3)]


@pytest.mark.parametrize(
    ("query", "service"),
    [
        ("i disagree with the decision on my application", "object-to-a-decision"),
        ("bezwaar maken tegen een besluit", "object-to-a-decision"),
        ("divorce", "divorce-or-end-partnership"),
        ("scheiden", "divorce-or-end-partnership"),
        ("we are getting married", "register-marriage-or-partnership"),
        ("chlid benifit", "child-benefit"),
        ("mijn kind heeft hulp nodig", "youth-care"),
    ],
)
def test_the_questions_the_finder_failed_on_find_their_service_first(db, query, service):
    assert first(query) == service


def test_lost_my_job_finds_job_loss_help_not_documents_you_lose(db):
    found = top3("lost my job")
    assert found[0] == "unemployment-benefit"
    assert "driving-licence-renewal" not in found and "passport" not in found


def page_text(page: str) -> str:
    main = page[page.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_answer_shows_the_life_event_and_the_guided_questions_that_fit(client, db):
    page = client.get("/services/search/", {"q": "lost my job"}).content.decode()
    assert 'href="/services/life-events/losing-your-job/"' in page
    assert 'href="/services/guide/lost-my-job/"' in page
    assert "Everything for this life event: Losing your job" in page_text(page)
    dutch = client.get(
        "/services/search/", {"q": "oma is gestorven"}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert 'href="/services/life-events/death-in-the-family/"' in dutch
    assert 'href="/services/guide/someone-died/"' in dutch
    assert "Alles voor deze levensgebeurtenis: Als iemand overlijdt" in page_text(dutch)


def test_every_answer_offers_a_person_to_ask(client, db):
    page = client.get("/services/search/", {"q": "divorce"}).content.decode()
    assert 'href="/services/divorce-or-end-partnership/"' in page
    assert 'href="/services/contact-the-municipality/"' in page
    contact = client.get("/services/contact-the-municipality/").content.decode()
    assert "14 099" in contact


@pytest.mark.parametrize("language", ["en", "nl"])
def test_when_nothing_fits_the_life_events_and_a_person_to_ask_are_offered(client, db, language):
    page = client.get(
        "/services/search/", {"q": "qqqzzzx"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    text = page_text(page)
    expected = {
        "en": ("We found no service for that", "Ask a person"),
        "nl": ("Wij hebben hiervoor geen dienst gevonden", "Vraag het een medewerker"),
    }[language]
    for words in expected:
        assert words in text
    assert len(re.findall(r'href="/services/life-events/[a-z0-9-]+/"', page)) == 12
    assert 'href="/services/contact-the-municipality/"' in page


def test_without_a_contact_service_nothing_points_to_a_missing_page(client, db, settings):
    settings.CATALOG_CONTACT_SERVICE = "no-such-service"
    page = client.get("/services/search/", {"q": "qqqzzzx"}).content.decode()
    assert "Ask a person" not in page and "no-such-service" not in page


@pytest.mark.parametrize("language", ["en", "nl"])
def test_residents_questions_written_without_the_catalogue_find_their_service(db, language):
    """The goal, top-3 95% and top-1 85% in each language (docs/catalogue.md has the figures).
    The set itself is never edited; search words were added once for its last misses (issue 15),
    so it is no longer strictly held out."""
    queries = [q for q in queries_load("residents") if q["language"] == language]
    assert len(queries) >= 60
    result = evaluate(queries, top3)["overall"]
    assert result.top3 / result.queries >= 0.95, result.misses
    assert result.top1 / result.queries >= 0.85, result.misses

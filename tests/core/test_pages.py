"""The frame every page shares: styles that load, a skip link, the language switch, errors."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders


def test_the_stylesheet_every_page_links_to_is_found(client, db):
    page = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="/static/([^"]+)"', page).group(1)
    assert finders.find(href), f"{href} is linked from the pages but no static file has that name"


@pytest.mark.parametrize(
    "path", ["/", "/registers/", "/login/", "/login/code/request/", "/staff/login/"]
)
def test_every_page_has_a_skip_link_one_h1_and_a_language_switch(client, db, path):
    page = client.get(path).content.decode()
    assert '<a href="#main-content" class="govuk-skip-link"' in page and 'id="main-content"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert 'action="/i18n/setlang/"' in page


def test_choosing_dutch_is_remembered_and_the_page_comes_back_in_dutch(client, db):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/registers/"})
    assert response.status_code == 302 and response["Location"] == "/registers/"
    page = client.get("/registers/").content.decode()
    assert '<html lang="nl" class="govuk-template">' in page and "Registercatalogus" in page


def test_an_unknown_page_is_a_translated_404_with_a_way_home(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in page and 'href="/"' in page


def test_the_health_endpoint_answers_after_a_database_round_trip(client, db):
    assert client.get("/health").json() == {"status": "ok"}


def test_a_field_in_error_is_described_by_its_hint_and_its_error_message(client, db):
    page = client.post("/login/code/request/", {"personal_number": "123"}).content.decode()
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert 'aria-describedby="id_personal_number-hint id_personal_number-error"' in page
    assert '<a href="#id_personal_number">' in page  # the error summary links to the field
    assert "<title>Error: " in page


def test_a_logged_in_residents_language_follows_them_to_a_new_device(client, db, mailoutbox):
    from django.test import Client

    from tests.builders import a_registered_resident
    from tests.identity.builders import ask_for_a_code, code_in, enter_code

    number = a_registered_resident()
    ask_for_a_code(client, number)
    enter_code(client, code_in(mailoutbox[-1]))
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    elsewhere = Client()
    ask_for_a_code(elsewhere, number)
    response = enter_code(elsewhere, code_in(mailoutbox[-1]))
    assert response.cookies["django_language"].value == "nl"
    assert '<html lang="nl"' in elsewhere.get("/").content.decode()


def test_a_form_sent_without_its_security_token_gets_a_translated_page_and_changes_nothing(db):
    from django.test import Client

    from civic.identity.models import OneTimeCode

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/login/code/request/", {"personal_number": "111222333"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 403
    assert (
        "Uw formulier kon niet worden verstuurd" in response.content.decode()
        or "Your form could not be sent" in response.content.decode()
    )
    assert not OneTimeCode.objects.exists()


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client, db):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_the_header_offers_the_other_language_inside_the_banner_landmark(client, db):
    page = client.get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert 'action="/i18n/setlang/"' in header
    assert 'name="language" value="nl" lang="nl">Nederlands</button>' in header
    assert 'value="en"' not in header, "the language being read is not offered again"


def test_api_answers_are_not_compressed(client, db):
    response = client.get("/api/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and "Content-Encoding" not in response

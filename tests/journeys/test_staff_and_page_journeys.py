"""Issue 15's journeys of caseworkers and of every page, in Chromium: the queue in staff words,
its overdue count obeying the filter and objections with a team (5); a 375 px phone (10); the
footer's targets and the language switch inside a landmark (11); Civic's own 404 and 500 pages
in both languages with DEBUG off (12); pages sent compressed (13)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.journeys.conftest import click, css, go, language, log_in, text

pytestmark = pytest.mark.django_db(transaction=True)


def _caseworker():
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff

    return create_staff(roles=["caseworker", "service_owner"], agency=agency_get(code="havenstad"))


def _case_in_review(caseworker):
    """A parking permit application a caseworker took into review."""
    from civic.cases.models import Case
    from civic.cases.services import case_transition
    from tests.builders import a_registered_resident
    from tests.cases.builders import a_submitted_application

    reference = a_submitted_application(applicant=a_registered_resident()).reference
    case = Case.objects.get(reference=reference)
    return case_transition(
        case=case, user=caseworker, transition="start_review", expected_version=case.version
    )


def _waiting_case(caseworker):
    """A parking permit application in review with a question to the resident: it waits."""
    from civic.cases.models import Case
    from civic.cases.services import information_request
    from civic.core import clock

    case = _case_in_review(caseworker)
    information_request(
        case=case,
        user=caseworker,
        question="Send us the registration papers.",
        answer_due=clock.today() + dt.timedelta(days=14),
        expected_version=case.version,
    )
    return Case.objects.get(pk=case.pk)


def _phone(browser) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
    )


def _page_width(browser) -> int:
    return browser.execute_script("return document.documentElement.scrollWidth")


# 5 -------------------------------------------------------------------------------------------


def test_the_queue_speaks_to_staff_counts_overdue_within_the_filter_and_objections_have_a_team(
    browser,
):
    from civic.cases.models import Case
    from civic.cases.services import case_decide, objection_file

    caseworker = _caseworker()
    waiting = _waiting_case(caseworker)
    late = _case_in_review(caseworker)
    Case.objects.filter(pk=late.pk).update(deadline=dt.date.today() - dt.timedelta(days=3))
    log_in(browser, caseworker)
    go(browser, "/staff/cases/")
    queue = text(browser)
    assert "Waiting for the applicant's information" in queue or (
        "Waiting for the applicant’s information" in queue
    )
    assert "Waiting for your information" not in queue

    # Filter to the case's team, then follow the overdue count: both filters stay.
    go(browser, f"/staff/cases/?team={late.team.replace(' ', '+')}")
    overdue = browser.find_element("partial link text", "past its deadline")
    assert overdue.text.startswith("1 ")
    click(browser, overdue)
    assert "overdue=1" in browser.current_url and "team=" in browser.current_url
    shown = text(browser)
    assert late.reference in shown and waiting.reference not in shown
    other = next(t for t in ("Legal affairs", "Local taxes") if t != late.team)
    go(browser, f"/staff/cases/?team={other.replace(' ', '+')}")
    assert "past its deadline" not in text(browser)

    # An objection goes to the team that handles them, and the queue shows it there.
    case = Case.objects.get(pk=late.pk)
    decided = case_decide(
        case=case,
        user=caseworker,
        outcome="refused",
        template="refused-area",
        reasons="",
        expected_version=case.version,
    )
    objection = objection_file(
        case=decided.case, personal_number=case.applicant, reasons="I do live in the area."
    )
    go(browser, "/staff/cases/?team=Legal+affairs")
    assert objection.reference in text(browser)
    go(browser, f"/staff/cases/?team={late.team.replace(' ', '+')}")
    assert objection.reference not in text(browser)


# 10 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_on_a_375_px_phone_the_header_is_short_and_staff_pages_fit(browser, lang):
    caseworker = _caseworker()
    _waiting_case(caseworker)
    language(browser, lang)
    _phone(browser)
    go(browser, "/")
    header = css(browser, "header").rect
    assert header["height"] <= 812 / 4, header
    assert _page_width(browser) <= 375
    # The other language is one button in the header, not a row of its own.
    switch = css(browser, "header form[action='/i18n/setlang/'] button")
    assert switch.rect["height"] <= 48
    log_in(browser, caseworker, lang=lang)
    _phone(browser)
    for path in ("/staff/cases/", "/staff/cases/backlog/"):
        go(browser, path)
        assert _page_width(browser) <= 375, path
    # The inflow/outflow chart has a legend saying which colour is which.
    legend = css(browser, ".civic-chart-legend").text
    expected = {"en": ("Opened", "Closed"), "nl": ("Geopend", "Afgesloten")}[lang]
    assert all(word in legend for word in expected), legend


# 11 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_footer_links_are_big_enough_targets_and_the_language_switch_is_in_a_landmark(
    browser, lang
):
    language(browser, lang)
    for path in ("/", "/services/", "/login/"):
        go(browser, path)
        links = browser.find_elements("css selector", "footer a")
        assert links
        for link in links:
            rect = link.rect
            assert rect["height"] >= 24 or rect["width"] >= 24, (path, link.text, rect)
        landmark = browser.execute_script(
            "const b = document.querySelector(\"form[action='/i18n/setlang/'] button\");"
            "const l = b.closest('header, nav, main, footer, aside, [role]');"
            "return l ? (l.getAttribute('role') || l.tagName.toLowerCase()) : null;"
        )
        assert landmark in {"header", "nav", "banner", "navigation", "main", "footer"}, landmark


# 12 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "not_found", "problem"),
    [
        ("en", "Page not found", "Sorry, there is a problem with the service"),
        ("nl", "Pagina niet gevonden", "Sorry, er is een probleem met de dienst"),
    ],
)
def test_unknown_pages_and_failures_get_civics_own_pages_in_the_readers_language(
    browser, settings, lang, not_found, problem
):
    from unittest import mock

    assert settings.DEBUG is False
    language(browser, lang)
    go(browser, "/no-such-page/")
    assert css(browser, "h1").text == not_found
    assert browser.find_element("tag name", "html").get_attribute("lang") == lang
    assert "URLconf" not in browser.page_source and "Traceback" not in browser.page_source
    assert "/services/" in browser.page_source  # a way on
    with mock.patch("civic.views.exchange.jurisdiction_get", side_effect=RuntimeError):
        go(browser, "/")
    assert css(browser, "h1").text == problem
    assert browser.find_element("tag name", "html").get_attribute("lang") == lang
    assert "Traceback" not in browser.page_source and "RuntimeError" not in browser.page_source


# 13 ------------------------------------------------------------------------------------------


def test_pages_reach_the_browser_compressed(browser):
    """Chromium asks for gzip; the page it gets was sent compressed (fewer bytes on the wire
    than in the page). Hashed static files with a year's cache need collected files, which a
    test server does not serve: tests/production checks those against the real server."""
    language(browser, "en")
    go(browser, "/services/")
    encoding = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(location.href).then(r => done(r.headers.get('content-encoding')));"
    )
    assert encoding == "gzip"
    sizes = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return [n.encodedBodySize, n.decodedBodySize];"
    )
    assert 0 < sizes[0] < sizes[1] / 2, sizes

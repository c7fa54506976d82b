"""The catalogue pages checked by axe-core against WCAG 2.2 AA in both languages, as
tests/accessibility checks every page (which lists them too); here on their own, so a change to
them is checked without running the whole walk."""

from __future__ import annotations

import pytest

from tests.accessibility.test_axe import _violations
from tests.accessibility.test_axe import browser as browser
from tests.opendata.builders import catalogue_published

pytestmark = pytest.mark.engine_independent

PAGES = ["/data/", "/data/?q=qqqzzz&page=abc", "/data/?theme=SOCI", "/data/households-by-size/"]


def test_the_catalogue_pages_meet_wcag_2_2_aa(committed_data, live_server, browser, settings):
    catalogue_published()
    problems = []
    for language in ("en", "nl"):
        browser.get(live_server.url + "/health")
        browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
        for path in PAGES:
            problems += _violations(browser, live_server.url + path)
            assert browser.find_element("tag name", "html").get_attribute("lang") == language
    assert problems == []

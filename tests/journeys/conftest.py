"""Browser tests of the journeys issue 15 named: headless Debian Chromium driven with Selenium
through the real pages, clicking, typing and sending as a resident or caseworker would.

One Chromium per test module (starting it takes about a second); each test gets the test
jurisdiction afresh (``committed_data``) because the live server sees only committed data.
The driver and logging in reuse tests/accessibility/test_axe.py's."""

from __future__ import annotations

import re

import pytest

from tests import browser as browsers
from tests.browser import chromium_start, require_browser, send

__all__ = ["send"]

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DASHED_DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


@pytest.fixture(scope="module")
def chromium():
    require_browser()
    driver = chromium_start()
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, committed_data, live_server, settings):
    """The module's Chromium, with no cookies and a desktop-sized window, and the live server's
    address as ``browser.url``."""
    chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chromium.get(live_server.url + "/health")
    chromium.delete_all_cookies()
    chromium.url = live_server.url
    yield chromium
    chromium.get(live_server.url + "/health")
    chromium.delete_all_cookies()


def go(browser, path: str) -> None:
    browser.get(browser.url + path)


def language(browser, code: str) -> None:
    from django.conf import settings

    go(browser, "/health")
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "path": "/"})


def log_in(browser, user, *, lang: str = "en", acting_for: str = "") -> None:
    """Logged in as ``user`` (a resident's or staff account) with ``lang`` chosen."""
    from types import SimpleNamespace

    browsers.log_in(browser, SimpleNamespace(url=browser.url), user, acting_for=acting_for)
    language(browser, lang)


def resident(number: str):
    from civic.identity import services as identity

    return identity.resident_account_ensure(personal_number=number)


def text(browser) -> str:
    """What the page says, as a reader sees it."""
    return browser.find_element("tag name", "body").text


def click(browser, element) -> None:
    """Click a link or button and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    old = browser.find_element("tag name", "html")
    element.click()

    def gone(_driver) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, 15).until(gone)


def css(browser, selector: str):
    return browser.find_element("css selector", selector)


def button_in(browser, form_selector: str):
    return css(browser, f"{form_selector} button[type=submit]")


def own_data_purpose(settings) -> None:
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)

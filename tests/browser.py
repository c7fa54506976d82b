"""Headless Debian Chromium for the browser tests (the accessibility checks and the journeys):
starting a driver, logging a user in by session cookie, and sending a form as a person would."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


def require_browser(*also: str) -> None:
    """Skip (under CI: fail) when Chromium, its driver or one of the files ``also`` names is
    missing; scripts/system-packages installs the first two."""
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    missing += [path for path in also if not os.path.exists(path)]
    if missing:
        message = f"browser tests need {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def chromium_start(*, flags: tuple[str, ...] = (), network_log: bool = False):
    """A headless Chromium under Selenium; the caller quits it. ``network_log``: the DevTools
    network events (requests, responses with their headers, cache hits) in
    ``driver.get_log("performance")``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in (*CHROMIUM_FLAGS, *flags):
        options.add_argument(flag)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    return driver


def network_events(driver) -> list[dict]:
    """The DevTools network events since the last call (a driver started with ``network_log``)."""
    import json

    messages = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [m for m in messages if m["method"].startswith("Network.")]


def log_in(browser, live_server, user, acting_for: str = "") -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    if acting_for:
        session = client.session
        session["civic.portal.acting_for"] = acting_for
        session.save()
    browser.get(live_server.url + "/health")
    browser.delete_all_cookies()
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def send(browser, fields: dict[str, str]) -> None:
    """Type ``fields`` into the page as it is and send their form, waiting for the answer."""
    element = None
    for name, value in fields.items():
        element = browser.find_element("name", name)
        element.clear()
        element.send_keys(value)
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    element.find_element("xpath", "(./ancestor::form//button[@type='submit'])[last()]").click()

    def answered(_driver) -> bool:
        # The field of the old page is gone once the answer page loads. Mid-navigation
        # Chromium may say so as "node does not belong to the document" instead of "stale".
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, 15).until(answered)  # the answer page

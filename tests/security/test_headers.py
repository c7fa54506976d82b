"""What every answer tells the browser: a Content-Security-Policy without inline script, no
caching of personal data, HSTS and the HTTPS redirect, and the client's real address behind the
reverse proxy (so one attacker cannot lock a staff member out for everyone)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from civic.identity import services as identity
from tests.builders import a_registered_resident, create_staff
from tests.exchange.builders import create_purpose
from tests.staff_login import staff_log_in, with_authenticator

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.5"

PUBLIC_PAGES = ["/", "/services/", "/algorithms/", "/login/", "/staff/login/", "/api/docs"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def inline_scripts(html: str) -> list[str]:
    """Script elements that would run without a src (data blocks such as JSON-LD do not run)."""
    found = []
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        data_block = re.search(r'type="application/(ld\+)?json"', attributes)
        if "src=" not in attributes and not data_block and body.strip():
            found.append(body.strip()[:60])
    return found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_forbids_inline_script_other_hosts_and_framing(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert inline_scripts(response.text) == []


def test_the_api_documentation_loads_its_script_and_styles_from_civic_itself(client, db):
    page = client.get("/api/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle" in s for s in sources)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    asset = next(s for s in sources if "swagger-ui-bundle" in s)
    assert asset.startswith("/static/")


def test_a_page_for_a_logged_in_resident_is_never_stored_by_a_cache(client, db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    client.force_login(identity.resident_account_ensure(personal_number=a_registered_resident()))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_api_answer_is_never_stored_by_a_cache(client, db):
    response = client.get("/api/exchange/v1/allowed", HTTP_AUTHORIZATION="Basic eDp5")
    assert response.status_code == 401
    assert response["Cache-Control"] == "no-store"


def test_a_public_page_for_an_anonymous_visitor_may_be_cached(client, db):
    response = client.get("/services/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_in_production_https_is_enforced_for_a_year_and_plain_http_redirected(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/services/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get("/health").status_code == 200  # probes of the load balancer stay plain
    assert client.get("/ready").status_code in (200, 503)
    # Prometheus scrapes the web server itself, over plain HTTP inside the network; /metrics
    # keeps its own guard (allowed networks, token).
    assert client.get("/metrics").status_code == 200
    secure = client.get("/services/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def behind_the_proxy(settings) -> None:
    from civic.core import middleware

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    middleware._trusted_networks.cache_clear()


@pytest.fixture
def proxy_settings(settings):
    behind_the_proxy(settings)
    yield settings
    from civic.core import middleware

    middleware._trusted_networks.cache_clear()


def test_behind_the_trusted_proxy_https_is_believed_and_not_redirected(db, proxy_settings):
    client = Client(REMOTE_ADDR=PROXY)
    response = client.get("/services/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_from_anyone_but_the_proxy_a_claim_of_https_is_ignored(db, proxy_settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.get("/services/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


def staff_login(client: Client, username: str, password: str, forwarded_for: str):
    return client.post(
        reverse("identity:staff-login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )


def test_behind_the_proxy_an_attacker_cannot_lock_a_staff_member_out_for_everyone(
    db, proxy_settings
):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    attacker = Client(REMOTE_ADDR=PROXY)
    for _ in range(6):
        staff_login(attacker, staff.username, "wrong password!!", forwarded_for="198.51.100.7")
    locked = staff_login(attacker, staff.username, PASSWORD, forwarded_for="198.51.100.7")
    assert locked.status_code == 429

    with_authenticator(staff)
    colleague = Client(REMOTE_ADDR=PROXY)
    response = staff_log_in(
        colleague,
        staff.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.44",
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )
    assert response.status_code == 302, "the real staff member, from their own address, gets in"
    assert response["Location"] == reverse("identity:staff-home")


def test_a_forged_forwarded_for_from_outside_does_not_change_the_address_that_is_locked(
    db, proxy_settings
):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(6):
        staff_login(attacker, staff.username, "wrong password!!", forwarded_for=f"192.0.2.{n}")
    # Each attempt claimed a different address; from outside the proxy the claim is ignored, so
    # the attacker's own address is what got locked.
    assert (
        staff_login(attacker, staff.username, PASSWORD, forwarded_for="192.0.2.99").status_code
        == 429
    )


@pytest.mark.parametrize("path", ["/", "/health", "/api/exchange/v1/log/keys", "/no-such-page/"])
def test_every_answer_forbids_type_sniffing_and_keeps_its_address_from_other_sites(
    client, db, path
):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_answer_lets_a_script_of_another_origin_read_it(client, db):
    elsewhere = {"HTTP_ORIGIN": "https://elsewhere.example"}
    for path in ("/", "/services/", "/api/exchange/v1/log/keys"):
        assert "Access-Control-Allow-Origin" not in client.get(path, **elsewhere), path
    preflight = client.options(
        "/api/exchange/v1/allowed", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **elsewhere
    )
    assert "Access-Control-Allow-Origin" not in preflight


@pytest.mark.parametrize("path", ["/static/", "/static/civic/", "/media/", "/media/uploads/"])
def test_no_folder_is_listed(client, db, path):
    assert client.get(path).status_code == 404


def test_in_production_an_api_call_over_plain_http_is_refused_not_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/exchange/v1/allowed", HTTP_AUTHORIZATION="Basic eDp5")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "went in clear" in response.json()["detail"]
    assert client.get("/api/exchange/v1/allowed", secure=True).status_code == 401


def test_a_session_ends_a_fixed_time_after_login_however_busy_it_is(client, db, settings):
    import time

    from civic.identity.middleware import LOGGED_IN_AT

    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    client.force_login(staff)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 60
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]

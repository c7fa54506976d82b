"""The national eID login end to end, against a real OpenID Connect provider
(`oidc-provider-mock`, run in the test) and, for the attacks, a man in the middle that rewrites
the provider's ID token: the resident with a known personal number gets in; a stranger, a
tampered or unsigned token, a wrong state or nonce are refused with a page that says why, and
logged; none of it counts against the address's staff logins."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from axes.models import AccessAttempt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from civic.identity.models import LoginEvent
from tests.builders import a_registered_resident
from tests.identity.builders import an_unregistered_personal_number, logged_in_resident_number

START_URL = "/oidc/authenticate/"
CLIENT_ID = "civic-test"


class TokenRewriter:
    """Stands between Civic and the provider's token and JWKS endpoints; ``mode`` says what it
    does to the ID token on its way to Civic."""

    def __init__(self, provider: str):
        self.provider = provider
        self.mode = "pass"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def token(self, body: bytes, headers: dict) -> bytes:
        answer = httpx.post(f"{self.provider}/oauth2/token", content=body, headers=headers).json()
        token = answer["id_token"]
        header_b64, payload_b64, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=="))
        if self.mode == "tamper":
            claims["personal_number"] = self.other_number
            answer["id_token"] = f"{header_b64}.{_b64(claims)}.{signature}"
        elif self.mode == "alg-none":
            answer["id_token"] = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload_b64}."
        elif self.mode in {"no-kid", "wrong-nonce", "wrong-audience"}:
            if self.mode == "wrong-nonce":
                claims["nonce"] = "a-nonce-civic-never-sent"
            if self.mode == "wrong-audience":
                claims["aud"] = "someone-else"
            answer["id_token"] = jwt.encode(claims, self.key, algorithm="RS256")  # no kid
        return json.dumps(answer).encode()

    def jwks(self) -> bytes:
        if self.mode in {"no-kid", "wrong-nonce", "wrong-audience"}:
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return json.dumps({"keys": [public]}).encode()  # one key, and no kid
        return httpx.get(f"{self.provider}/jwks").content


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def rewriter(provider):
    rewriter = TokenRewriter(provider)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() in {"authorization", "content-type"}
            }
            self._answer(rewriter.token(body, headers))

        def do_GET(self):
            self._answer(rewriter.jwks())

        def _answer(self, body: bytes):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rewriter.base = f"http://127.0.0.1:{server.server_port}"
    yield rewriter
    server.shutdown()


@pytest.fixture
def eid(settings, provider, rewriter):
    """Civic configured as it is in production: the eID only, against the provider."""
    settings.RESIDENT_LOGIN_METHODS = ["oidc"]
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "civic.identity.login.contrib.oidc.backend.ResidentOIDCBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "a-client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{rewriter.base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{rewriter.base}/jwks"
    settings.OIDC_ISSUER = provider
    rewriter.mode = "pass"
    rewriter.other_number = a_registered_resident()
    return rewriter


def person_at_the_provider(provider: str, personal_number: str | None) -> str:
    sub = f"eid-{time.monotonic_ns()}"
    claims = {"personal_number": personal_number} if personal_number else {"email": "x@example.org"}
    httpx.put(f"{provider}/users/{sub}", json=claims).raise_for_status()
    return sub


def log_in_at_the_provider(client: Client, provider: str, sub: str, start: str = START_URL):
    """What the browser does: Civic sends it to the provider, the person proves who they are
    (here: picks their subject on the provider's form), the provider sends it back."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302, to_provider
    authorize = to_provider["Location"]
    assert authorize.startswith(provider)
    back = httpx.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert back.status_code == 302, back.text
    return client.get(_local(back.headers["location"]))


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_resident_logs_in_with_the_eid_and_lands_on_their_page(db, eid, provider):
    number = a_registered_resident()
    client = Client()
    response = log_in_at_the_provider(client, provider, person_at_the_provider(provider, number))
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert logged_in_resident_number(client) == number
    event = LoginEvent.objects.get(method="oidc")
    assert (event.outcome, event.personal_number_hint) == ("success", number[:3])


def test_the_flow_uses_state_nonce_and_pkce(db, eid, provider):
    to_provider = Client().get(START_URL)
    query = parse_qs(urlsplit(to_provider["Location"]).query)
    assert query["state"] and query["nonce"] and query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [CLIENT_ID] and query["scope"] == ["openid"]


def test_the_page_the_resident_was_going_to_is_where_they_land(db, eid, provider):
    number = a_registered_resident()
    client = Client()
    sub = person_at_the_provider(provider, number)
    response = log_in_at_the_provider(client, provider, sub, start=f"{START_URL}?next=/my/cases/")
    assert response["Location"] == "/my/cases/"


def test_a_next_address_on_another_site_is_ignored(db, eid, provider):
    client = Client()
    sub = person_at_the_provider(provider, a_registered_resident())
    response = log_in_at_the_provider(
        client, provider, sub, start=f"{START_URL}?{urlencode({'next': 'https://evil.example/'})}"
    )
    assert response["Location"] == "/my/"


def test_a_token_signed_without_a_key_id_is_accepted_when_the_provider_has_one_key(
    db, eid, provider
):
    eid.mode = "no-kid"
    number = a_registered_resident()
    client = Client()
    response = log_in_at_the_provider(client, provider, person_at_the_provider(provider, number))
    assert response.status_code == 302
    assert logged_in_resident_number(client) == number


def test_the_personal_number_may_come_from_the_id_token_alone(db, eid, provider, settings):
    settings.OIDC_OP_USER_ENDPOINT = ""
    number = a_registered_resident()
    client = Client()
    log_in_at_the_provider(client, provider, person_at_the_provider(provider, number))
    assert logged_in_resident_number(client) == number


def refused(response, says: str, status: int = 400) -> None:
    assert response.status_code == status, response
    assert "You are not logged in" in response.text and says in response.text


def test_a_person_the_register_does_not_know_is_told_so(db, eid, provider):
    client = Client()
    sub = person_at_the_provider(provider, an_unregistered_personal_number())
    response = log_in_at_the_provider(client, provider, sub)
    refused(response, "we could not find you as a living resident", status=403)
    assert logged_in_resident_number(client) is None
    assert LoginEvent.objects.get(method="oidc").outcome == "refused-not-registered"


def test_a_person_without_a_personal_number_is_refused(db, eid, provider):
    client = Client()
    response = log_in_at_the_provider(client, provider, person_at_the_provider(provider, None))
    refused(response, "did not give us a valid personal number")


@pytest.mark.parametrize("mode", ["tamper", "alg-none", "wrong-nonce", "wrong-audience"])
def test_a_token_that_fails_its_checks_is_refused_and_logged(db, eid, provider, mode, caplog):
    eid.mode = mode
    client = Client()
    sub = person_at_the_provider(provider, a_registered_resident())
    response = log_in_at_the_provider(client, provider, sub)
    refused(response, "could not be checked")
    assert logged_in_resident_number(client) is None
    assert LoginEvent.objects.get(method="oidc").outcome == "refused-bad-token"
    assert "eID login refused (bad-token)" in caplog.text


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(db, eid, provider):
    victim, attacker = Client(), Client()
    sub = person_at_the_provider(provider, a_registered_resident())
    # The attacker starts a login and gets a code for their own account ...
    to_provider = attacker.get(START_URL)
    back = httpx.post(to_provider["Location"], data={"sub": sub}, follow_redirects=False)
    # ... and makes the victim's browser finish it (login CSRF).
    response = victim.get(_local(back.headers["location"]))
    refused(response, "was not started in this browser")
    assert logged_in_resident_number(victim) is None


def test_a_callback_used_twice_is_refused_the_second_time(db, eid, provider):
    client = Client()
    sub = person_at_the_provider(provider, a_registered_resident())
    to_provider = client.get(START_URL)
    back = httpx.post(to_provider["Location"], data={"sub": sub}, follow_redirects=False)
    callback = _local(back.headers["location"])
    assert client.get(callback).status_code == 302
    client.post("/logout/")
    refused(client.get(callback), "was not started in this browser")


def test_a_cancelled_login_at_the_provider_says_so(db, eid, provider):
    client = Client()
    to_provider = client.get(START_URL)
    state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")
    refused(response, "was cancelled")


def test_refused_eid_logins_do_not_lock_anyone_out(db, eid, provider):
    stranger = an_unregistered_personal_number()
    for _ in range(6):
        log_in_at_the_provider(Client(), provider, person_at_the_provider(provider, stranger))
    assert AccessAttempt.objects.count() == 0
    number = a_registered_resident()
    client = Client()
    log_in_at_the_provider(client, provider, person_at_the_provider(provider, number))
    assert logged_in_resident_number(client) == number


def test_the_eid_pages_do_not_exist_when_the_eid_is_switched_off(db, settings):
    settings.RESIDENT_LOGIN_METHODS = ["onetimecode"]
    assert Client().get(START_URL).status_code == 404
    assert Client().get("/oidc/callback/?code=x&state=y").status_code == 404


def test_a_login_below_the_required_level_of_assurance_is_refused(db, eid, provider, settings):
    settings.OIDC_ACR_VALUES = ["urn:eid:loa:high", "urn:eid:loa:substantial"]
    number = a_registered_resident()
    sub = f"eid-{time.monotonic_ns()}"
    httpx.put(
        f"{provider}/users/{sub}", json={"personal_number": number, "acr": "urn:eid:loa:low"}
    ).raise_for_status()
    client = Client()
    to_provider = client.get(START_URL)
    assert parse_qs(urlsplit(to_provider["Location"]).query)["acr_values"] == [
        "urn:eid:loa:high urn:eid:loa:substantial"
    ]
    response = log_in_at_the_provider(client, provider, sub)
    refused(response, "needs a stronger or more recent login", status=403)
    assert LoginEvent.objects.get(method="oidc").outcome == "refused-weak-assurance"

    strong = f"eid-{time.monotonic_ns()}"
    httpx.put(
        f"{provider}/users/{strong}",
        json={"personal_number": number, "acr": "urn:eid:loa:substantial"},
    ).raise_for_status()
    other = Client()
    log_in_at_the_provider(other, provider, strong)
    assert logged_in_resident_number(other) == number


def test_a_login_at_the_provider_too_long_ago_is_refused(db, eid, provider, settings):
    settings.OIDC_MAX_AUTH_AGE_SECONDS = 600
    sub = f"eid-{time.monotonic_ns()}"
    an_hour_ago = int(time.time()) - 3600
    httpx.put(
        f"{provider}/users/{sub}",
        json={"personal_number": a_registered_resident(), "auth_time": an_hour_ago},
    ).raise_for_status()
    client = Client()
    assert "max_age=600" in client.get(START_URL)["Location"]
    refused(log_in_at_the_provider(client, provider, sub), "more recent login", status=403)


def test_a_switched_off_account_loses_its_eid_session(db, eid, provider):
    number = a_registered_resident()
    client = Client()
    log_in_at_the_provider(client, provider, person_at_the_provider(provider, number))
    assert logged_in_resident_number(client) == number
    from civic.identity.models import User

    User.objects.filter(resident__personal_number=number).update(is_active=False)
    assert logged_in_resident_number(client) is None

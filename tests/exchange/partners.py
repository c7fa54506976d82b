"""A partner system calling the exchange API as a test drives it, and a clock the test holds
still: every call lands in the minute (and day, and window) the test means."""

from __future__ import annotations

import base64
import datetime as dt

from civic.core import clock
from civic.identity import services as identity
from tests.exchange.builders import PERSON_FIELDS, create_partner, create_purpose

SEARCH = "/api/exchange/v1/persons/search"
QUERY = "/api/exchange/v1/persons/query"
PROBLEM_JSON = "application/problem+json"


class Clock:
    """Still unless moved. It starts early in the next minute, after whatever the test made
    (grants are valid from when they are made)."""

    def __init__(self, monkeypatch) -> None:
        self.now = clock.now().replace(second=5, microsecond=0) + dt.timedelta(minutes=1)
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def move(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


class Partner:
    """An API client of the social insurance bank with a grant for persons' fields."""

    def __init__(self) -> None:
        self.purpose = create_purpose()
        self.client, secret, self.actor = create_partner(purpose=self.purpose)
        self.credentials = basic(self.client.client_id, secret)

    def limits(self, *, per_minute: int | None = None, per_day: int | None = None) -> None:
        identity.api_client_limits_set(
            client=self.client, subjects_per_minute=per_minute, subjects_per_day=per_day
        )

    def _post(self, http, url: str, body: dict, headers: dict):
        body = {"fields": PERSON_FIELDS, "purpose": self.purpose.code, **body}
        return http.post(url, body, content_type="application/json", **self.credentials, **headers)

    def search(self, http, address: str, **headers):
        return self._post(http, SEARCH, {"address": address}, headers)

    def search_by_name(self, http, family_name: str, birth_date: str, **headers):
        body = {"family_name": family_name, "birth_date": birth_date}
        return self._post(http, SEARCH, body, headers)

    def query(self, http, subjects: list[str], **headers):
        return self._post(http, QUERY, {"subjects": subjects}, headers)

"""Limits on what the exchange releases to a partner system: subjects a minute and a day (the
client's own, or the default), and a ceiling on calls. The finding they answer: a partner made
200 searches over address identifiers in a row and got 366 residents in seconds."""

from __future__ import annotations

import uuid

import pytest

from civic.exchange import query
from civic.exchange.actors import Actor
from civic.exchange.models import AccessLogEntry
from tests.builders import a_registered_resident
from tests.conftest import require_service
from tests.exchange.builders import (
    PERSON_FIELDS,
    addresses_in_a_row,
    create_partner,
    create_purpose,
    residents_scattered,
)
from tests.exchange.partners import PROBLEM_JSON, Clock, Partner


@pytest.fixture
def still(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def partner(db) -> Partner:
    return Partner()


def _refusal(response, limit: str) -> dict:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == 429 and body["items"] == [limit]
    assert int(response["Retry-After"]) >= 1
    return body


def test_a_partner_walking_over_address_identifiers_is_stopped_at_its_limit_a_minute(
    client, partner, still
):
    released, refused = 0, []
    for address in addresses_in_a_row(200):
        logged_before = AccessLogEntry.objects.count()
        response = partner.search(client, address)
        if response.status_code == 200:
            released += len(response.json()["results"])
        else:
            refused.append(response)
            # A refused call releases nothing and writes nothing to the access log.
            assert AccessLogEntry.objects.count() == logged_before

    assert refused, "the walk was never stopped"
    assert released <= 60 < released + 20
    assert AccessLogEntry.objects.count() == released
    body = _refusal(refused[0], "subjects-per-minute")
    assert "60 subjects a minute" in body["detail"]
    assert int(refused[0]["Retry-After"]) <= 60


def test_the_refusal_names_the_limit_in_the_callers_language(client, partner, still):
    partner.limits(per_minute=20)
    assert partner.query(client, residents_scattered(20)).status_code == 200

    dutch = partner.query(client, [a_registered_resident()], HTTP_ACCEPT_LANGUAGE="nl")

    body = _refusal(dutch, "subjects-per-minute")
    assert "20 betrokkenen per minuut" in body["detail"]


def test_a_query_for_twenty_subjects_counts_twenty(client, partner, still, caplog):
    partner.limits(per_minute=30)
    twenty = residents_scattered(20)

    assert partner.query(client, twenty).status_code == 200
    refused = partner.query(client, twenty)
    ten = partner.query(client, twenty[:10])

    body = _refusal(refused, "subjects-per-minute")
    assert "30 subjects a minute" in body["detail"] and "to 40" in body["detail"]
    assert ten.status_code == 200, "the refused call counted nothing: 20 + 10 fit in 30"
    assert AccessLogEntry.objects.count() == 30
    # The refusal is a security event in the log, naming the client and the limit.
    assert f"API client {partner.client.client_id} refused: past its limit subjects-per-minute" in (
        caplog.text
    )


def test_past_the_limit_a_day_the_client_waits_for_tomorrow(client, partner, still):
    partner.limits(per_minute=25, per_day=25)
    twenty = residents_scattered(20)
    assert partner.query(client, twenty).status_code == 200
    still.move(minutes=5)

    refused = partner.query(client, twenty[:10])

    body = _refusal(refused, "subjects-per-day")
    assert "25 subjects a day" in body["detail"]
    assert 60 < int(refused["Retry-After"]) <= 24 * 3600
    assert AccessLogEntry.objects.count() == 20
    still.move(days=1)
    assert partner.query(client, twenty[:10]).status_code == 200


def test_the_next_minute_the_client_is_served_again(client, partner, still):
    partner.limits(per_minute=20)
    twenty = residents_scattered(20)
    assert partner.query(client, twenty).status_code == 200
    assert partner.query(client, twenty[:1]).status_code == 429

    still.move(minutes=1)

    assert partner.query(client, twenty).status_code == 200
    assert AccessLogEntry.objects.count() == 40


def test_searches_that_find_nobody_still_count_against_the_ceiling_on_calls(
    client, partner, still, settings
):
    settings.EXCHANGE_RATE_LIMIT = 5
    settings.EXCHANGE_SUBJECTS_PER_MINUTE = 2
    nowhere = "9999019999999999"

    codes = [partner.search(client, nowhere).status_code for _ in range(6)]

    assert codes == [200] * 5 + [429]
    body = _refusal(partner.search(client, nowhere), "calls-per-minute")
    assert "5 calls this minute" in body["detail"]
    assert not AccessLogEntry.objects.exists()


def test_a_client_with_a_higher_limit_of_its_own_may_make_that_many_calls(
    client, partner, still, settings
):
    settings.EXCHANGE_RATE_LIMIT = 3
    partner.limits(per_minute=6)
    nowhere = "9999019999999999"

    codes = [partner.search(client, nowhere).status_code for _ in range(7)]

    assert codes == [200] * 6 + [429]


def test_a_release_that_fails_counts_nothing_against_the_limit(db, still, settings, monkeypatch):
    settings.EXCHANGE_SUBJECTS_PER_MINUTE = 20
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    twenty = residents_scattered(20)

    def broken(*args, **kwargs):
        raise RuntimeError("log storage unavailable")

    with monkeypatch.context() as patch:
        patch.setattr("civic.exchange.entries.entries_insert", broken)
        with pytest.raises(RuntimeError):
            query.register_query(
                actor=actor,
                register="persons",
                subjects=twenty,
                fields=PERSON_FIELDS,
                purpose=purpose.code,
            )

    answer = query.register_query(
        actor=actor, register="persons", subjects=twenty, fields=PERSON_FIELDS, purpose=purpose.code
    )
    assert len(answer["results"]) == 20


def test_staff_and_jobs_are_not_held_to_a_partners_limit(db, still, settings):
    from civic.exchange import services
    from civic.identity.selectors import agency_get

    settings.EXCHANGE_SUBJECTS_PER_MINUTE = 5
    purpose = create_purpose()
    agency = agency_get(code="social-insurance-bank")
    services.grant_create(
        purpose=purpose,
        register="persons",
        attributes=PERSON_FIELDS,
        job="benefit-run",
        agency=agency,
    )
    job = Actor.job("benefit-run", agency=agency.code)
    twenty = residents_scattered(20)

    for _ in range(3):
        query.register_query(
            actor=job,
            register="persons",
            subjects=twenty,
            fields=PERSON_FIELDS,
            purpose=purpose.code,
        )

    assert AccessLogEntry.objects.count() == 60


def test_the_limits_hold_in_redis_where_every_web_process_counts(client, partner, still, settings):
    """Production's cache: the count lives in Redis, not in this process, so a second web
    process (here: a connection of its own) sees what the first one counted."""
    require_service("Redis", "127.0.0.1", 6379)
    import redis

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    partner.limits(per_minute=30)
    twenty = residents_scattered(20)
    try:
        assert partner.query(client, twenty).status_code == 200
        other_process = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        minute = int(still.now.timestamp()) // 60
        counted = other_process.get(
            f"{prefix}:1:civic:exchange:limit:subjects:{partner.client.client_id}:{minute}"
        )
        assert int(counted) == 20

        _refusal(partner.query(client, twenty), "subjects-per-minute")
        assert partner.query(client, twenty[:10]).status_code == 200
        assert AccessLogEntry.objects.count() == 30
    finally:
        keys = redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"{prefix}:*")
        if keys:
            redis.Redis.from_url("redis://127.0.0.1:6379/0").delete(*keys)


def test_the_api_document_says_queries_and_searches_may_answer_429(client, db):
    document = client.get("/api/openapi.json").json()
    for path in ("/api/exchange/v1/{register}/query", "/api/exchange/v1/persons/search"):
        answer = document["paths"][path]["post"]["responses"]["429"]
        assert PROBLEM_JSON in answer["content"] and "Retry-After" in answer["headers"]

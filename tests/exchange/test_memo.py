"""The memo of API clients, purposes and grants (core.memo) as production runs it, with the
cache in Redis: a partner's repeated calls skip those reads, and a revocation, a grant ended or
a secret rotated is seen at the very next call, in every process."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic.core import memo
from civic.exchange import services
from civic.exchange.models import AccessLogEntry, Grant
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose

QUERY = "/api/exchange/v1/persons/query"
#: A single-subject query sends at most this many statements (besides savepoints): with the
#: memo warm, the subjects' existence, the register reads and the access-log insert.
STATEMENTS_WARM = 4
#: ... and this many without the memo (the embedded default's local cache): client, purpose
#: and grant are read too, and (the purpose resting on a public task) the subjects' objections
#: and restrictions, in one indexed statement (exchange/processing_limits.py).
STATEMENTS_COLD = 8


REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def shared_cache(settings):
    """Redis as production's cache, under a key prefix of this test's own: the suite's SQLite
    and PostgreSQL runs go on at the same time (scripts/run-tests) and share the server, so the
    test clears only its own keys, never the whole database."""
    import uuid

    import redis

    prefix = f"test-memo-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    memo.version_bump()
    assert memo.shared()
    yield
    server = redis.Redis.from_url(REDIS)
    keys = server.keys(f"{prefix}:*")
    if keys:
        server.delete(*keys)
    memo.version_bump()


@pytest.fixture
def partner(db):
    purpose = create_purpose(code="child-benefit")
    client, secret, _actor = create_partner(purpose=purpose)
    token = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    return purpose, client, {"HTTP_AUTHORIZATION": f"Basic {token}"}


def ask(client, purpose, credentials, number):
    body = {"subjects": [number], "fields": ["identity.birth_date"], "purpose": purpose.code}
    return client.post(QUERY, body, content_type="application/json", **credentials)


def statements(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_with_the_memo_a_repeated_query_reads_neither_client_nor_purpose_nor_grant(
    client, partner, shared_cache
):
    purpose, _api_client, credentials = partner
    number = a_registered_resident()
    assert ask(client, purpose, credentials, number).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        assert ask(client, purpose, credentials, number).status_code == 200

    sent = statements(captured)
    assert len(sent) <= STATEMENTS_WARM, sent
    assert not any("identity_apiclient" in sql or "exchange_grant" in sql for sql in sent)
    assert not any("exchange_processinglimit" in sql for sql in sent)  # none in force: no read
    assert AccessLogEntry.objects.count() == 2  # each release still logged


def test_without_a_shared_cache_every_query_reads_them_within_its_bound(client, partner):
    purpose, _api_client, credentials = partner
    number = a_registered_resident()
    assert not memo.shared()
    assert ask(client, purpose, credentials, number).status_code == 200

    with CaptureQueriesContext(connection) as captured:
        assert ask(client, purpose, credentials, number).status_code == 200

    assert len(statements(captured)) <= STATEMENTS_COLD, statements(captured)


def test_a_client_revoked_is_refused_at_its_next_call_though_the_memo_knew_it(
    client, partner, shared_cache, django_capture_on_commit_callbacks
):
    purpose, api_client, credentials = partner
    number = a_registered_resident()
    assert ask(client, purpose, credentials, number).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        identity.api_client_revoke(client=api_client)

    refused = ask(client, purpose, credentials, number)
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert AccessLogEntry.objects.count() == 1


def test_a_revocation_made_by_another_process_reaches_this_ones_memo(client, partner, shared_cache):
    purpose, api_client, credentials = partner
    number = a_registered_resident()
    assert ask(client, purpose, credentials, number).status_code == 200
    # Another process (`civic apiclient revoke`) commits the revocation and bumps the shared
    # token; this process's memo still holds the client as it was.
    type(api_client).objects.filter(pk=api_client.pk).update(revoked_at="2026-01-01T00:00Z")
    from django.core.cache import cache

    cache.set(memo.KEY, "changed elsewhere", timeout=None)

    assert ask(client, purpose, credentials, number).status_code == 401


def test_a_grant_revoked_refuses_the_next_call_and_a_wrong_secret_never_passes(
    client, partner, shared_cache, django_capture_on_commit_callbacks
):
    purpose, api_client, credentials = partner
    number = a_registered_resident()
    assert ask(client, purpose, credentials, number).status_code == 200
    wrong = {
        "HTTP_AUTHORIZATION": "Basic "
        + base64.b64encode(f"{api_client.client_id}:not-the-secret".encode()).decode()
    }
    assert ask(client, purpose, wrong, number).status_code == 401

    with django_capture_on_commit_callbacks(execute=True):
        services.grant_revoke(grant=Grant.objects.get(api_client=api_client))

    refused = ask(client, purpose, credentials, number)
    assert refused.status_code == 403
    assert refused.json()["items"] == [purpose.code]

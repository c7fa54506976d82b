"""API clients of partner systems: the secret is shown once and stored only as its SHA-256."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civic.identity import services
from civic.identity.models import ApiClient
from tests.builders import create_agency


def test_creating_a_client_returns_its_secret_and_stores_only_its_sha256(db):
    agency = create_agency(code="havenstad")

    client, secret = services.api_client_create(agency=agency, name="Housing benefit system")

    stored = ApiClient.objects.get(pk=client.pk)
    assert len(secret) >= 32
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in vars(stored).values())
    assert stored.client_id.startswith("havenstad-")
    assert stored.name == "Housing benefit system"


def test_two_clients_get_different_ids_and_secrets(db):
    agency = create_agency()

    first, first_secret = services.api_client_create(agency=agency, name="one")
    second, second_secret = services.api_client_create(agency=agency, name="two")

    assert first.client_id != second.client_id
    assert first_secret != second_secret


def test_a_client_authenticates_with_its_secret(db):
    client, secret = services.api_client_create(agency=create_agency(), name="Partner")

    found = services.api_client_authenticate(client_id=client.client_id, secret=secret)

    assert found == client
    assert found.agency == client.agency


def test_a_wrong_secret_does_not_authenticate(db):
    client, secret = services.api_client_create(agency=create_agency(), name="Partner")

    assert services.api_client_authenticate(client_id=client.client_id, secret=secret + "x") is None
    assert services.api_client_authenticate(client_id=client.client_id, secret="") is None


def test_another_clients_secret_does_not_authenticate(db):
    agency = create_agency()
    client, _secret = services.api_client_create(agency=agency, name="one")
    _other, other_secret = services.api_client_create(agency=agency, name="two")

    assert services.api_client_authenticate(client_id=client.client_id, secret=other_secret) is None


def test_an_unknown_client_id_does_not_authenticate(db):
    _client, secret = services.api_client_create(agency=create_agency(), name="Partner")

    assert services.api_client_authenticate(client_id="nobody-000000", secret=secret) is None


def test_a_client_id_with_a_nul_character_does_not_authenticate_on_either_database(db):
    client, secret = services.api_client_create(agency=create_agency(), name="Partner")

    nul_id = client.client_id + "\x00"
    assert services.api_client_authenticate(client_id=nul_id, secret=secret) is None


def test_a_revoked_client_no_longer_authenticates_even_with_its_secret(db):
    client, secret = services.api_client_create(agency=create_agency(), name="Partner")

    services.api_client_revoke(client=client)

    assert ApiClient.objects.get(pk=client.pk).revoked_at is not None
    assert services.api_client_authenticate(client_id=client.client_id, secret=secret) is None


def test_the_apiclient_command_shows_the_secret_once_and_never_lists_it(db):
    create_agency(code="havenstad")
    created = StringIO()

    call_command(
        "apiclient", "create", "--agency", "havenstad", "--name", "Partner", stdout=created
    )

    client = ApiClient.objects.get(name="Partner")
    lines = dict(line.split(":", 1) for line in created.getvalue().splitlines() if ":" in line)
    secret = lines["secret"].strip()
    assert lines["client id"].strip() == client.client_id
    assert services.api_client_authenticate(client_id=client.client_id, secret=secret) == client
    listed = StringIO()
    call_command("apiclient", "list", stdout=listed)
    assert f"{client.client_id}\thavenstad\tactive\tPartner" in listed.getvalue()
    assert secret not in listed.getvalue()


def test_the_apiclient_command_revokes_a_client(db):
    client, secret = services.api_client_create(agency=create_agency(), name="Partner")
    out = StringIO()

    call_command("apiclient", "revoke", client.client_id, stdout=out)

    assert f"revoked {client.client_id}" in out.getvalue()
    assert services.api_client_authenticate(client_id=client.client_id, secret=secret) is None
    listed = StringIO()
    call_command("apiclient", "list", stdout=listed)
    assert "\trevoked\t" in listed.getvalue()


def test_the_apiclient_command_refuses_an_unknown_agency(db):
    with pytest.raises(CommandError, match="There is no agency with code 'nowhere'"):
        call_command("apiclient", "create", "--agency", "nowhere", "--name", "Partner")
    assert not ApiClient.objects.exists()


def test_the_apiclient_command_refuses_to_revoke_an_unknown_client(db):
    with pytest.raises(CommandError, match="There is no API client 'nobody-1'"):
        call_command("apiclient", "revoke", "nobody-1")


def test_the_operator_sets_a_clients_limits_with_the_command_and_the_exchange_holds_it_to_them(
    db, settings
):
    client, secret = services.api_client_create(agency=create_agency(), name="Back office")
    out = StringIO()

    call_command(
        "apiclient",
        "limits",
        client.client_id,
        "--per-minute",
        "30",
        "--per-day",
        "2000",
        stdout=out,
    )

    client.refresh_from_db()
    assert (client.subjects_per_minute, client.subjects_per_day) == (30, 2000)
    assert "at most 30 subjects a minute, 2000 a day" in out.getvalue()
    # The limits come with the credentials, so they count from the client's next call.
    authenticated = services.api_client_authenticate(client_id=client.client_id, secret=secret)
    assert (authenticated.subjects_per_minute, authenticated.subjects_per_day) == (30, 2000)

    call_command("apiclient", "limits", client.client_id, "--per-minute", "default", stdout=out)
    client.refresh_from_db()
    assert (client.subjects_per_minute, client.subjects_per_day) == (None, 2000)
    listed = StringIO()
    call_command("apiclient", "list", stdout=listed)
    minute = settings.EXCHANGE_SUBJECTS_PER_MINUTE
    assert f"{minute} (default) a minute\t2000 a day" in listed.getvalue()


@pytest.mark.parametrize(
    "options",
    [["--per-minute", "0"], ["--per-day", "lots"], ["--per-minute", "500", "--per-day", "100"]],
)
def test_the_command_refuses_a_limit_that_is_no_limit(db, options):
    client, _secret = services.api_client_create(agency=create_agency(), name="Back office")

    with pytest.raises((CommandError, SystemExit)):
        call_command(
            "apiclient", "limits", client.client_id, *options, stdout=StringIO(), stderr=StringIO()
        )

    client.refresh_from_db()
    assert (client.subjects_per_minute, client.subjects_per_day) == (None, None)


def test_an_agencys_administrator_cannot_raise_its_own_clients_limits_but_the_operator_can(
    client, db
):
    from civic.identity.models import Role, User
    from tests.builders import create_staff

    agency = create_agency()
    partner, _secret = services.api_client_create(agency=agency, name="Back office")
    administrator = create_staff(roles=[Role.ADMINISTRATOR], agency=agency)
    page = f"/admin/identity/apiclient/{partner.pk}/change/"
    form = {"agency": agency.pk, "name": "Back office", "subjects_per_minute": "100000"}

    client.force_login(administrator)
    assert 'name="subjects_per_minute"' not in client.get(page).content.decode()
    client.post(page, form)
    partner.refresh_from_db()
    assert partner.subjects_per_minute is None

    operator = User.objects.create_superuser(username="operator", password="x" * 20)
    client.force_login(operator)
    assert 'name="subjects_per_minute"' in client.get(page).content.decode()
    client.post(page, {**form, "subjects_per_minute": "120"})
    partner.refresh_from_db()
    assert partner.subjects_per_minute == 120
    refused = client.post(page, {**form, "subjects_per_minute": "500", "subjects_per_day": "100"})
    assert "cannot be above its limit a day" in refused.content.decode()
    partner.refresh_from_db()
    assert (partner.subjects_per_minute, partner.subjects_per_day) == (120, None)

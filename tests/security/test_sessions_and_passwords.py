"""Sessions and staff passwords as docs/security/asvs.md says they are: the session cookie out of
scripts' reach and renewed at every login, a way to log out on every page, and staff passwords
long, uncommon, free of composition rules, checked exactly as typed and stored with a slow hash."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from civic.identity.models import User
from tests.builders import a_registered_resident, create_staff
from tests.identity.builders import ask_for_a_code, code_in, enter_code
from tests.staff_login import staff_log_in as staff_log_in_with_code
from tests.staff_login import with_authenticator

STAFF_LOGIN = reverse("identity:staff-login")


@pytest.fixture
def fast_password_hashing(settings):
    # What these tests check is who gets in, not what the hash costs (see the PBKDF2 test).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def session_key(client: Client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def log_in_with_a_code(client: Client, mailoutbox) -> None:
    ask_for_a_code(client, a_registered_resident())
    enter_code(client, code_in(mailoutbox[-1]))


def staff_log_in(client: Client, username: str, password: str):
    """The password and, when it is right, the code from the authenticator app."""
    return staff_log_in_with_code(client, username, password)


def test_the_session_cookie_is_out_of_reach_of_scripts_and_stays_on_this_site(
    client, db, mailoutbox
):
    log_in_with_a_code(client, mailoutbox)

    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie.value not in client.get("/").text


def test_logging_in_gives_the_browser_a_new_session_key(
    client, db, mailoutbox, fast_password_hashing
):
    ask_for_a_code(client, a_registered_resident())
    before = session_key(client)
    enter_code(client, code_in(mailoutbox[-1]))
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()

    staff = create_staff(roles=["caseworker"])
    with_authenticator(staff)
    colleague = Client()
    colleague.get(reverse("identity:resident-login"), {"next": "/services/"})  # a session
    before = session_key(colleague)
    colleague.post(
        STAFF_LOGIN, {"username": staff.username, "password": "correct horse battery staple"}
    )
    after_the_password = session_key(colleague)
    assert after_the_password != before
    staff_log_in(colleague, staff.username, "correct horse battery staple")
    assert session_key(colleague) not in (before, after_the_password)
    assert colleague.get(reverse("identity:staff-home")).status_code == 200


def test_every_page_of_a_logged_in_resident_offers_to_log_out(client, db, mailoutbox):
    log_in_with_a_code(client, mailoutbox)

    for path in ("/", reverse("catalog:index"), reverse("portal:inbox"), reverse("portal:cases")):
        page = client.get(path)
        assert page.status_code == 200, path
        assert f'<form method="post" action="{reverse("identity:logout")}">' in page.text, path
        assert "Log out" in page.text


def password_refusals(user: User, password: str) -> list[str]:
    """What the back office says when an administrator sets ``password`` for ``user``."""
    form = AdminPasswordChangeForm(user, {"password1": password, "password2": password})
    return [] if form.is_valid() else form.errors["password2"]


def test_a_staff_password_needs_twelve_characters_and_may_not_be_a_common_one(
    db, fast_password_hashing
):
    staff = create_staff(roles=["caseworker"])

    assert password_refusals(staff, "short-pass1") == [
        "This password is too short. It must contain at least 12 characters."
    ]
    assert password_refusals(staff, "password1234") == ["This password is too common."]
    assert password_refusals(staff, "qwertyuiop123") == ["This password is too common."]


def test_a_passphrase_of_plain_words_is_accepted_without_composition_rules(
    db, fast_password_hashing
):
    staff = create_staff(roles=["caseworker"])

    assert password_refusals(staff, "a quiet harbour at dawn") == []


def test_a_long_password_is_checked_exactly_as_typed(client, db, fast_password_hashing):
    password = "Een zin van een lange adem, met leestekens en hoofdletters: " + "x" * 30 + " "
    assert len(password) > 64
    staff = create_staff(roles=["caseworker"], password=password)
    with_authenticator(staff)

    for near_miss in (password.strip(), password.lower(), password[:64]):
        refused = staff_log_in(client, staff.username, near_miss)
        assert refused.status_code == 200, near_miss
        assert "The user name or password is not right" in refused.text
    assert staff_log_in(client, staff.username, password)["Location"] == reverse(
        "identity:staff-home"
    )


def test_the_staff_login_masks_the_password_and_lets_a_password_manager_fill_it(client, db):
    page = client.get(STAFF_LOGIN).text

    field = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'type="password"' in field
    assert 'autocomplete="current-password"' in field
    assert "onpaste" not in page and "oncopy" not in page


def test_staff_passwords_are_stored_with_pbkdf2(db):
    staff = create_staff(roles=["caseworker"])

    assert identify_hasher(staff.password).algorithm == "pbkdf2_sha256"
    assert int(staff.password.split("$")[1]) >= 600_000  # iterations: OWASP's figure for SHA-256
    assert "correct horse battery staple" not in staff.password


def test_the_demo_with_its_well_known_passwords_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="refuses to run with CIVIC_ENV=production"):
        call_command("demo", "--no-serve")
    assert not User.objects.filter(username__in=["caseworker", "admin"]).exists()

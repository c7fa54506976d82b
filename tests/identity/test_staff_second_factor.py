"""The staff login's second step, through its pages: setting up an authenticator app after the
first right password, a code at every login after that (once each, with a little clock drift),
recovery codes that work once, and wrong codes locking the login as wrong passwords do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from civic.core import clock
from civic.identity.models import StaffRecoveryCode, StaffSecondFactor
from civic.identity.second_factor import codes
from civic.identity.second_factor.services import CODE_FAILURES_PER_USER
from tests.builders import create_staff
from tests.html import h1
from tests.staff_login import (
    CODE_URL,
    ENROL_URL,
    KNOWN_SECRET,
    RECOVERY_URL,
    STAFF_LOGIN_URL,
    usable_code,
    with_authenticator,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
STAFF_HOME_URL = reverse("identity:staff-home")
RECOVERY_CODES_URL = reverse("identity:staff-recovery-codes")


def password(client: Client, user, *, address: str = "127.0.0.1", next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(STAFF_LOGIN_URL, data, REMOTE_ADDR=address)


def code(client: Client, value: str, *, address: str = "127.0.0.1"):
    return client.post(CODE_URL, {"code": value}, REMOTE_ADDR=address)


def a_wrong_code(user) -> str:
    right = {codes.code_at(KNOWN_SECRET, step) for step in _steps_near_now()}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def _steps_near_now() -> range:
    now = codes.step_at(clock.now())
    return range(now - 2, now + 3)


def secret_on(page: str) -> str:
    found = re.search(r'<code class="civic-secret"[^>]*>([A-Z2-7 ]+)</code>', page)
    assert found, "the enrolment page shows the key for typing into an app"
    return found.group(1).replace(" ", "")


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code[^>]*>([0-9A-Z-]{29})</code></li>", page)


def error_summary(page: str) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, flags=re.S)
    assert found, "the page shows an error summary"
    return re.sub(r"<[^>]+>", " ", found.group(0))


def test_the_first_right_password_leads_to_setting_up_an_app_not_into_civic(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)

    response = password(client, staff)

    assert response["Location"] == ENROL_URL
    assert client.get(STAFF_HOME_URL)["Location"].startswith(STAFF_LOGIN_URL)
    page = client.get(ENROL_URL).text
    assert h1(page) == "Set up your authenticator app"
    qr = re.search(r'<img class="civic-qr-code" src="([^"]+)"[^>]*alt="([^"]+)"', page)
    assert qr and qr.group(1).startswith("data:image/svg+xml;base64,")
    assert staff.username in qr.group(2)
    assert len(secret_on(page)) == 32
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert '<label class="govuk-label" for="id_code">' in page


def test_enrolling_with_the_apps_code_logs_in_and_shows_ten_recovery_codes_once(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    password(client, staff)
    secret = secret_on(client.get(ENROL_URL).text)

    response = client.post(ENROL_URL, {"code": codes.code_at(secret, codes.step_at(clock.now()))})

    assert response["Location"] == RECOVERY_CODES_URL
    page = client.get(RECOVERY_CODES_URL).text
    shown = recovery_codes_on(page)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert "shown only this once" in page
    assert f'href="{STAFF_HOME_URL}"' in page
    assert client.get(RECOVERY_CODES_URL)["Location"] == STAFF_HOME_URL  # not again
    assert client.get(STAFF_HOME_URL).status_code == 200
    factor = StaffSecondFactor.objects.get(user=staff)
    assert secret not in factor.secret  # kept encrypted
    stored = list(
        StaffRecoveryCode.objects.filter(factor=factor).values_list("code_hash", flat=True)
    )
    assert len(stored) == 10 and not set(shown) & set(stored)
    assert client.get(ENROL_URL)["Location"] == STAFF_LOGIN_URL  # the key is never shown again


def test_a_wrong_code_at_enrolment_sets_nothing_up(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    password(client, staff)
    secret = secret_on(client.get(ENROL_URL).text)

    response = client.post(ENROL_URL, {"code": "12345"})
    assert "The code is 6 digits." in error_summary(response.text)
    response = client.post(ENROL_URL, {"code": a_wrong_code(staff)})

    assert response.status_code == 200
    assert "The code is not right" in error_summary(response.text)
    assert response.text.count("<title>Error: Set up your authenticator app") == 1
    assert secret_on(response.text) == secret  # the same key, still to be confirmed
    assert not StaffSecondFactor.objects.filter(user=staff).exists()
    assert client.get(STAFF_HOME_URL).status_code == 302


def test_each_login_shows_a_new_key_until_one_is_confirmed(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    password(client, staff)
    first = secret_on(client.get(ENROL_URL).text)
    other = Client()
    password(other, staff)

    assert secret_on(other.get(ENROL_URL).text) != first


def test_an_enrolled_staff_member_enters_the_apps_code_after_the_password(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)

    assert password(client, staff)["Location"] == CODE_URL
    assert client.get(STAFF_HOME_URL).status_code == 302  # not in yet
    page = client.get(CODE_URL).text
    assert h1(page) == "Enter the code from your authenticator app"
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field

    response = code(client, usable_code(staff))

    assert response["Location"] == STAFF_HOME_URL
    assert client.get(STAFF_HOME_URL).status_code == 200


def test_a_wrong_code_is_refused_with_an_error_summary_and_counted(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    password(client, staff)

    response = code(client, a_wrong_code(staff))

    assert response.status_code == 200
    assert "The code is not right" in error_summary(response.text)
    assert "<title>Error: Enter the code from your authenticator app" in response.text
    assert client.get(STAFF_HOME_URL).status_code == 302
    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.failures_since_start == 1
    assert a_wrong_code(staff) not in attempt.post_data  # what was typed is not kept


def test_a_code_that_was_used_is_refused_the_second_time(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    used = usable_code(staff)
    password(client, staff)
    assert code(client, used)["Location"] == STAFF_HOME_URL
    client.post(reverse("identity:logout"))

    other = Client()
    password(other, staff)
    response = code(other, used)

    assert response.status_code == 200
    assert "That code was used already" in error_summary(response.text)
    assert other.get(STAFF_HOME_URL).status_code == 302


def test_a_code_of_an_earlier_step_is_refused_once_a_later_one_was_used(client, monkeypatch):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    moment = clock.now()
    now = codes.step_at(moment)
    monkeypatch.setattr(clock, "now", lambda: moment)
    password(client, staff)
    assert code(client, codes.code_at(KNOWN_SECRET, now))["Location"] == STAFF_HOME_URL

    other = Client()
    password(other, staff)

    assert "used already" in code(other, codes.code_at(KNOWN_SECRET, now - 1)).text


@pytest.mark.parametrize("offset, accepted", [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_phone_clock_thirty_seconds_off_is_accepted_a_minute_off_is_not(
    client, monkeypatch, offset, accepted
):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)
    password(client, staff)

    response = code(client, codes.code_at(KNOWN_SECRET, codes.step_at(moment) + offset))

    assert (response.status_code == 302) is accepted


def test_five_wrong_codes_lock_the_login_as_five_wrong_passwords_do(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    password(client, staff)
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert code(client, a_wrong_code(staff)).status_code == 200

    locked = code(client, a_wrong_code(staff))

    assert locked.status_code == 429
    assert h1(locked.text) == "Login locked"
    # The right password and then the right code: still locked, at either step.
    assert password(client, staff).status_code == 429
    assert code(client, usable_code(staff))["Location"] == STAFF_LOGIN_URL
    assert client.get(STAFF_HOME_URL).status_code == 302


def test_the_right_code_clears_earlier_failures(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    password(client, staff)
    for _attempt in range(4):
        code(client, a_wrong_code(staff))
    assert code(client, usable_code(staff))["Location"] == STAFF_HOME_URL
    client.post(reverse("identity:logout"))

    password(client, staff)
    for _attempt in range(4):
        assert code(client, a_wrong_code(staff)).status_code == 200
    assert code(client, usable_code(staff))["Location"] == STAFF_HOME_URL


def test_wrong_codes_from_many_addresses_pause_the_users_code_step(client):
    """Someone with the password guessing codes from many addresses, each under the lockout
    of its own address: past the user's own limit the right code is refused too, with a
    message that says so."""
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    for n in range(CODE_FAILURES_PER_USER):
        attacker = Client()
        password(attacker, staff, address=f"198.51.100.{n}")
        assert code(attacker, a_wrong_code(staff), address=f"198.51.100.{n}").status_code == 200

    password(client, staff, address="192.0.2.44")
    response = code(client, usable_code(staff), address="192.0.2.44")

    assert response.status_code == 200
    minutes = django_settings.STAFF_LOGIN_COOLOFF_MINUTES
    assert (
        f"Too many wrong codes were entered for this account. Try again in {minutes} minutes."
        in (error_summary(response.text))
    )
    assert client.get(STAFF_HOME_URL).status_code == 302
    StaffSecondFactor.objects.filter(user=staff).update(
        paused_until=clock.now() - timedelta(seconds=1)
    )
    assert code(client, usable_code(staff), address="192.0.2.44")["Location"] == STAFF_HOME_URL


def test_a_recovery_code_logs_in_once(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    recovery = with_authenticator(staff)
    password(client, staff)
    page = client.get(RECOVERY_URL).text
    assert h1(page) == "Enter a recovery code"

    typed = recovery[3].lower().replace("-", " ")  # as a person might type it
    assert client.post(RECOVERY_URL, {"recovery_code": typed})["Location"] == STAFF_HOME_URL
    client.post(reverse("identity:logout"))

    again = Client()
    password(again, staff)
    response = again.post(RECOVERY_URL, {"recovery_code": recovery[3]})

    assert response.status_code == 200
    assert "That recovery code was used already. Each code works once." in error_summary(
        response.text
    )
    assert again.get(STAFF_HOME_URL).status_code == 302
    assert again.post(RECOVERY_URL, {"recovery_code": recovery[4]})["Location"] == STAFF_HOME_URL


def test_a_made_up_recovery_code_is_refused_and_counted(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    password(client, staff)

    response = client.post(RECOVERY_URL, {"recovery_code": "0000-0000-0000-0000-0000-0000"})

    assert "That is not one of your recovery codes." in error_summary(response.text)
    assert AccessAttempt.objects.get(username=staff.username).failures_since_start == 1


def test_the_code_pages_without_the_password_first_send_to_the_password(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)

    for url in (CODE_URL, RECOVERY_URL, ENROL_URL):
        assert client.get(url)["Location"] == STAFF_LOGIN_URL, url
        assert client.post(url, {"code": usable_code(staff)})["Location"] == STAFF_LOGIN_URL, url
    assert client.get(STAFF_HOME_URL).status_code == 302


def test_the_password_step_expires_if_the_code_does_not_follow_soon(client, monkeypatch):
    import time

    from civic.identity.second_factor.session import PENDING_MINUTES

    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    password(client, staff)
    later = time.time() + PENDING_MINUTES * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)

    assert code(client, usable_code(staff))["Location"] == STAFF_LOGIN_URL


def test_the_next_address_is_kept_through_the_code_step(client):
    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    catalogue = reverse("registers:catalogue")
    password(client, staff, next_url=catalogue)

    assert code(client, usable_code(staff))["Location"] == catalogue


def test_a_seed_no_key_can_open_any_more_is_explained_not_accepted(client):
    """As after the secret key was replaced without keeping the old one as a fallback."""
    from django.test import override_settings

    from civic.identity.second_factor.sealing import seal

    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    with override_settings(SECRET_KEY="an-earlier-secret-key-nobody-kept-" * 2):
        sealed_elsewhere = seal(KNOWN_SECRET, user_id=staff.pk)
    StaffSecondFactor.objects.filter(user=staff).update(secret=sealed_elsewhere)
    password(client, staff)

    response = code(client, usable_code(staff))

    assert "Ask your administrator to reset it" in error_summary(response.text)
    assert client.get(STAFF_HOME_URL).status_code == 302


def test_the_code_and_enrolment_pages_speak_dutch(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"
    new = create_staff(roles=["caseworker"], password=PASSWORD)
    password(client, new)
    assert h1(client.get(ENROL_URL).text) == "Stel uw authenticator-app in"
    enrolled = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(enrolled)
    password(client, enrolled)

    response = code(client, a_wrong_code(enrolled))

    assert h1(response.text) == "Vul de code uit uw authenticator-app in"
    assert "De code klopt niet." in error_summary(response.text)


def test_the_seed_is_kept_encrypted_and_opens_only_for_its_owner_and_after_a_key_rotation(
    settings,
):
    from civic.identity.second_factor.sealing import unseal

    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)
    stored = StaffSecondFactor.objects.get(user=staff).secret

    assert KNOWN_SECRET not in stored
    assert unseal(stored, user_id=staff.pk) == KNOWN_SECRET
    assert unseal(stored, user_id=staff.pk + 1) is None  # copied onto another's row: no
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-rotated-secret-key-" * 3, [old_key]
    assert unseal(stored, user_id=staff.pk) == KNOWN_SECRET

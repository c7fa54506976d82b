"""Staff log in with a user name and password, then the code from their authenticator app
(tests/identity/test_staff_second_factor.py tests that step); django-axes locks a name after
five failures."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from civic.core import clock
from tests.builders import a_registered_resident, create_agency, create_staff
from tests.identity.builders import ask_for_a_code, code_in, enter_code
from tests.staff_login import staff_log_in, with_authenticator

PASSWORD = "correct horse battery staple"
WRONG_PASSWORD = "incorrect horse battery staple"
STAFF_LOGIN_URL = reverse("identity:staff-login")
STAFF_HOME_URL = reverse("identity:staff-home")


def log_in(client: Client, username: str, password: str):
    """The password and, when it is right, the code the app shows."""
    return staff_log_in(client, username, password)


def enrolled_staff(**kwargs):
    """A staff member whose authenticator app is set up."""
    staff = create_staff(**kwargs)
    with_authenticator(staff)
    return staff


def test_a_caseworker_with_the_right_password_reaches_the_staff_page_with_agency_and_role(
    client, db
):
    agency = create_agency(name="Havenstad Social Services")
    staff = enrolled_staff(roles=["caseworker"], agency=agency, password=PASSWORD)

    response = log_in(client, staff.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == STAFF_HOME_URL
    page = client.get(STAFF_HOME_URL)
    assert page.status_code == 200
    assert (
        '<dt class="govuk-summary-list__key">Agency</dt><dd class="govuk-summary-list__value">Havenstad Social Services</dd>'
        in page.text
    )
    assert (
        '<dt class="govuk-summary-list__key">Roles</dt><dd class="govuk-summary-list__value">caseworker</dd>'
        in page.text
    )
    assert f"Welcome, {staff.username}" in page.text
    assert "Open the back office" not in page.text


def test_an_administrator_sees_all_their_roles_and_a_link_to_the_back_office(client, db):
    staff = enrolled_staff(roles=["administrator", "data_protection_officer"], password=PASSWORD)

    log_in(client, staff.username, PASSWORD)
    page = client.get(STAFF_HOME_URL).text

    assert (
        '<dt class="govuk-summary-list__key">Roles</dt><dd class="govuk-summary-list__value">administrator, data protection officer</dd>'
        in page
    )
    assert f'href="{reverse("admin:index")}"' in page


def test_a_next_address_on_this_site_is_where_staff_land(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    catalogue = reverse("registers:catalogue")

    response = staff_log_in(client, staff.username, PASSWORD, next_url=catalogue)

    assert response["Location"] == catalogue


def test_a_next_address_on_another_site_is_ignored_for_staff(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)

    response = staff_log_in(client, staff.username, PASSWORD, next_url="https://evil.example/")

    assert response["Location"] == STAFF_HOME_URL


def test_a_wrong_password_is_refused_with_an_error_summary(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)

    response = log_in(client, staff.username, WRONG_PASSWORD)

    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in response.text
    assert "The user name or password is not right. Both are case-sensitive." in response.text
    assert "<title>Error: Staff login" in response.text
    assert client.get(STAFF_HOME_URL).status_code == 302


def test_an_unknown_user_name_gets_the_same_error_as_a_wrong_password(client, db):
    response = log_in(client, "nobody-by-this-name", WRONG_PASSWORD)

    assert response.status_code == 200
    assert "The user name or password is not right. Both are case-sensitive." in response.text


def test_after_five_failures_even_the_right_password_gets_the_locked_page(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    limit = django_settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit - 1):
        assert log_in(client, staff.username, WRONG_PASSWORD).status_code == 200
    log_in(client, staff.username, WRONG_PASSWORD)

    response = log_in(client, staff.username, PASSWORD)

    assert response.status_code == 429
    from tests.html import h1

    assert h1(response.text) == "Login locked"
    assert "Try again in 15 minutes." in response.text
    assert client.get(STAFF_HOME_URL).status_code == 302  # not logged in


def test_failed_staff_logins_are_stored_without_the_password(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    for _attempt in range(5):
        log_in(client, staff.username, WRONG_PASSWORD)

    attempt = AccessAttempt.objects.get(username=staff.username)
    assert attempt.failures_since_start == 5
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.path_info == STAFF_LOGIN_URL
    assert WRONG_PASSWORD not in attempt.post_data
    failures = AccessFailureLog.objects.filter(username=staff.username)
    assert failures.count() == 5
    assert failures.filter(locked_out=True).count() == 1


def test_a_lock_on_one_user_name_leaves_a_colleague_at_the_same_address_free(client, db):
    locked = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    colleague = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    for _attempt in range(5):
        log_in(client, locked.username, WRONG_PASSWORD)

    response = log_in(Client(), colleague.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == STAFF_HOME_URL


def test_a_locked_login_opens_again_after_the_cool_off(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    for _attempt in range(5):
        log_in(client, staff.username, WRONG_PASSWORD)
    minutes = django_settings.STAFF_LOGIN_COOLOFF_MINUTES
    AccessAttempt.objects.update(attempt_time=clock.now() - timedelta(minutes=minutes + 1))

    response = log_in(client, staff.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == STAFF_HOME_URL


def test_a_successful_login_clears_earlier_failures(client, db):
    staff = enrolled_staff(roles=["caseworker"], password=PASSWORD)
    for _attempt in range(4):
        log_in(client, staff.username, WRONG_PASSWORD)
    log_in(client, staff.username, PASSWORD)
    client.post(reverse("identity:logout"))

    for _attempt in range(4):
        log_in(client, staff.username, WRONG_PASSWORD)
    response = log_in(client, staff.username, PASSWORD)

    assert response.status_code == 302


def test_the_staff_page_sends_someone_not_logged_in_to_the_staff_login(client, db):
    response = client.get(STAFF_HOME_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{STAFF_LOGIN_URL}?next={STAFF_HOME_URL}"


def test_a_resident_cannot_see_the_staff_page(client, db, mailoutbox):
    ask_for_a_code(client, a_registered_resident())
    enter_code(client, code_in(mailoutbox[0]))

    response = client.get(STAFF_HOME_URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_staff_member_without_a_password_cannot_log_in_with_an_empty_one(client, db):
    staff = enrolled_staff(roles=["caseworker"], password="")

    response = log_in(client, staff.username, "")

    assert response.status_code == 200
    assert client.get(STAFF_HOME_URL).status_code == 302

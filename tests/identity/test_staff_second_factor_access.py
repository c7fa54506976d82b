"""What the second factor guards: a session that gave only the password reaches no staff page
and no back-office page; the back office logs in through the staff login; a reset in the back
office makes the staff member enrol again and ends the sessions the old factor let in; the
setting, production's refusal of `off`, and `civic staff totp` for the demo's accounts."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from civic.identity.models import StaffSecondFactor, User
from civic.identity.second_factor.session import PASSED
from tests.builders import create_agency, create_staff
from tests.core.test_config import PRODUCTION, civic
from tests.staff_login import (
    CODE_URL,
    ENROL_URL,
    STAFF_LOGIN_URL,
    staff_log_in,
    usable_code,
    with_authenticator,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
STAFF_HOME_URL = reverse("identity:staff-home")
ADMIN_USERS_URL = "/admin/identity/user/"

#: A page of each staff URL namespace and of the back office, each of which the staff member
#: below reaches once fully logged in.
STAFF_PAGES = [
    "/staff/",
    "/staff/cases/",
    "/staff/cases/backlog/",
    "/staff/insights/",
    "/staff/rules/",
    "/admin/",
    ADMIN_USERS_URL,
    "/admin/identity/",
    "/admin/password_change/",
]


def everyone_in_one(agency=None) -> User:
    return create_staff(
        roles=["caseworker", "service_owner", "administrator", "data_protection_officer"],
        agency=agency,
        password=PASSWORD,
    )


def _a_form_preview() -> str:
    from civic.forms.models import FormVersion

    version = FormVersion.objects.get(form__code="dog-tax", status=FormVersion.Status.PUBLISHED)
    return f"/staff/forms/{version.pk}/preview/"


@pytest.mark.parametrize("enrolled", [True, False], ids=["at the code step", "at enrolment"])
def test_a_session_that_gave_only_the_password_reaches_no_staff_or_back_office_page(
    client, jurisdiction, enrolled
):
    from civic.identity.selectors import agency_get

    staff = everyone_in_one(agency_get(code="havenstad"))
    if enrolled:
        with_authenticator(staff)
    assert client.post(STAFF_LOGIN_URL, {"username": staff.username, "password": PASSWORD})[
        "Location"
    ] == (CODE_URL if enrolled else ENROL_URL)

    pages = [*STAFF_PAGES, _a_form_preview()]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(
            (f"{STAFF_LOGIN_URL}?next=", "/admin/login/?next=")
        ), path
    assert client.post(ADMIN_USERS_URL, {"action": "delete_selected"}).status_code == 302

    full = Client()
    if not enrolled:
        with_authenticator(staff)
    staff_log_in(full, staff.username, PASSWORD)
    for path in pages:
        assert full.get(path).status_code == 200, path


def test_a_logged_in_staff_session_that_skipped_the_code_is_logged_out(client, jurisdiction):
    """A session logged in by any path that did not pass the code (here: the marker taken out)
    counts as no login at all, and stays so."""
    staff = everyone_in_one()
    client.force_login(staff)
    assert client.get("/staff/").status_code == 200
    session = client.session
    del session[PASSED]
    session.save()

    for path in STAFF_PAGES:
        assert client.get(path).status_code == 302, path
    assert "_auth_user_id" not in client.session


def test_the_back_office_login_is_the_staff_login(client):
    staff = everyone_in_one()
    with_authenticator(staff)

    response = client.get(f"/admin/login/?next={ADMIN_USERS_URL}")
    assert response["Location"] == f"{STAFF_LOGIN_URL}?next=%2Fadmin%2Fidentity%2Fuser%2F"
    page = client.get(response["Location"]).text
    assert f'name="next" value="{ADMIN_USERS_URL}"' in page
    # A password posted to the back office's own address logs nobody in.
    client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302

    landed = staff_log_in(client, staff.username, PASSWORD, next_url=ADMIN_USERS_URL)

    assert landed["Location"] == ADMIN_USERS_URL
    assert client.get(ADMIN_USERS_URL).status_code == 200
    elsewhere = client.get("/admin/login/?next=https://evil.example/")
    assert elsewhere["Location"] == f"{STAFF_LOGIN_URL}?next=%2Fadmin%2F"


def test_an_administrator_resets_a_colleagues_factor_who_then_enrols_again(client):
    agency = create_agency()
    administrator = create_staff(roles=["administrator"], agency=agency, password=PASSWORD)
    colleague = create_staff(roles=["caseworker"], agency=agency, password=PASSWORD)
    with_authenticator(colleague)
    at_work = Client()
    staff_log_in(at_work, colleague.username, PASSWORD)
    assert at_work.get(STAFF_HOME_URL).status_code == 200
    client.force_login(administrator)
    page = client.get(f"{ADMIN_USERS_URL}{colleague.pk}/change/").text
    assert "authenticator app since" in page and "10 recovery codes left" in page

    response = client.post(
        ADMIN_USERS_URL,
        {"action": "second_factor_reset", "_selected_action": [colleague.pk]},
        follow=True,
    )

    assert "The second factor of 1 staff member was reset." in response.text
    assert not StaffSecondFactor.objects.filter(user=colleague).exists()
    entry = LogEntry.objects.get(object_id=str(colleague.pk), user=administrator)
    assert "second factor" in entry.get_change_message()
    # The session the old factor let in ends; the next login sets up an app again.
    assert at_work.get(STAFF_HOME_URL).status_code == 302
    again = Client()
    assert (
        again.post(STAFF_LOGIN_URL, {"username": colleague.username, "password": PASSWORD})[
            "Location"
        ]
        == ENROL_URL
    )


def test_an_administrator_of_another_agency_cannot_reset_the_factor(client):
    colleague = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(colleague)
    stranger = create_staff(roles=["administrator"], password=PASSWORD)
    client.force_login(stranger)

    client.post(
        ADMIN_USERS_URL, {"action": "second_factor_reset", "_selected_action": [colleague.pk]}
    )

    assert StaffSecondFactor.objects.filter(user=colleague).exists()


def test_the_operator_resets_a_factor_from_the_command_line(db):
    from django.core.management import call_command

    staff = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(staff)

    call_command("staff", "reset-second-factor", staff.username)

    assert not StaffSecondFactor.objects.filter(user=staff).exists()


def test_with_the_second_factor_off_the_password_alone_logs_in(client, settings):
    settings.STAFF_SECOND_FACTOR = "off"
    staff = create_staff(roles=["caseworker"], password=PASSWORD)

    response = client.post(STAFF_LOGIN_URL, {"username": staff.username, "password": PASSWORD})

    assert response["Location"] == STAFF_HOME_URL
    assert client.get(STAFF_HOME_URL).status_code == 200


def test_production_refuses_to_start_with_the_second_factor_off():
    result = civic("config", "check", **PRODUCTION, CIVIC_STAFF_SECOND_FACTOR="off")

    assert result.returncode == 2
    assert "CIVIC_STAFF_SECOND_FACTOR is not `required`" in result.stderr


def test_civic_staff_totp_prints_a_demo_accounts_code_and_nobody_elses(db, capsys):
    from django.core.management import CommandError, call_command

    from civic.identity import services

    demo = create_staff(roles=["caseworker"], password=PASSWORD)
    services.second_factor_install(user=demo, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", demo=True)
    other = create_staff(roles=["caseworker"], password=PASSWORD)
    with_authenticator(other)

    call_command("staff", "totp", demo.username)
    printed = capsys.readouterr().out.strip()
    assert printed == usable_code(demo)
    client = Client()
    client.post(STAFF_LOGIN_URL, {"username": demo.username, "password": PASSWORD})
    assert client.post(CODE_URL, {"code": printed})["Location"] == STAFF_HOME_URL
    call_command("staff", "totp", demo.username)  # the next code, once this one is used
    assert capsys.readouterr().out.strip() == usable_code(demo) != printed

    with pytest.raises(CommandError, match="only demo accounts"):
        call_command("staff", "totp", other.username)


def test_civic_staff_totp_refuses_to_run_in_production():
    result = civic("staff", "totp", "caseworker", **PRODUCTION)

    assert result.returncode != 0
    assert "refuses to run with CIVIC_ENV=production" in result.stderr

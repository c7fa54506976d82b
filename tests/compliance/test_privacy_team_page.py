"""The Privacy team page (/staff/privacy/team/): the agency's data protection officer or
administrator sees their agency's staff and puts a caseworker in the Privacy team or takes
them out; the caseworker then sees the data-subject requests, or no longer does. Anyone else
is refused (403), and a member of another agency is not found (404), with nothing changed."""

from __future__ import annotations

import pytest

from civic.compliance import services
from civic.identity.models import Role, StaffTeam
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff

pytestmark = pytest.mark.django_db
PAGE = "/staff/privacy/team/"


def _staff(role: str, agency: str = "havenstad"):
    return create_staff(roles=[role], agency=agency_get(code=agency))


def _in_team(user) -> bool:
    return StaffTeam.objects.filter(user=user, team="Privacy").exists()


@pytest.mark.parametrize("manager_role", [Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR])
def test_the_officer_or_administrator_puts_a_caseworker_in_the_team_and_takes_them_out(
    client, jurisdiction, manager_role
):
    manager, worker = _staff(manager_role), _staff(Role.CASEWORKER)
    elsewhere = _staff(Role.CASEWORKER, agency="social-insurance-bank")
    made = services.subject_request_start(personal_number=a_registered_resident(), kind="access")
    request_page = f"/staff/privacy/requests/{made.pk}/"
    as_worker = client.__class__()
    as_worker.force_login(worker)
    assert as_worker.get(request_page).status_code == 404
    client.force_login(manager)

    page = client.get(PAGE).content.decode()
    assert worker.username in page and elsewhere.username not in page
    joined = client.post(PAGE, {"member": worker.pk, "action": "join"})

    assert joined.status_code == 302 and _in_team(worker)
    assert "The Privacy team was changed." in client.get(joined["Location"]).content.decode()
    assert as_worker.get(request_page).status_code == 200, "the team member sees the request"
    client.post(PAGE, {"member": worker.pk, "action": "leave"})
    assert not _in_team(worker)
    assert as_worker.get(request_page).status_code == 404


def test_a_member_of_another_agency_is_not_found_and_nothing_changes(client, jurisdiction):
    officer = _staff(Role.DATA_PROTECTION_OFFICER)
    elsewhere = _staff(Role.CASEWORKER, agency="social-insurance-bank")
    client.force_login(officer)

    for member in (elsewhere.pk, 999_999, "not-a-number"):
        answer = client.post(PAGE, {"member": member, "action": "join"})
        assert answer.status_code == 404

    assert not _in_team(elsewhere)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SERVICE_OWNER, Role.POLICY_ADVISER])
def test_other_staff_are_refused_the_page_and_the_change(client, jurisdiction, role):
    visitor, worker = _staff(role), _staff(Role.CASEWORKER)
    client.force_login(visitor)

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"member": worker.pk, "action": "join"}).status_code == 403
    assert not _in_team(worker)


def test_the_page_is_in_dutch(client, jurisdiction):
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER))
    client.cookies["django_language"] = "nl"

    page = client.get(PAGE).content.decode()

    assert "Privacyteam" in page

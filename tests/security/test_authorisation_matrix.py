"""The authorisation matrix: every staff page and every back-office action, tried by every
role of another agency (and by a resident, an anonymous visitor, and the Municipality's own
staff and the operator half logged in: the password given, not the authenticator code)
against what the Municipality owns. None may see any of it, and none may write any of it.

The URLs are found by walking the URL resolver, not listed by hand: a new staff page or
back-office model is tried at once, or fails ``test_every_staff_and_back_office_url_is_tried``
until it is classified in ``attempts.py``. Each forged write is also sent by the Municipality's own staff,
to prove that it would have been written had the scoping not refused it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils.html import escape

from civic.identity import services as identity
from civic.identity.models import Role, User
from tests.security.attempts import Attempt, Forger, all_attempts, may
from tests.security.builders import (
    STAFF_ROLES,
    Estate,
    agency_lookups,
    an_advisory_draft,
    an_agency_estate,
    another_resident,
    change_urls,
    changed_tables,
    create_staff_member,
    fingerprint,
    newest_of,
    owned_by,
    rows_of,
    scoped_admins,
    unique,
    write_count,
)

pytestmark = pytest.mark.django_db

MUNICIPALITY, OTHER = "havenstad", "social-insurance-bank"

#: Who tries: each role of the other agency, a superuser who belongs to the other agency (an
#: administrator made before administrators stopped being superusers), a resident, nobody.
VISITORS = [str(role) for role in STAFF_ROLES] + [
    "every role at once",
    "superuser of the other agency",
    "resident",
    "anonymous",
]
#: The Municipality's own staff (every role, and the installation's operator) who gave the
#: right password but not yet the code of their authenticator app, or who have not set one
#: up yet: they too may see and change nothing, anywhere under /staff/ or /admin/.
HALF_LOGGED_IN = [
    "the municipality's own staff, password only",
    "the municipality's own staff, password only, not enrolled",
    "the operator, password only",
]
PASSWORD = "correct horse battery staple"


# --- the estate and the visitors ------------------------------------------------------------


@pytest.fixture
def municipality(jurisdiction, settings, tmp_path) -> Estate:
    settings.MEDIA_ROOT = tmp_path
    return an_agency_estate(agency_code=MUNICIPALITY, tag="marker-a", with_a_case=True)


@pytest.fixture
def other_agency(jurisdiction) -> Estate:
    return an_agency_estate(agency_code=OTHER, tag="other-b")


@pytest.fixture
def operator(db) -> User:
    """The installation's operator: a superuser who belongs to no agency."""
    return User.objects.create_superuser(username=unique("operator"), password="x" * 20)


@pytest.fixture
def forger(municipality, operator) -> Forger:
    return Forger(municipality, operator)


def _half_logged_in(who: str, municipality: Estate) -> Client:
    """A browser that gave the right password of the visitor and stopped there."""
    from tests.staff_login import with_authenticator

    if who.startswith("the operator"):
        user = User.objects.create_superuser(username=unique("operator"), password=PASSWORD)
    else:
        user = create_staff_member(
            agency=municipality.agency, roles=list(STAFF_ROLES), username=unique("half")
        )
    if not who.endswith("not enrolled"):
        with_authenticator(user)
    client = Client(raise_request_exception=False)
    answer = client.post("/staff/login/", {"username": user.username, "password": PASSWORD})
    assert answer["Location"].startswith("/staff/login/"), who
    return client


def _visitor(who: str, other: Estate) -> User | None:
    if who == "anonymous":
        return None
    if who == "resident":
        return identity.resident_account_ensure(personal_number=another_resident())
    if who == "every role at once":
        return create_staff_member(
            agency=other.agency, roles=list(STAFF_ROLES), username=unique("all-roles")
        )
    if who == "superuser of the other agency":
        user = create_staff_member(
            agency=other.agency, roles=[Role.ADMINISTRATOR], username=unique("superuser")
        )
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
        return user
    return other.staff[who]


def _markers(a: Estate) -> list[str]:
    return [*a.markers, *change_urls(a.agency)]


def _body(response, attempt: Attempt) -> str:
    """What the page shows, less what the visitor sent echoed back (a login link's ``next``,
    a "not found" page naming the path, a refused choice named in its error): that is what
    they typed, not a leak."""
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode(errors="replace")
    text = f"{response.get('Location', '')}\n{content}"
    sent = [attempt.url] + [v for v in (attempt.data or {}).values() if isinstance(v, str)]
    echoes = {form for value in sent for form in (value, quote(value), quote(value, safe=""))}
    echoes |= {escape(echo) for echo in echoes}
    for echo in sorted(echoes, key=len, reverse=True):
        if len(echo) > 3:
            text = text.replace(echo, "")
    return text


def _try(client: Client, attempt: Attempt):
    if attempt.method == "GET":
        return client.get(attempt.url)
    return client.post(attempt.url, attempt.data or {})


# --- the tests ---------------------------------------------------------------------------------


def test_every_staff_and_back_office_url_is_tried(municipality, forger):
    attempts, unclassified = all_attempts(municipality, forger)

    assert unclassified + forger.unclassified() == [], "classify these in the matrix"
    tried = {re.sub(r"\?.*", "", a.url) for a in attempts}
    assert {"/staff/rules/parking-permit/", "/admin/forms/formversion/add/"} <= tried
    assert len(attempts) > 200


def test_every_back_office_model_follows_the_agency_rule():
    """Every admin, Civic's or a library's, answers to the one rule; a model that names an
    agency is scoped along a lookup to it."""
    from civic.identity.backoffice import AgencyScopedAdmin

    for model, model_admin in scoped_admins().items():
        assert isinstance(model_admin, AgencyScopedAdmin), model._meta.label
        if owned_by(model):
            assert model_admin.agency_path in agency_lookups(model), model._meta.label


def test_nobody_of_another_agency_sees_or_changes_anything_of_the_municipality(
    municipality, other_agency, forger
):
    """Each visitor in turn tries every attempt (one test, so that the Municipality and the
    attempts are built once); every problem is named with who met it."""
    attempts, _unclassified = all_attempts(municipality, forger)
    markers = _markers(municipality)
    problems = []
    for who in VISITORS + HALF_LOGGED_IN:
        problems += [
            f"{who}: {problem}"
            for problem in _visit(who, other_agency, attempts, markers, municipality)
        ]

    assert not problems, "\n".join(problems)


def _visit(who: str, other: Estate, attempts: list[Attempt], markers: list[str], a: Estate):
    if who in HALF_LOGGED_IN:
        client = _half_logged_in(who, a)
    else:
        visitor = _visitor(who, other)
        client = Client(raise_request_exception=False)
        if visitor is not None:
            client.force_login(visitor)
    before, writes = fingerprint(a.agency), write_count()
    for attempt in attempts:
        response = _try(client, attempt)
        where = f"{attempt.method} {attempt.url}"
        if response.status_code >= 500:
            yield f"{where}: {response.status_code}"
            continue
        shown = [m for m in markers if m in _body(response, attempt)]
        if shown:
            yield f"{where}: shows {shown[:3]}"
        if attempt.owned and response.status_code == 200:
            yield f"{where}: answers 200"
        if attempt.method == "POST" and write_count() != writes:
            # Something was written (a session, a log line, or the agency's data): look closer.
            writes = write_count()
            after = fingerprint(a.agency)
            if after != before:
                yield f"{where}: wrote {changed_tables(before, after)}"
                before = after


def test_the_municipalitys_own_administrator_sees_what_the_matrix_looks_for(
    client, municipality, forger
):
    """The other side of the matrix: the markers are there to be found, for the agency."""
    administrator = municipality.staff[Role.ADMINISTRATOR]
    client.force_login(administrator)
    for model in scoped_admins():
        obj = newest_of(model, municipality.agency)
        if not owned_by(model) or obj is None or not may(administrator, model, "view"):
            continue
        meta = model._meta
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/").content.decode()
        assert f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/" in page, meta.label
    worker = Client()
    worker.force_login(
        create_staff_member(
            agency=municipality.agency,
            roles=[Role.CASEWORKER, Role.SERVICE_OWNER],
            username=unique("worker"),
        )
    )
    reference = municipality.case.reference
    assert "marker-a-note" in worker.get(f"/staff/cases/{reference}/").content.decode()
    assert reference in worker.get("/staff/rules/parking-permit/").content.decode()
    officer = Client()
    officer.force_login(municipality.staff[Role.DATA_PROTECTION_OFFICER])
    assert "marker-a-client" in officer.get("/staff/privacy/alerts/").content.decode()
    alert = f"/staff/privacy/alerts/{municipality.alert.pk}/"
    assert "marker-a-alert-example" in officer.get(alert).content.decode()


def test_the_forged_alert_writes_would_be_written_for_the_municipalitys_own_officer(
    municipality, forger
):
    """The acknowledgement and the revocation the other agency's staff forge on the alert:
    sent by the Municipality's own data protection officer, each is written."""
    officer = Client()
    officer.force_login(municipality.staff[Role.DATA_PROTECTION_OFFICER])
    alert = f"/staff/privacy/alerts/{municipality.alert.pk}/"
    for data in (
        {"action": "acknowledge", "note": "forged"},
        {"action": "revoke", "confirm": "yes"},
    ):
        before = fingerprint(municipality.agency)
        officer.post(alert, data)
        assert fingerprint(municipality.agency) != before, data


def test_the_forged_request_writes_would_be_written_for_the_municipalitys_own_officer(
    municipality, forger
):
    """The extension and the decision the other agency's staff forge on the data-subject
    request: sent by the Municipality's own data protection officer, each is written."""
    officer = Client()
    officer.force_login(municipality.staff[Role.DATA_PROTECTION_OFFICER])
    on_request = f"/staff/privacy/requests/{municipality.subject_request.pk}/"
    assert "marker-a-request" in officer.get(on_request).content.decode()
    for data in (
        {"action": "extend", "text": "forged"},
        {
            "action": "decide",
            "granted": "yes",
            "text": "forged",
            "purpose": "proactive-eligibility",
        },
    ):
        before = fingerprint(municipality.agency)
        officer.post(on_request, data)
        assert fingerprint(municipality.agency) != before, data


def test_the_forged_advisory_writes_would_be_written_for_the_municipalitys_own_operator(
    municipality, forger
):
    """The discard and the issue the other agency's city operators forge on the advisory's
    draft: sent by the Municipality's own city operator, each is written."""
    operator = Client()
    operator.force_login(municipality.staff[Role.CITY_OPERATOR])
    second = an_advisory_draft(municipality.agency.code, "marker-a-second")
    texts = {f"{k}_{c}": "forged" for k in ("headline", "description") for c in ("en", "nl")}
    for draft, data in (
        (second, {"action": "discard", "severity": "Severe"}),
        (municipality.advisory, {"action": "issue", "severity": "Severe", **texts}),
    ):
        before = fingerprint(municipality.agency)
        operator.post(f"/staff/sensors/advisories/{draft.pk}/", data)
        assert fingerprint(municipality.agency) != before, data


@pytest.mark.parametrize("role", [Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR])
def test_the_forged_team_write_would_be_written_for_the_municipalitys_own_manager(
    municipality, forger, role
):
    """The join the other agency's staff forge on the Privacy team page: sent by the
    Municipality's own officer or administrator, the caseworker is put in the team."""
    manager = Client()
    manager.force_login(municipality.staff[role])
    worker = municipality.staff[Role.CASEWORKER]
    assert worker.username in manager.get("/staff/privacy/team/").content.decode()
    before = fingerprint(municipality.agency)

    manager.post("/staff/privacy/team/", {"member": worker.pk, "action": "join"})

    assert changed_tables(before, fingerprint(municipality.agency)) == ["identity.StaffTeam"]


def test_the_municipalitys_own_caseworkers_outside_the_privacy_team_see_no_privacy_request(
    municipality, forger
):
    """Within the agency too: privacy request cases are for the data protection officer and
    the Privacy team. A caseworker (and service owner) of the Municipality outside that team
    tries every attempt on the request and on its case, and the queues: none shows it, none
    answers 200 about it, none writes. Put in the team, the same caseworker sees it."""
    from civic.identity.models import StaffTeam

    attempts, _unclassified = all_attempts(municipality, forger)
    reference = municipality.subject_request.case.reference
    mine = [a for a in attempts if "/staff/privacy/requests/" in a.url or reference in a.url]
    mine += [Attempt("GET", "/staff/cases/"), Attempt("GET", f"/staff/cases/?q={reference}")]
    outsider = create_staff_member(
        agency=municipality.agency,
        roles=[Role.CASEWORKER, Role.SERVICE_OWNER],
        username=unique("outsider"),
    )
    client = Client(raise_request_exception=False)
    client.force_login(outsider)
    before, problems = fingerprint(municipality.agency), []
    for attempt in mine:
        response = _try(client, attempt)
        where = f"{attempt.method} {attempt.url}"
        if response.status_code >= 500 or (response.status_code == 200 and attempt.owned):
            problems.append(f"{where}: {response.status_code}")
        if reference in _body(response, attempt) or "marker-a-request" in _body(response, attempt):
            problems.append(f"{where}: shows the request")
    assert fingerprint(municipality.agency) == before
    assert len(mine) > 5 and not problems, "\n".join(problems)

    StaffTeam.objects.create(user=outsider, team="Privacy")
    assert (
        "marker-a-request"
        in client.get(
            f"/staff/privacy/requests/{municipality.subject_request.pk}/"
        ).content.decode()
    )
    assert client.get(f"/staff/cases/{reference}/").status_code == 200


def test_the_forged_writes_would_be_written_for_the_municipalitys_own_staff(municipality, forger):
    """Each forged new row and change is a valid one: sent by the Municipality's own
    administrator it is saved, so the other agency's refusal is the scoping's doing."""
    administrator = municipality.staff[Role.ADMINISTRATOR]
    client = Client()
    client.force_login(administrator)
    problems = []
    for model in scoped_admins():
        if not owned_by(model):
            continue
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        if may(administrator, model, "add"):
            before = rows_of(model, municipality.agency).count()
            response = client.post(f"{base}add/", forger.add(model))
            if rows_of(model, municipality.agency).count() != before + 1:
                problems.append(f"{meta.label} add: {response.status_code}")
        obj = newest_of(model, municipality.agency)
        forged = forger.change(model, obj) if obj is not None else None
        if forged is not None and may(administrator, model, "change", obj):
            before = fingerprint(municipality.agency)
            response = client.post(f"{base}{obj.pk}/change/", forged)
            if fingerprint(municipality.agency) == before:
                problems.append(f"{meta.label} change: {response.status_code}")

    assert not problems, "\n".join(problems)


def test_a_write_to_the_municipalitys_rows_moves_the_write_counter_the_matrix_watches(
    municipality,
):
    """The matrix hashes the Municipality's rows again only when the write counter moved: a
    write to those rows, on either engine, moves it (and changes the hash)."""
    import datetime as dt

    from django.db.models import F

    from civic.cases.models import Case

    writes, before = write_count(), fingerprint(municipality.agency)
    Case.objects.filter(pk=municipality.case.pk).update(deadline=F("deadline") + dt.timedelta(1))
    assert write_count() > writes
    assert changed_tables(before, fingerprint(municipality.agency))

"""Objection (GDPR art. 21) and restriction (art. 18) requests take effect in the exchange: an
upheld objection stops every release of the person's data under the purpose objected to
(problem+json ``objection-upheld``), proactive checks included; a restriction stops every
release but those art. 18(2) allows, corrections keep working, and lifting it tells the
resident first. Refused reads are counted and shown to the resident, never logged as
releases. Refused: an objection upheld against a purpose resting on consent."""

from __future__ import annotations

import base64

import pytest

from civic.compliance import services
from civic.compliance.models import SubjectRequest
from civic.core import clock, memo
from civic.core.errors import CivicError
from civic.decisions.proactive import job_actor, proactive_setup
from civic.decisions.rule_sets import proactive_reads
from civic.exchange import errors
from civic.exchange.models import AccessLogEntry, LegalGround, ProcessingLimit
from civic.exchange.own_data import own_data
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.query import register_query
from civic.exchange.selectors import address_ranges, population_read
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from civic.registers.models import Person, Residence
from civic.registers.selectors import bitemporal_at
from tests.builders import a_registered_resident, create_staff
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_memo import ask, shared_cache  # noqa: F401 (fixture)
from tests.portal.test_acting_for_someone import log_in

pytestmark = pytest.mark.django_db
QUERY = "/api/exchange/v1/persons/query"


@pytest.fixture
def officer(jurisdiction):
    return create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))


@pytest.fixture
def partner(jurisdiction):
    purpose = create_purpose(code="child-benefit")
    client, secret, actor = create_partner(purpose=purpose)
    token = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    return purpose, actor, {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _residents(count: int) -> list[str]:
    """Personal numbers of ``count`` living residents of the test jurisdiction."""
    return list(
        Person.objects.filter(
            pk__in=bitemporal_at(Residence.objects.all(), valid_at=clock.today()).values("person")
        )
        .exclude(records__date_of_death__isnull=False)
        .order_by("pk")
        .values_list("personal_number", flat=True)[:count]
    )


def _decided(kind: str, number: str, officer, **more) -> SubjectRequest:
    made = services.subject_request_start(
        personal_number=number, kind=kind, details="Stop using my data for this."
    )
    services.subject_request_decide(
        user=officer, request_id=made.pk, granted=True, reasons="Upheld.", **more
    )
    made.refresh_from_db()
    return made


def _read(actor, purpose, numbers):
    return register_query(
        actor=actor,
        register="persons",
        subjects=numbers,
        fields=["identity.birth_date"],
        purpose=purpose.code,
    )


def test_an_upheld_objection_stops_that_purpose_and_the_resident_sees_it(client, partner, officer):
    purpose, actor, credentials = partner
    objector, other = _residents(2)
    made = _decided("objection", objector, officer, purpose=purpose.code)

    refused = ask(client, purpose, credentials, objector)

    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/problems/objection-upheld")
    assert "art. 21" in refused.json()["detail"]
    assert not AccessLogEntry.objects.filter(subject=person_pseudonym(objector)).exists()
    with pytest.raises(errors.ObjectionUpheld):  # the whole request, others with it
        _read(actor, purpose, [other, objector])
    assert ask(client, purpose, credentials, other).status_code == 200
    limit = ProcessingLimit.objects.get(reference=made.case.reference)
    assert limit.refusals == 2 and limit.purpose == purpose
    assert made.purpose == purpose.code and made.case.decision.template == "upheld"

    log_in(client, objector)
    privacy = client.get("/my/privacy/").content.decode()
    tracker = client.get("/my/data-use/").content.decode()
    for page in (privacy, tracker):
        assert "Your objection to “Assess child benefit” was upheld" in page
        assert "Refused 2 times" in page
    assert "0 uses of your data" in tracker  # refused reads are not releases


def test_an_objection_cannot_be_upheld_against_a_purpose_resting_on_consent(partner, officer):
    consent = create_purpose(legal_ground=LegalGround.CONSENT)
    made = services.subject_request_start(
        personal_number=a_registered_resident(), kind="objection", details="No."
    )

    for purpose in (consent.code, "", "no-such-purpose"):
        with pytest.raises(CivicError, match=r"art\. 21"):
            services.subject_request_decide(
                user=officer, request_id=made.pk, granted=True, reasons="Yes.", purpose=purpose
            )

    made.refresh_from_db()
    assert made.state == "open" and not ProcessingLimit.objects.exists()


def test_the_objection_form_refuses_a_missing_purpose_with_an_error_summary(client, officer):
    made = services.subject_request_start(
        personal_number=a_registered_resident(), kind="objection", details="No."
    )
    client.force_login(officer)
    page = f"/staff/privacy/requests/{made.pk}/"

    refused = client.post(page, {"action": "decide", "granted": "yes", "text": "Upheld."})

    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.content.decode()
    assert SubjectRequest.objects.get(pk=made.pk).state == "open"


def test_proactive_checks_leave_out_whoever_objected_to_them(officer):
    first, last = address_ranges(10**9)[0]
    setup = proactive_setup()

    def everyone() -> set[str]:
        read = population_read(
            actor=job_actor(),
            purpose=setup.purpose,
            first_address=first,
            last_address=last,
            registers=proactive_reads(),
        )
        return {str(n) for n in read.personal_numbers}

    before = everyone()
    objector = sorted(before)[0]
    made = _decided("objection", objector, officer, purpose=setup.purpose)

    after = everyone()

    assert after == before - {objector}
    assert ProcessingLimit.objects.get(reference=made.case.reference).refusals == 1


def test_a_restriction_stops_other_uses_keeps_the_own_and_corrections_and_lifts_after_telling(
    client, partner, officer, settings
):
    purpose, actor, _credentials = partner
    number = a_registered_resident()
    made = _decided("restriction", number, officer)

    with pytest.raises(errors.ProcessingRestricted, match=r"art\. 18"):
        _read(actor, purpose, [number])
    claims = create_purpose(code="legal-claims")
    _c, _s, lawyer = create_partner(purpose=claims)
    settings.RESTRICTION_PURPOSES = ["legal-claims"]
    assert _read(lawyer, claims, [number])["results"][0]["subject"] == number
    log_in(client, number)
    assert own_data(personal_number=number)  # the person's own data, read under their purpose
    page = client.get("/my/privacy/").content.decode()
    assert "The use of your data is restricted" in page and "Refused 1 time" in page

    fix = services.subject_request_start(
        personal_number=number,
        kind="rectification",
        details="My given names are wrong.",
        register="persons",
        attribute="identity.given_names",
    )
    services.subject_request_complete(user=officer, request_id=fix.pk, value="Marijke")
    fix.refresh_from_db()
    assert fix.state == "done" and fix.correction  # rectification keeps working

    with pytest.raises(CivicError, match="resident is told"):
        services.subject_request_restriction_lift(user=officer, request_id=made.pk, reason=" ")
    assert ProcessingLimit.objects.get(reference=made.case.reference).lifted_at is None
    services.subject_request_restriction_lift(
        user=officer, request_id=made.pk, reason="The data was found correct."
    )

    told = Message.objects.filter(recipient=number, reference=made.case.reference).latest("pk")
    limit = ProcessingLimit.objects.get(reference=made.case.reference)
    assert "The data was found correct." in str(told.texts) and told.created_at <= limit.lifted_at
    assert _read(actor, purpose, [number])["results"][0]["subject"] == number
    assert "lifted" in client.get("/my/privacy/").content.decode()
    with pytest.raises(CivicError, match="no restriction in force"):
        services.subject_request_restriction_lift(user=officer, request_id=made.pk, reason="x")


def test_an_objection_upheld_in_another_process_reaches_this_ones_memo(
    client,
    partner,
    officer,
    shared_cache,  # noqa: F811 (the fixture imported above)
    django_capture_on_commit_callbacks,
):
    purpose, _actor, credentials = partner
    number = a_registered_resident()
    assert ask(client, purpose, credentials, number).status_code == 200  # memo: no limits
    assert memo.shared()

    with django_capture_on_commit_callbacks(execute=True):
        _decided("objection", number, officer, purpose=purpose.code)

    assert ask(client, purpose, credentials, number).status_code == 403


def test_only_the_privacy_team_and_the_officer_see_privacy_requests(client, officer):
    made = services.subject_request_start(personal_number=a_registered_resident(), kind="access")
    havenstad = agency_get(code="havenstad")
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=havenstad)
    client.force_login(caseworker)
    reference = made.case.reference

    assert reference not in client.get("/staff/privacy/requests/").content.decode()
    assert client.get(f"/staff/privacy/requests/{made.pk}/").status_code == 404
    assert client.get(f"/staff/cases/{reference}/").status_code == 404
    assert reference not in client.get("/staff/cases/").content.decode()
    refused = client.post(f"/staff/privacy/requests/{made.pk}/", {"action": "complete"})
    assert refused.status_code == 404
    with pytest.raises(CivicError):
        services.subject_request_complete(user=caseworker, request_id=made.pk)
    assert SubjectRequest.objects.get(pk=made.pk).state == "open"

    identity.staff_team_join(user=caseworker, team="Privacy")
    assert reference in client.get("/staff/privacy/requests/").content.decode()
    assert client.get(f"/staff/cases/{reference}/").status_code == 200
    client.force_login(officer)
    assert client.get(f"/staff/privacy/requests/{made.pk}/").status_code == 200


def test_a_resident_with_no_limits_sees_no_section(client, jurisdiction):
    number = _residents(1)[0]
    log_in(client, number)
    assert "Uses of your data you stopped" not in client.get("/my/privacy/").content.decode()


def test_an_operator_puts_a_caseworker_in_the_privacy_team_from_the_command_line(client):
    from io import StringIO

    from django.core.management import CommandError, call_command

    made = services.subject_request_start(personal_number=a_registered_resident(), kind="access")
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(caseworker)
    assert made.case.reference not in client.get("/staff/privacy/requests/").content.decode()

    out = StringIO()
    call_command("staff", "join-team", caseworker.username, " Privacy ", stdout=out)
    assert "Privacy" in out.getvalue()
    assert made.case.reference in client.get("/staff/privacy/requests/").content.decode()

    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("staff", "join-team", "nobody", "Privacy")
    with pytest.raises(CommandError, match="the team needs a name"):
        call_command("staff", "join-team", caseworker.username, "  ")

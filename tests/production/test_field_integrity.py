"""Field encryption as production runs it (the installed package, CIVIC_FIELD_KEYS=keyfile,
every sensitive value sealed by `civic privacy rotate-key`): a ciphertext moved to another row
does not open, and the caller is told so by Civic (problem+json `data-integrity` on the API,
the error page on a page), never with a traceback, the row or the person."""

from __future__ import annotations

import contextlib

import pytest

from tests.production.test_production import a_resident, eid_login

pytestmark = [pytest.mark.production, pytest.mark.slow]

#: Prints the resident's current record id, its stored nationality, and another row's.
TAMPER = """
from django.db import connection
from civic.registers.models import PersonRecord as R
mine = R.objects.filter(person__personal_number={number!r}, recorded_to=None).latest("valid_from")
other = R.objects.exclude(person=mine.person).filter(recorded_to=None).order_by("id").first()
with connection.cursor() as c:
    c.execute("SELECT id, nationality FROM registers_personrecord WHERE id IN (%s, %s)",
              [mine.pk, other.pk])
    stored = dict(c.fetchall())
assert stored[mine.pk].startswith("enc1:") and stored[other.pk].startswith("enc1:"), stored
R.objects.filter(pk=mine.pk).update(nationality=stored[other.pk])
print(mine.pk, stored[mine.pk])
"""
RESTORE = (
    "from civic.registers.models import PersonRecord as R\n"
    "R.objects.filter(pk={pk}).update(nationality={value!r})\n"
)
PARTNER = """
from civic.identity import services as i
from civic.identity.selectors import agency_get
from civic.exchange import services as x
from civic.exchange.models import Purpose
a = agency_get(code="havenstad")
c, s = i.api_client_create(agency=a, name="Integrity check")
p = Purpose.objects.filter(controller=a).order_by("code").first()
x.grant_create(purpose=p, register="persons",
               attributes=["identity.nationality", "identity.family_name"], api_client=c)
print(c.client_id, s, p.code)
"""


@contextlib.contextmanager
def moved_ciphertext(production, number: str):
    """The resident's nationality overwritten with another person's sealed value, for the
    duration; restored after (the installation is shared by the module's other tests)."""
    out = production.civic("shell", "-c", TAMPER.format(number=number)).stdout
    pk, original = out.strip().splitlines()[-1].split(" ", 1)
    try:
        yield int(pk)
    finally:
        production.civic("shell", "-c", RESTORE.format(pk=int(pk), value=original))


def _last(production, script: str) -> str:
    return production.civic("shell", "-c", script).stdout.strip().splitlines()[-1]


def test_a_moved_ciphertext_is_a_data_integrity_problem_on_the_api_and_civics_page(production, eid):
    number = a_resident(production)
    client_id, secret, purpose = _last(production, PARTNER).split()
    body = {"subjects": [number], "fields": ["identity.nationality"], "purpose": purpose}
    with production.browser() as browser:
        sound = browser.post("/api/exchange/v1/persons/query", json=body, auth=(client_id, secret))
    assert sound.status_code == 200, sound.text
    assert sound.json()["results"][0]["records"]["identity"]["nationality"]
    resident = eid_login(production, eid, number)

    with moved_ciphertext(production, number) as row:
        with production.browser() as browser:
            answer = browser.post(
                "/api/exchange/v1/persons/query", json=body, auth=(client_id, secret)
            )
        page = resident.get("/my/")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/data-integrity") and problem["trace_id"]
    assert number not in answer.text and f"row {row}" not in answer.text
    assert page.status_code == 500
    assert "Stored data failed its integrity check" in page.text
    assert "Traceback" not in page.text and number not in page.text
    assert f"row {row}" in production.log("web"), "the operators' log line names the row"
    with production.browser() as browser:
        again = browser.post("/api/exchange/v1/persons/query", json=body, auth=(client_id, secret))
    assert again.status_code == 200, "restored, the value opens again"
    resident.close()

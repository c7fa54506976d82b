"""Access alerts for the data protection officer: a partner walking over consecutive
identifiers, or released an unusual volume, raises one alert per client, kind and window; the
client agency's officers are e-mailed; a normal integration raises nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from civic.compliance.models import AccessAlert
from civic.core.numbers import personal_number_clean
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import pseudonym
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.registers.models import Address, PersonRecord
from tests.builders import a_registered_resident
from tests.exchange.builders import addresses_in_a_row, residents_scattered
from tests.exchange.partners import Clock, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def still(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def partner(db) -> Partner:
    return Partner()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """The partner's requests, with what waits for their commit (the officers' mail) done."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def officers(db) -> dict:
    """A data protection officer of the partner's agency, one of another agency, and a
    caseworker of the partner's agency: only the first is told."""

    def staff(code: str, role: str, name: str, language: str = ""):
        user = identity.staff_user_create(
            username=name,
            agency=agency_get(code=code),
            roles=[role],
            password=None,
            email=f"{name}@example.org",
        )
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        return user

    return {
        "officer": staff("social-insurance-bank", Role.DATA_PROTECTION_OFFICER, "dpo-bank"),
        "elsewhere": staff("havenstad", Role.DATA_PROTECTION_OFFICER, "dpo-havenstad"),
        "caseworker": staff("social-insurance-bank", Role.CASEWORKER, "worker-bank"),
    }


def _alerts(partner: Partner) -> list[AccessAlert]:
    return list(AccessAlert.objects.filter(api_client=partner.client).order_by("pk"))


def test_the_finding_a_walk_over_addresses_is_stopped_and_the_officer_gets_one_alert(
    client, partner, still, officers, after_commit
):
    with after_commit():
        codes = [partner.search(client, a).status_code for a in addresses_in_a_row(200)]

    assert 429 in codes and AccessLogEntry.objects.count() <= 60
    [alert] = _alerts(partner)
    assert alert.kind == AccessAlert.Kind.SEQUENTIAL
    assert alert.agency.code == "social-insurance-bank"
    assert alert.counts["walks"] == ["address-identifiers"]
    assert alert.counts["distinct_in_block"] >= 16 and alert.counts["blocks"] >= 3
    ranges = [example for example in alert.examples if " – " in example]
    asked = [example for example in alert.examples if " – " not in example]
    assert ranges and asked and set(asked) <= set(addresses_in_a_row(200))
    assert alert.trace_ids
    [told] = mail.outbox
    assert told.to == ["dpo-bank@example.org"]
    assert partner.client.client_id in told.body and "/staff/privacy/alerts/" in told.body
    assert alert.told_at is not None


def test_a_normal_integration_is_neither_limited_nor_reported(
    client, partner, still, officers, after_commit
):
    """Case work: a few dozen varied questions over half an hour, about people and addresses
    all over the register, one of them asked twice."""
    people = residents_scattered(30)
    every = list(Address.objects.order_by("identifier").values_list("identifier", flat=True))
    addresses = every[:: len(every) // 8][:8]
    person = PersonRecord.objects.filter(person__personal_number=people[3]).first()
    calls = [("query", [number]) for number in people[:20]]
    calls += [("query", people[20:25]), ("query", [people[0]])]
    calls += [("search", address) for address in addresses]
    calls += [("name", (person.family_name, person.birth_date.isoformat()))]
    codes = []
    with after_commit():
        for kind, what in calls:
            still.move(seconds=50)
            if kind == "query":
                codes.append(partner.query(client, what).status_code)
            elif kind == "search":
                codes.append(partner.search(client, what).status_code)
            else:
                codes.append(partner.search_by_name(client, *what).status_code)

    assert codes == [200] * len(calls)
    assert not _alerts(partner) and not mail.outbox


def test_a_walk_over_personal_numbers_is_seen_even_when_every_query_is_refused(
    client, partner, still, officers, after_commit
):
    start = int(a_registered_resident())
    numbers = []
    candidate = start
    while len(numbers) < 40:
        candidate += 1
        try:
            numbers.append(personal_number_clean(f"{candidate:09d}"))
        except Exception:  # noqa: S112 (not a valid number: the walk skips it too)
            continue

    with after_commit():
        codes = [partner.query(client, [number]).status_code for number in numbers]

    assert 200 not in codes  # nobody has these numbers: each call is refused (404)
    [alert] = _alerts(partner)
    assert alert.counts["walks"] == ["personal-numbers"]
    assert set(alert.examples) <= {pseudonym("persons", number) for number in numbers}
    shown = " ".join(alert.examples) + told_body()
    assert not any(number in shown for number in numbers), "numbers appear only as pseudonyms"


def told_body() -> str:
    return "".join(message.body for message in mail.outbox)


def test_a_walk_over_the_birth_days_of_one_family_name_is_seen_without_the_name(
    client, partner, still, officers, after_commit
):
    first = dt.date(1980, 3, 1)
    days = [(first + dt.timedelta(days=n)).isoformat() for n in range(40)]

    with after_commit():
        for day in days:
            assert partner.search_by_name(client, "Harvestersma", day).status_code == 200

    [alert] = _alerts(partner)
    assert alert.counts["walks"] == ["birth-dates"]
    assert alert.examples and all(" – 1980-" in example for example in alert.examples)
    assert "Harvestersma" not in " ".join(alert.examples) + told_body()


def test_one_alert_per_client_kind_and_window_and_a_new_window_a_new_one(
    client, partner, still, officers, after_commit
):
    partner.limits(per_minute=10_000, per_day=100_000)
    addresses = addresses_in_a_row(200)
    with after_commit():
        for address in addresses:
            partner.search(client, address)
    assert len(_alerts(partner)) == 1 and len(mail.outbox) == 1
    assert _alerts(partner)[0].counts["blocks"] >= 3

    still.move(hours=1)
    with after_commit():
        for address in addresses[:40]:
            partner.search(client, address)

    first, second = _alerts(partner)
    assert second.window_start == first.window_end
    assert len(mail.outbox) == 2


def test_volume_past_half_the_clients_limit_a_day_raises_one_volume_alert(
    client, partner, still, officers, after_commit
):
    partner.limits(per_minute=100, per_day=100)
    people = residents_scattered(100)

    with after_commit():
        for start in range(0, 80, 20):
            assert partner.query(client, people[start : start + 20]).status_code == 200
            still.move(minutes=2)

    [alert] = _alerts(partner)
    assert alert.kind == AccessAlert.Kind.VOLUME
    assert alert.counts["subjects_today"] == 60 and alert.counts["limit_per_day"] == 100
    assert alert.counts["share_of_limit"] == 50
    assert len(mail.outbox) == 1 and "unusual" in mail.outbox[0].subject


def test_volume_far_above_the_clients_own_week_raises_a_volume_alert(
    client, partner, still, officers, settings, after_commit
):
    settings.EXCHANGE_ALERT_BASELINE_MINIMUM = 100
    partner.limits(per_minute=1_000, per_day=100_000)
    people = residents_scattered(100)
    for _day in range(7):  # a week of steady work: 40 subjects a day
        for start in (0, 20):
            assert partner.query(client, people[start : start + 20]).status_code == 200
        still.move(days=1)
    assert not _alerts(partner)

    with after_commit():
        for start in range(0, 140, 20):  # today, more than three times as many
            partner.query(client, people[start % 100 : start % 100 + 20])

    [alert] = _alerts(partner)
    assert alert.kind == AccessAlert.Kind.VOLUME
    assert alert.counts["baseline"] == 40.0 and alert.counts["over_baseline"] == 120
    assert alert.counts["subjects_today"] == 120


def test_a_new_client_has_no_baseline_to_be_far_above(client, partner, still, officers, settings):
    settings.EXCHANGE_ALERT_BASELINE_MINIMUM = 20
    partner.limits(per_minute=1_000, per_day=100_000)
    people = residents_scattered(100)

    for start in range(0, 100, 20):
        assert partner.query(client, people[start : start + 20]).status_code == 200

    assert not _alerts(partner)


def test_a_mail_server_that_is_down_loses_neither_the_alert_nor_the_partners_answer(
    client, partner, still, officers, monkeypatch, after_commit
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("civic.compliance.notice.send_mail", down)
    with after_commit():
        codes = [partner.search(client, a).status_code for a in addresses_in_a_row(40)]

    assert set(codes) <= {200, 429} and 200 in codes
    [alert] = _alerts(partner)
    assert alert.told_at is None


def test_the_officer_is_told_in_their_own_language(client, partner, still, officers, after_commit):
    officer = officers["officer"]
    officer.preferred_language = "nl"
    officer.save(update_fields=["preferred_language"])

    with after_commit():
        for address in addresses_in_a_row(40):
            partner.search(client, address)

    [told] = mail.outbox
    assert "Toegangsmelding" in told.subject and "opeenvolgende" in told.subject

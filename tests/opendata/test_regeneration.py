"""Datasets defined in code, regenerated into versions: counts through the exchange (logged
once per version, refused without the grant), protected, and a failed regeneration keeping the
last good version online."""

from __future__ import annotations

import pytest

from civic.exchange.models import AccessLogEntry, Grant
from civic.exchange.selectors import Actor, QueryRefused, aggregate_read
from civic.exchange.services import grant_revoke
from civic.opendata.models import Dataset, DatasetVersion
from civic.opendata.services import dataset_regenerate
from tests.opendata.builders import catalogue_published

pytestmark = pytest.mark.django_db

POPULATION = "population-by-neighbourhood-age-sex"


def open_data_job() -> Actor:
    return Actor.job("open-data", agency="havenstad")


def test_every_dataset_is_published_with_a_first_version():
    outcome = catalogue_published()
    assert outcome == {
        "population-by-neighbourhood-age-sex": "v1",
        "households-by-size": "v1",
        "businesses-by-activity": "v1",
        "sensor-daily-summaries": "v1",
        "service-volumes": "v1",
        "service-processing-times": "v1",
        "service-kpis": "v1",
        "service-prefilled-answers": "v1",
        "form-step-drop-off": "v1",
        "service-satisfaction": "v1",
        "proactive-offers-taken-up": "v1",
        "algorithm-register": "v1",
    }
    assert Dataset.objects.get(name=POPULATION).organization.code == "havenstad"


def test_the_population_counts_add_up_to_every_resident_and_show_no_small_count():
    catalogue_published()
    version = DatasetVersion.objects.get(dataset__name=POPULATION)
    rows = version.table["rows"]
    grand = [r for r in rows if r[:3] == ["total", "total", "total"]]
    assert grand and grand[0][3] > 2000  # the test jurisdiction's residents, published
    published = [r[3] for r in rows if r[3] is not None]
    assert all(count == 0 or count >= 10 for count in published)
    assert version.withheld == sum(1 for r in rows if r[3] is None)


def test_small_household_counts_are_withheld_with_enough_others():
    catalogue_published()
    rows = DatasetVersion.objects.get(dataset__name="households-by-size").table["rows"]
    withheld = [r for r in rows if r[2] is None]
    assert withheld
    # No neighbourhood (nor the totals line) withholds exactly one of its counts.
    for neighbourhood in {r[0] for r in rows}:
        assert sum(1 for r in withheld if r[0] == neighbourhood) != 1
    for size in {r[1] for r in rows}:
        assert sum(1 for r in withheld if r[1] == size) != 1


def test_the_exchange_releases_counts_only_and_logs_the_release_once():
    first = aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="households")
    again = aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="households")
    assert first.release == again.release
    entries = AccessLogEntry.objects.filter(subject=first.release)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.kind, entry.purpose, entry.actor, entry.register) == (
        "counts",
        "statistics",
        "open-data",
        "persons",
    )
    assert entry.fields == "residence.address"
    # Counts by neighbourhood and size: no personal number anywhere in what was released.
    assert all(len(cell) == 3 and isinstance(cell[2], int) for cell in first.cells)


def test_the_business_counts_add_up_to_every_registered_business_by_nace_section():
    from civic.core import clock
    from civic.exchange.selectors import NACE_SECTIONS
    from civic.registers.models import BusinessRecord

    catalogue_published()
    rows = DatasetVersion.objects.get(dataset__name="businesses-by-activity").table["rows"]
    today = clock.today()
    registered = BusinessRecord.objects.filter(recorded_to=None, valid_from__lte=today).exclude(
        valid_to__lte=today
    )
    grand = next(r for r in rows if r[:2] == ["total", "total"])
    assert grand[2] == registered.count() > 0
    assert {r[1] for r in rows} - {"total"} <= {letter for letter, _lo, _hi in NACE_SECTIONS}
    # Software (SBI 62xx) is section J: its total is every registered business coded 62.
    section_j = next(r for r in rows if r[:2] == ["total", "J"])
    assert section_j[2] == registered.filter(activity_code__startswith="62").count()
    assert all(r[2] is None or r[2] == 0 or r[2] >= 10 for r in rows)
    entry = AccessLogEntry.objects.get(kind="counts", register="businesses")
    assert (entry.purpose, entry.actor) == ("statistics", "open-data")
    assert entry.fields == "registration.activity_code,registration.address"


def test_a_regeneration_with_nothing_changed_keeps_the_version():
    catalogue_published()
    version = dataset_regenerate(name=POPULATION)
    assert version.number == 1
    assert DatasetVersion.objects.filter(dataset__name=POPULATION).count() == 1
    # One release each of the population, households and businesses counts.
    assert AccessLogEntry.objects.filter(kind="counts", purpose="statistics").count() == 3


def test_counts_without_a_grant_are_refused_and_nothing_is_logged():
    grant = Grant.objects.get(purpose__code="statistics", job="open-data", register="persons")
    grant_revoke(grant=grant)
    with pytest.raises(QueryRefused, match="no grant"):
        aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="population")
    assert not AccessLogEntry.objects.filter(kind="counts").exists()


def test_a_failed_regeneration_keeps_the_last_good_version_online():
    catalogue_published()
    grant_revoke(
        grant=Grant.objects.get(purpose__code="statistics", job="open-data", register="persons")
    )
    assert dataset_regenerate(name=POPULATION) is None
    dataset = Dataset.objects.get(name=POPULATION)
    assert "no grant" in dataset.last_error
    assert dataset.versions.get().number == 1  # still published


def test_the_command_regenerates_and_reports_a_failure():
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("opendata", "regenerate", "households-by-size", stdout=out)
    assert out.getvalue().startswith("households-by-size: v1 (")
    grant_revoke(
        grant=Grant.objects.get(purpose__code="statistics", job="open-data", register="persons")
    )
    with pytest.raises(CommandError, match="1 dataset"):
        call_command("opendata", "regenerate", "households-by-size", stdout=out, stderr=StringIO())
    status = StringIO()
    call_command("opendata", "status", stdout=status)
    assert "households-by-size  v1  last error: NotGranted" in status.getvalue()
    with pytest.raises(CommandError, match="no dataset called nope"):
        call_command("opendata", "regenerate", "nope")


def test_a_resident_who_restricted_processing_is_not_counted():
    from civic.exchange.models import ProcessingLimit
    from civic.exchange.services import processing_limit_set
    from civic.registers.selectors import demo_resident_personal_number

    before = aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="population")
    processing_limit_set(
        personal_number=demo_resident_personal_number(),
        kind=ProcessingLimit.Kind.RESTRICTION,
        reference="TEST-1",
    )
    after = aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="population")
    assert sum(c[-1] for c in after.cells) == sum(c[-1] for c in before.cells) - 1
    assert after.release != before.release


def test_the_release_entry_joins_the_verifiable_log():
    from civic.exchange import auditlog

    counts = aggregate_read(actor=open_data_job(), purpose="statistics", aggregate="population")
    auditlog.integrate()
    entry = AccessLogEntry.objects.get(subject=counts.release)
    assert entry.position is not None and entry.quarantined == ""


def test_the_nightly_task_is_scheduled_and_regenerates(settings):
    from civic.celery import app
    from civic.opendata.tasks import datasets_regenerate_task

    entry = settings.CELERY_BEAT_SCHEDULE["opendata-regenerate-nightly"]
    assert entry["task"] in app.tasks and entry["schedule"] == 24 * 3600
    outcome = datasets_regenerate_task.apply().get()
    assert outcome["households-by-size"] == "v1"


def closed_cases(count: int, *, month: int, days: int) -> None:
    """``count`` parking-permit cases opened in 2026-``month`` and closed ``days`` later."""
    import datetime as dt

    from civic.cases.models import Case, CaseType

    case_type = CaseType.objects.get(code="parking-permit")
    opened = dt.datetime(2026, month, 2, 9, tzinfo=dt.UTC)
    Case.objects.bulk_create(
        Case(
            reference=f"T{month:02d}-{i:04d}",
            case_type=case_type,
            agency=case_type.agency,
            subject="999990019",
            applicant="999990019",
            state="decided",
            opened_at=opened,
            deadline=opened.date() + dt.timedelta(days=56),
            closed_at=opened + dt.timedelta(days=days),
        )
        for i in range(count)
    )


def test_processing_times_give_a_median_only_where_the_count_is_published():
    closed_cases(12, month=3, days=10)
    closed_cases(3, month=4, days=2)
    version = dataset_regenerate(name="service-processing-times")
    rows = {tuple(r[:2]): r[2:] for r in version.table["rows"]}
    assert all(count is None or count == 0 or count >= 10 for count, _median in rows.values())
    for count, median in rows.values():
        assert (median is None) == (not count)
    assert rows[("total", "total")] == [15, 10.0]  # twelve cases of 10 days, three of 2
    assert rows[("parking-permit", "2026-04")] == [None, None]

"""Shared test setup: a small generated jurisdiction in the test database, and service checks.

Under CI (or CIVIC_REQUIRE_SERVICES=postgres) a run meant for PostgreSQL that finds another
database fails at once rather than passing on the wrong engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time

import pytest

#: The test jurisdiction: small enough to build in about a second, big enough for history.
TEST_RESIDENTS = 3_000
TEST_SEED = 7
TEST_UNTIL = dt.date(2026, 11, 30)


def pytest_report_header(config):
    from django.db import connection

    return f"civic: database engine {connection.vendor}"


def pytest_addoption(parser):
    parser.addoption(
        "--engine-dependent-only",
        action="store_true",
        help="run only the tests whose outcome can depend on the database engine (those that use "
        "a database of this run's engine); `make test` runs the rest once, on SQLite",
    )


#: pytest-django's fixtures that give a test the test database, and ours that give a child
#: process a fresh database of the run's engine (tests/setup/conftest.py).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "fresh_database",
    }
)
#: Tests that ask for no database fixture but run a child process on the run's engine:
#: the benchmarks' smoke run (`--only sqlite|postgres`, from DATABASE_URL).
ENGINE_IN_A_CHILD_PROCESS = ("tests/benchmarks/",)


def engine_dependent(item) -> bool:
    """Whether ``item`` proves something of the database engine it runs on.

    A test that never reaches a database (pytest-django refuses it the test database unless it
    asks for one) proves the same on SQLite and PostgreSQL, and so does one marked
    ``engine_independent`` (the accessibility checks: the pages' HTML does not depend on the
    engine, and every view is also tested on both engines by its own tests). The production
    tests run the installed package on PostgreSQL whatever the suite's engine is."""
    if item.get_closest_marker("engine_independent"):
        return False
    if item.get_closest_marker("production") or item.get_closest_marker("django_db"):
        return True
    if item.nodeid.startswith(ENGINE_IN_A_CHILD_PROCESS):
        return True
    return not DATABASE_FIXTURES.isdisjoint(item.fixturenames)


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--engine-dependent-only"):
        return
    kept, dropped = [], []
    for item in items:
        (kept if engine_dependent(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def require_service(name: str, host: str, port: int) -> None:
    """Skip (with the reason) when a service this test needs is down; under CI, fail instead."""
    import socket

    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        message = f"{name} at {host}:{port} does not answer ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI needs it")
        pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _required_services():
    from django.db import connection

    required = {s for s in os.environ.get("CIVIC_REQUIRE_SERVICES", "").split(",") if s}
    if "postgres" in required and connection.vendor != "postgresql":
        pytest.fail(f"this run must use PostgreSQL but DATABASE_URL gives {connection.vendor}")


@pytest.fixture(scope="session", autouse=True)
def _own_celery_queue():
    """Each test run sends and consumes its tasks on a queue of its own, as each installation
    does on a shared broker, so two runs on one machine never take each other's work."""
    from django.conf import settings

    from civic.celery import DEAD_LETTER_SUFFIX, app, queues_configure

    name = f"civic-test-{os.getpid()}"
    settings.INSTANCE = settings.CELERY_TASK_DEFAULT_QUEUE = name
    queues_configure(app, name)
    # An in-test worker stops only after its next broker heartbeat (10 s by default); without
    # heartbeats it stops within a second, and a slow machine does not time the test out.
    app.conf.broker_heartbeat = 0
    yield name
    try:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(name)
            connection.default_channel.queue_delete(name + DEAD_LETTER_SUFFIX)
    except Exception:  # noqa: S110 (no broker, or the queue was never made: nothing to tidy)
        pass


def eventually(check, timeout: float = 15.0, every: float = 0.1) -> bool:
    """Whether ``check()`` comes true within ``timeout`` seconds, asked every ``every``.

    For a test that polls the database while a thread of its own (an in-test Celery worker, an
    ingester) writes to it: SQLite's in-memory test database is shared between threads through
    its shared cache, where a reader meets a writer's table lock at once ("database table is
    locked"; no busy timeout applies), so such a poll counts as "not yet", not as a failure.
    """
    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return True
        except OperationalError as error:
            if "locked" not in str(error):
                raise
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)


@pytest.fixture
def empty_queue(_own_celery_queue):
    """The run's queue holds nothing from an earlier test before and after this one: a task
    left there by a test with no worker would otherwise reach the next test's worker, which
    would run it against the database beside the test's own writes."""
    from civic.celery import app

    def purge() -> None:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_declare(_own_celery_queue, passive=True)
            connection.default_channel.queue_purge(_own_celery_queue)

    # A queue never made holds nothing: the passive declare's refusal is the answer.
    with contextlib.suppress(Exception):
        purge()
    yield _own_celery_queue
    with contextlib.suppress(Exception):
        purge()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A PostgreSQL test database of this run's own (test_<name>_<run>, and _gw0, _gw1 under
    pytest-xdist): two runs against one server, as on a shared CI machine, never drop each
    other's database. SQLite's test database is in memory, each process its own."""
    from django.conf import settings

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("postgresql"):
            test = database.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{run}"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """Civic's wheel, built from this checkout. `make test` builds it once for both of its runs
    (scripts/run-tests sets CIVIC_TEST_WHEEL); a run without it builds its own."""
    import subprocess
    import sys
    from pathlib import Path

    if os.environ.get("CIVIC_TEST_WHEEL"):
        return Path(os.environ["CIVIC_TEST_WHEEL"])
    root = Path(__file__).resolve().parents[1]
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "-q", "-w", str(folder)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = folder.glob("civic-*.whl")
    return built


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Generate the test jurisdiction once per session, after the test database is created."""
    from civic.registers import services

    with django_db_blocker.unblock():
        services.jurisdiction_generate(residents=TEST_RESIDENTS, seed=TEST_SEED, until=TEST_UNTIL)
        _platform_data_load()
    yield


def _platform_data_load() -> None:
    """What `civic demo` sets up besides the jurisdiction: the demo jurisdiction's set-up file
    (agencies, purposes, grants, catalogue, case types, forms, the rules' set-up), applied as
    any installation applies its own, and the message templates."""
    from civic.decisions.selectors import proactive_setup_get
    from civic.decisions.services import proactive_setup_set
    from civic.notify.services import templates_load
    from civic.setup.services import DEMO_SETUP, setup_apply

    setup_apply(path=DEMO_SETUP)
    templates_load()
    # Tests of life events subscribe themselves (tests.decisions.builders.life_events_follow),
    # so that elsewhere a register change reaches only the subscribers a test made.
    proactive = proactive_setup_get()
    proactive_setup_set(agency=proactive["agency"], purpose=proactive["purpose"], life_events=[])


@pytest.fixture(autouse=True)
def _no_background_threads(settings):
    """Tests deliver events themselves, in their own transaction."""
    settings.EVENT_DELIVERY = "off"


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(staff)`` stands for a staff login through both steps, password and
    authenticator code: the session is marked as having passed the staff member's factor (one
    with tests.staff_login.KNOWN_SECRET is made if they have none), as the code page marks it.
    The login pages themselves are tested through their real steps (tests/identity/)."""
    from django.test import Client

    from tests.staff_login import session_passes_second_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session_passes_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _no_partitions_remembered_from_another_test():
    """The sensor ingest remembers, per process, the monthly partitions it made
    (sensors.partitions); a test's partitions go with its rolled-back transaction, so the next
    test starts as a new process would, knowing none."""
    from civic.sensors import partitions

    partitions._known.clear()


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks_otherwise():
    """A request in Dutch leaves Dutch active in the thread; start every test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def committed_data(transactional_db):
    """For tests that commit (a live server, a real worker): pytest-django empties the database
    after each of them, so the next one puts the test jurisdiction and catalogue back."""
    from civic.registers import services
    from civic.registers.models import Person

    if not Person.objects.exists():
        services.jurisdiction_generate(residents=TEST_RESIDENTS, seed=TEST_SEED, until=TEST_UNTIL)
        _platform_data_load()


@pytest.fixture
def jurisdiction(db):
    from civic.registers.selectors import jurisdiction_get

    return jurisdiction_get()

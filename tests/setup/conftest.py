"""A fresh database for the `civic` command, of the engine this run tests: an empty migrated
SQLite file, or a new PostgreSQL database on the test server. Migrated once per session into
a template and copied per test, since migrating takes seconds."""

from __future__ import annotations

import shutil
import uuid
from contextlib import closing

import pytest

from tests.setup.builders import civic


def _postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    import psycopg

    params = connection.settings_dict

    def url(name: str) -> str:
        user = params.get("USER") or "postgres"
        password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{name}"

    def admin():
        return psycopg.connect(
            url("postgres").replace("postgres://", "postgresql://"), autocommit=True
        )

    return url, admin


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    postgres = _postgres()
    var = tmp_path_factory.mktemp("setup-template")
    if postgres is None:
        env = {"CIVIC_VAR_DIR": str(var), "DATABASE_URL": ""}
    else:
        url, admin = postgres
        name = f"civic_setup_template_{uuid.uuid4().hex[:8]}"
        with closing(admin()) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        env = {"CIVIC_VAR_DIR": str(var), "DATABASE_URL": url(name)}
    migrated = civic("migrate", "-v", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    yield env
    if postgres is not None:
        with closing(postgres[1]()) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_database(_migrated_template, tmp_path):
    """Environment variables for `civic` (tests.setup.builders.civic) on an empty, migrated
    database that no other test touches."""
    postgres = _postgres()
    var = tmp_path / "var"
    shutil.copytree(_migrated_template["CIVIC_VAR_DIR"], var)
    if postgres is None:
        yield {"CIVIC_VAR_DIR": str(var), "DATABASE_URL": ""}
        return
    url, admin = postgres
    template = _migrated_template["DATABASE_URL"].rsplit("/", 1)[1]
    name = f"civic_setup_fresh_{uuid.uuid4().hex[:8]}"
    with closing(admin()) as db:
        db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield {"CIVIC_VAR_DIR": str(var), "DATABASE_URL": url(name)}
    with closing(admin()) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""Settings: one documented helper, safe defaults, and a production mode that refuses unsafe ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from civic.core.config import ConfigError, env

ROOT = Path(__file__).resolve().parents[2]
CIVIC = [sys.executable, "-m", "civic"]
GOOD_SECRET = "x" * 50


def civic(*args: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [*CIVIC, *args],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )


def test_a_setting_is_parsed_by_its_type():
    assert env("X_BOOL", default=False, kind=bool, help="h", environ={"X_BOOL": "yes"}) is True
    assert env("X_INT", default=1, kind=int, help="h", environ={"X_INT": "42"}) == 42
    assert env("X_LIST", default=[], kind=list, help="h", environ={"X_LIST": "a, b,,c"}) == [
        "a",
        "b",
        "c",
    ]
    assert env("X_STR", default="d", help="h", environ={}) == "d"


@pytest.mark.parametrize(
    "kind, raw, message", [(bool, "maybe", "true/false"), (int, "ten", "whole number")]
)
def test_a_setting_with_a_value_of_the_wrong_type_is_refused_naming_the_variable(
    kind, raw, message
):
    with pytest.raises(ConfigError, match=f"X_BAD.*{message}"):
        env("X_BAD", default=None, kind=kind, help="h", environ={"X_BAD": raw})


def test_production_refuses_to_start_with_the_placeholder_secret_key():
    result = civic("config", "check", CIVIC_ENV="production")
    assert result.returncode == 2
    assert "CIVIC_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = civic(
        "config", "check", CIVIC_ENV="production", CIVIC_SECRET_KEY=GOOD_SECRET, CIVIC_DEBUG="true"
    )
    assert result.returncode == 2
    assert "CIVIC_DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_to_start_without_its_own_pseudonym_key():
    result = civic("config", "check", CIVIC_ENV="production", CIVIC_SECRET_KEY=GOOD_SECRET)
    assert result.returncode == 2 and "CIVIC_PSEUDONYM_KEY" in result.stderr


def test_production_starts_with_a_real_secret_and_debug_off():
    result = civic(
        "config",
        "check",
        CIVIC_ENV="production",
        CIVIC_SECRET_KEY=GOOD_SECRET,
        CIVIC_PSEUDONYM_KEY="p" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert "CIVIC_ENV=production" in result.stdout


def test_a_malformed_setting_is_one_clear_line_not_a_traceback():
    result = civic("config", "check", CIVIC_STAFF_LOGIN_FAILURE_LIMIT="lots")
    assert result.returncode == 2
    assert "CIVIC_STAFF_LOGIN_FAILURE_LIMIT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_database_url_switches_to_postgresql():
    code = "from django.db import connection; print(connection.vendor, connection.settings_dict['NAME'])"
    result = civic(
        "shell", "-v", "0", "-c", code, DATABASE_URL="postgres://civic@db.invalid:5432/civic"
    )
    assert result.stdout.split() == ["postgresql", "civic"], result.stderr


def test_the_configuration_reference_in_docs_is_generated_from_the_code():
    result = civic("config", "docs")
    assert result.returncode == 0, result.stderr
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert result.stdout.strip() == documented.strip(), (
        "run `make docs` to regenerate docs/configuration.md"
    )
    for variable in (
        "DATABASE_URL",
        "CIVIC_ENV",
        "CIVIC_SECRET_KEY",
        "CIVIC_OIDC_CLIENT_ID",
        "CIVIC_WEB_WORKERS",
    ):
        assert f"`{variable}`" in documented


def test_civic_help_lists_civics_own_verbs_before_djangos():
    result = civic("--help")
    text = result.stdout
    assert result.returncode == 0
    assert text.index("Civic's verbs") < text.index("Django's verbs")
    ours = text[text.index("Civic's verbs") : text.index("Django's verbs")]
    for verb in ("jurisdiction", "demo", "serve", "apiclient", "config"):
        assert f"  {verb} " in ours


def test_a_command_against_an_unmigrated_database_says_so_in_one_line(tmp_path):
    result = civic(
        "jurisdiction", "generate", "--residents", "500", "--quiet", CIVIC_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 2
    assert "civic migrate" in result.stderr and "Traceback" not in result.stderr


def test_a_database_that_does_not_answer_is_one_clear_line():
    result = civic("jurisdiction", "show", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "the database refused" in result.stderr and "Traceback" not in result.stderr

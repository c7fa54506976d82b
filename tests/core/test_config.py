"""Settings: one documented helper, safe defaults, and a production mode that refuses unsafe ones."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civic.core.config import ConfigError, env

ROOT = Path(__file__).resolve().parents[2]
CIVIC = [sys.executable, "-m", "civic"]


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
    assert env("X_FLOAT", default=1.0, kind=float, help="h", environ={"X_FLOAT": "0.25"}) == 0.25


@pytest.mark.parametrize(
    "kind, raw, message",
    [(bool, "maybe", "true/false"), (int, "ten", "whole number"), (float, "half", "number")],
)
def test_a_setting_with_a_value_of_the_wrong_type_is_refused_naming_the_variable(
    kind, raw, message
):
    with pytest.raises(ConfigError, match=f"X_BAD.*{message}"):
        env("X_BAD", default=None, kind=kind, help="h", environ={"X_BAD": raw})


#: Keys as `secrets.token_urlsafe(48)` makes them.
GOOD_SECRET = "Qm1vZ0JtYXk3c2V0dGxlRk9SdGhlU0VDUkVUa2V5X3Nob3VsZA-9xk2"
GOOD_PSEUDONYM_KEY = "p7Hk2nV9wQe4Rt6Yu1Io0Pa3Sd5Fg8Jh_LzXcVbNm-Kq"
#: What a production installation with the national eID sets.
PRODUCTION = {
    "CIVIC_ENV": "production",
    "CIVIC_SECRET_KEY": GOOD_SECRET,
    "CIVIC_PSEUDONYM_KEY": GOOD_PSEUDONYM_KEY,
    "CIVIC_ALLOWED_HOSTS": "civic.example.org",
    "CIVIC_CACHE_URL": "redis://127.0.0.1:6379/15",
    "CIVIC_RESIDENT_LOGIN_METHODS": "oidc",
    "CIVIC_OIDC_CLIENT_ID": "civic",
    "CIVIC_OIDC_AUTHORIZATION_ENDPOINT": "https://eid.example.org/authorize",
    "CIVIC_OIDC_TOKEN_ENDPOINT": "https://eid.example.org/token",
    "CIVIC_OIDC_JWKS_ENDPOINT": "https://eid.example.org/jwks",
}


def production_check(**changes: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in {**PRODUCTION, **changes}.items() if v is not None}
    return civic("config", "check", **environment)


def test_production_starts_with_strong_keys_debug_off_and_the_eid_login():
    result = production_check()
    assert result.returncode == 0, result.stderr
    assert "CIVIC_ENV=production" in result.stdout


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"CIVIC_SECRET_KEY": None}, "CIVIC_SECRET_KEY is not set"),
        ({"CIVIC_SECRET_KEY": "civic-placeholder-secret-key-change-me"}, "CIVIC_SECRET_KEY"),
        ({"CIVIC_SECRET_KEY": "civic-placeholder-secret-key-change-me "}, "CIVIC_SECRET_KEY"),
        ({"CIVIC_SECRET_KEY": GOOD_SECRET + " "}, "CIVIC_SECRET_KEY starts or ends with white"),
        ({"CIVIC_SECRET_KEY": "a" * 32}, "CIVIC_SECRET_KEY is too predictable"),
        ({"CIVIC_SECRET_KEY": "password" * 6}, "CIVIC_SECRET_KEY is too predictable"),
        ({"CIVIC_SECRET_KEY": GOOD_SECRET[:20]}, "CIVIC_SECRET_KEY is shorter than 32"),
        ({"CIVIC_DEBUG": "true"}, "CIVIC_DEBUG"),
        ({"CIVIC_CACHE_URL": None}, "CIVIC_CACHE_URL is not set"),
        ({"CIVIC_PSEUDONYM_KEY": None}, "CIVIC_PSEUDONYM_KEY is not set"),
        (
            {"CIVIC_PSEUDONYM_KEY": "civic-placeholder-secret-key-change-me"},
            "CIVIC_PSEUDONYM_KEY is the public placeholder",
        ),
        (
            {"CIVIC_PSEUDONYM_KEY": GOOD_SECRET},
            "CIVIC_PSEUDONYM_KEY is the same as CIVIC_SECRET_KEY",
        ),
        ({"CIVIC_PSEUDONYM_KEY": "a" * 32}, "CIVIC_PSEUDONYM_KEY is too predictable"),
        ({"CIVIC_ALLOWED_HOSTS": "*"}, "CIVIC_ALLOWED_HOSTS contains a wildcard"),
        ({"CIVIC_RESIDENT_LOGIN_METHODS": "oidc,onetimecode"}, "`onetimecode`"),
        ({"CIVIC_PRINT_LOGIN_CODES": "true"}, "CIVIC_PRINT_LOGIN_CODES"),
        ({"CIVIC_STAFF_SECOND_FACTOR": "off"}, "CIVIC_STAFF_SECOND_FACTOR is not `required`"),
        ({"CIVIC_OIDC_TOKEN_ENDPOINT": None}, "the eID login needs CIVIC_OIDC_TOKEN_ENDPOINT"),
        (
            {"CIVIC_OIDC_TOKEN_ENDPOINT": "http://eid.example.org/token"},
            "CIVIC_OIDC_TOKEN_ENDPOINT must be https://",
        ),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting_and_names_it(changes, named):
    result = production_check(**changes)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "variable, typo",
    [
        ("CIVIC_EVENT_DELIVERY", "celry"),
        ("CIVIC_NOTIFY_DELIVERY", "smtp"),
        ("CIVIC_PROACTIVE_RUNNER", "worker"),
        ("CIVIC_EMAIL_BACKEND", "sendmail"),
        ("CIVIC_ENV", "prod"),
        ("CIVIC_LOG_FORMAT", "xml"),
        ("CIVIC_STAFF_SECOND_FACTOR", "optional"),
        ("CIVIC_TRACES_EXPORTER", "jaeger"),
    ],
)
def test_a_setting_that_takes_one_of_a_few_words_refuses_any_other(variable, typo):
    result = civic("config", "check", **{variable: typo})
    assert result.returncode == 2
    assert f"{variable} must be" in result.stderr and repr(typo.split(",")[-1]) in result.stderr


@pytest.mark.parametrize(
    "variable, typo, known",
    [
        ("CIVIC_UPLOAD_SCANNER", "clam", "known: clamd, none."),
        ("CIVIC_SMS_PROVIDER", "outbx", "known: outbox."),
        ("CIVIC_RESIDENT_LOGIN_METHODS", "onetimecode,eid", "known: oidc, onetimecode."),
    ],
)
def test_a_plugin_setting_with_a_typo_stops_the_start_naming_the_plugins_civic_knows(
    variable, typo, known
):
    result = civic("config", "check", **{variable: typo})
    assert result.returncode == 2
    assert "configuration refused" in result.stderr and "Traceback" not in result.stderr
    assert f"{variable} names no" in result.stderr
    assert repr(typo.split(",")[-1]) in result.stderr and known in result.stderr


@pytest.mark.parametrize(
    "variable, path",
    [
        ("CIVIC_UPLOAD_SCANNER", "acme.scanners.Scanner"),
        ("CIVIC_SMS_PROVIDER", "acme_sms.AcmeProvider"),
    ],
)
def test_a_plugin_outside_civic_that_cannot_be_imported_stops_the_start(variable, path):
    result = civic("config", "check", **{variable: path})
    assert result.returncode == 2
    assert f"{variable}: " in result.stderr and "cannot be imported" in result.stderr


def test_a_dotted_path_that_is_not_a_plugin_of_the_kind_stops_the_start():
    result = civic(
        "config", "check", CIVIC_SMS_PROVIDER="civic.forms.scanning.contrib.none.NoScanner"
    )
    assert result.returncode == 2
    assert "is not usable as SMS provider" in result.stderr
    assert "civic.notify.sms.base.SmsProvider" in result.stderr


def test_the_former_dotted_path_of_the_outbox_sms_provider_still_starts():
    result = civic("config", "check", CIVIC_SMS_PROVIDER="civic.notify.sms.OutboxProvider")
    assert result.returncode == 0, result.stderr


def test_a_sample_ratio_outside_zero_to_one_is_refused_naming_the_setting():
    result = civic("config", "check", CIVIC_TRACES_SAMPLE_RATIO="10")
    assert result.returncode == 2
    assert "CIVIC_TRACES_SAMPLE_RATIO must be from 0 to 1" in result.stderr


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        (
            {"CIVIC_WEBHOOK_ALLOWED_NETWORKS": "10.20.0.0/24,intranet"},
            "CIVIC_WEBHOOK_ALLOWED_NETWORKS: 'intranet' is not a network",
        ),
        (
            {"CIVIC_WEBHOOK_ALLOWED_NETWORKS": "0.0.0.0/0"},
            "CIVIC_WEBHOOK_ALLOWED_NETWORKS: '0.0.0.0/0' is every address",
        ),
        (
            {"CIVIC_WEBHOOK_CA_FILE": "/nowhere/partners-ca.pem"},
            "CIVIC_WEBHOOK_CA_FILE: there is no file '/nowhere/partners-ca.pem'",
        ),
    ],
)
def test_webhook_networks_and_ca_file_are_checked(changes, named):
    result = civic("config", "check", **changes)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr


def test_without_a_secret_key_each_installation_makes_its_own_and_keeps_it(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = civic("shell", "-v", "0", "-c", code, CIVIC_VAR_DIR=str(tmp_path / "one"))
    again = civic("shell", "-v", "0", "-c", code, CIVIC_VAR_DIR=str(tmp_path / "one"))
    other = civic("shell", "-v", "0", "-c", code, CIVIC_VAR_DIR=str(tmp_path / "two"))
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout != other.stdout
    assert "placeholder" not in first.stdout and len(first.stdout.strip()) >= 60
    key_file = tmp_path / "one" / "keys" / "secret-key"
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def _secret_after_the_barrier(barrier, path: str, answers) -> None:
    from civic.core.conf import installation_secret

    barrier.wait()
    answers.put(installation_secret(Path(path)))


def test_processes_starting_together_on_a_new_installation_share_one_complete_key(tmp_path):
    # CI once ran a whole test run with an empty SECRET_KEY: it read the key file between its
    # creation by the run beside it and the key being written into it.
    context = multiprocessing.get_context("fork")
    for attempt in range(15):
        path = tmp_path / str(attempt) / "keys" / "secret-key"
        barrier, answers = context.Barrier(6), context.Queue()
        starters = [
            context.Process(target=_secret_after_the_barrier, args=(barrier, str(path), answers))
            for _ in range(6)
        ]
        for process in starters:
            process.start()
        keys = {answers.get(timeout=30) for _ in starters}
        for process in starters:
            process.join(timeout=30)
        assert len(keys) == 1 and len(keys.pop()) >= 60
        assert path.read_text().strip() and list(path.parent.iterdir()) == [path]


def test_an_empty_key_file_is_refused_with_what_to_do(tmp_path):
    from civic.core.conf import installation_secret

    (tmp_path / "secret-key").write_text("\n")
    with pytest.raises(ConfigError, match="secret-key is empty; delete it"):
        installation_secret(tmp_path / "secret-key")


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
    for verb in ("jurisdiction", "demo", "setup", "serve", "apiclient", "config"):
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


@pytest.mark.parametrize(
    "variable, value, said",
    [
        ("CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE", "0", "at least 1"),
        ("CIVIC_EXCHANGE_SUBJECTS_PER_DAY", "-5", "at least 1"),
        ("CIVIC_EXCHANGE_SCAN_RUN", "0", "at least 1"),
        ("CIVIC_EXCHANGE_ALERT_DAY_PERCENT", "150", "between 1 and 100"),
    ],
)
def test_a_partner_limit_that_is_no_limit_stops_the_start(variable, value, said):
    result = civic("config", "check", **{variable: value})
    assert result.returncode == 2
    assert variable in result.stderr and said in result.stderr

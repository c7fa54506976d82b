"""Production as it runs: Civic's wheel installed (not the checkout) into a fresh virtual
environment, on PostgreSQL, served by `civic serve` over TLS with CIVIC_ENV=production, a Celery
worker and beat on RabbitMQ, a real SMTP server (aiosmtpd) and a real OpenID Connect provider
(oidc-provider-mock) as the eID. Unit tests of production settings do not prove production;
these do. Run under CI (`make test`); skipped, with the reason, where a service is missing.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
#: The key the city's devices write readings with (/sta/v1.1/).
SENSOR_KEY = secrets.token_urlsafe(24)
PG_ADMIN = os.environ.get("CIVIC_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("production")


@pytest.fixture(scope="session")
def installed(workdir, wheel) -> Path:
    """The wheel built from this checkout (tests/conftest.py), installed with its dependencies
    into a new venv."""
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    # Nothing of the checkout may leak in: the installed civic is the one that runs.
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import civic; print(civic.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=workdir,
    ).stdout.strip()
    assert str(venv) in where, where
    return venv / "bin"


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import psycopg

    name = f"civic_production_test_{os.getpid()}"
    admin = PG_ADMIN.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0].replace("postgresql://", "postgres://") + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class MailSink:
    """A real SMTP server that keeps what it receives."""

    def __init__(self):
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if text in message:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no message with {text!r} arrived; got {len(self.messages)}")


@pytest.fixture(scope="session")
def smtp() -> Iterator[tuple[MailSink, int]]:
    from aiosmtpd.controller import Controller

    sink, port = MailSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="session")
def eid() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="session")
def tls(workdir) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: the server speaks HTTPS as production does, so
    `__Host-` cookies and HSTS behave as they would behind the reverse proxy."""
    from tests.exchange.receivers import self_signed_certificate

    folder = workdir / "server"
    folder.mkdir()
    return self_signed_certificate(folder, host="127.0.0.1")


@pytest.fixture(scope="session")
def partner_tls(workdir) -> tuple[Path, Path]:
    """The certificate of a partner's webhook receiver, signed by itself (the partner's own
    CA, as far as Civic can tell): the operator trusts it with CIVIC_WEBHOOK_CA_FILE."""
    from tests.exchange.receivers import self_signed_certificate

    folder = workdir / "partner"
    folder.mkdir()
    return self_signed_certificate(folder, host="127.0.0.1")


class Production:
    """The running installation: its environment, its processes and their logs."""

    def __init__(self, bin_dir: Path, environment: dict[str, str], workdir: Path):
        self.bin, self.environment, self.workdir = bin_dir, environment, workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"

    def civic(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(self.bin / "civic"), *args],
            env={**self.environment, **extra},
            capture_output=True,
            text=True,
            timeout=900,
            cwd=self.workdir,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"civic {' '.join(args)} failed:\n{result.stderr}")
        return result

    def start(self, name: str, argv: list[str], **extra: str) -> None:
        log = (self.workdir / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            argv,
            env={**self.environment, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
        )

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def browser(self) -> httpx.Client:
        import ssl

        trust = ssl.create_default_context(cafile=str(self.workdir / "server" / "127.0.0.1.crt"))
        return httpx.Client(base_url=self.url, verify=trust, timeout=30, follow_redirects=False)


@pytest.fixture(scope="session")
def collector():
    """An OTLP/HTTP receiver standing in for the OpenTelemetry Collector: production runs with
    traces on, as an operator who wants them sets it up."""
    from tests.otlp import receiver_start

    receiver, server = receiver_start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def production(
    installed, database, smtp, eid, tls, partner_tls, workdir, collector
) -> Iterator[Production]:
    require_service("RabbitMQ", "127.0.0.1", 5672)
    _sink, smtp_port = smtp
    cert, key = tls
    instance = f"prodtest{os.getpid()}"
    # Field encryption on, as a production installation runs it: the key file made by the
    # operator (docs/operations.md, "Field encryption keys"), readable by Civic's user only.
    field_keys = workdir / "field-keys.json"
    field_keys.write_text(
        json.dumps({"current": "k1", "keys": {"k1": base64.b64encode(os.urandom(32)).decode()}})
    )
    field_keys.chmod(0o600)
    environment = {
        "PATH": f"{installed}:/usr/bin:/bin",
        "HOME": str(workdir),
        "CIVIC_ENV": "production",
        "CIVIC_SECRET_KEY": secrets.token_urlsafe(48),
        "CIVIC_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "CIVIC_FIELD_KEYS": "keyfile",
        "CIVIC_FIELD_KEY_FILE": str(field_keys),
        "CIVIC_VAR_DIR": str(workdir / "var"),
        "CIVIC_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
        "CIVIC_INSTANCE": instance,
        "CIVIC_CACHE_URL": "redis://127.0.0.1:6379/15",
        "CIVIC_EMAIL_BACKEND": "smtp",
        "CIVIC_SMTP_HOST": "127.0.0.1",
        "CIVIC_SMTP_PORT": str(smtp_port),
        "CIVIC_MAIL_FROM": "Havenstad <no-reply@havenstad.example>",
        "CIVIC_NOTIFY_DELIVERY": "celery",
        "CIVIC_DOCUMENTS_PROCESSING": "celery",
        "CIVIC_SENSORS_WRITE_KEY": SENSOR_KEY,
        "CIVIC_EVENT_DELIVERY": "celery",
        # The partner's receiver runs on this host in the test: the operator trusts its network
        # and its certificate authority (docs/operations.md, webhooks).
        "CIVIC_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "CIVIC_WEBHOOK_CA_FILE": str(partner_tls[0]),
        "CIVIC_PROACTIVE_RUNNER": "celery",
        "CIVIC_PROACTIVE_CHUNK_SIZE": "200",
        "CIVIC_AUDITLOG_INTEGRATOR": "thread",
        "CIVIC_RESIDENT_LOGIN_METHODS": "oidc",
        "CIVIC_OIDC_CLIENT_ID": "havenstad-civic",
        "CIVIC_OIDC_CLIENT_SECRET": secrets.token_urlsafe(24),
        "CIVIC_OIDC_ISSUER": eid,
        "CIVIC_OIDC_AUTHORIZATION_ENDPOINT": f"{eid}/oauth2/authorize",
        "CIVIC_OIDC_TOKEN_ENDPOINT": f"{eid}/oauth2/token",
        "CIVIC_OIDC_USER_ENDPOINT": f"{eid}/userinfo",
        "CIVIC_OIDC_JWKS_ENDPOINT": f"{eid}/jwks",
        "CIVIC_WEB_WORKERS": "2",
        "CIVIC_WEB_THREADS": "4",
        "CIVIC_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.url,
        # Spans leave each process within a fifth of a second (5 s by default).
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        # gunicorn speaks TLS itself here, in place of the reverse proxy.
        "GUNICORN_CMD_ARGS": f"--certfile={cert} --keyfile={key}",
    }
    site = Production(installed, environment, workdir)
    site.civic("config", "check")
    site.civic("migrate", "--noinput")
    site.civic("collectstatic", "--noinput")
    site.civic("jurisdiction", "generate", "--residents", "1500", "--seed", "3", "--quiet")
    # Every sensitive value sealed under the key (the generator may have written some clear).
    site.civic("privacy", "rotate-key")
    # The jurisdiction's set-up as an operator applies it (the file shipped for Havenstad), and
    # the message texts.
    setup_file = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import civic.setup, pathlib; "
            "print(pathlib.Path(civic.setup.__file__).parent / 'data/havenstad/setup.yaml')",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    site.civic("setup", "apply", setup_file)
    site.civic("notify", "templates")
    site.start("web", [str(installed / "civic"), "serve", "--bind", f"127.0.0.1:{site.port}"])
    site.start(
        "worker",
        [
            str(installed / "celery"),
            "-A",
            "civic",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            # A node name of its own: another worker named celery@<host> on the same broker
            # (another installation, another test run) holds that name's control queue.
            "--hostname",
            f"{instance}@%h",
        ],
    )
    site.start(
        "beat",
        [
            str(installed / "celery"),
            "-A",
            "civic",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(workdir / "beat-schedule"),
        ],
    )
    deadline = time.monotonic() + 60
    with site.browser() as browser:
        while True:
            try:
                if browser.get("/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                site.stop()
                raise AssertionError("civic serve did not answer:\n" + site.log("web"))
            time.sleep(0.5)
    yield site
    site.stop()
    shutil.rmtree(workdir / "venv", ignore_errors=True)

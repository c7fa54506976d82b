"""Starting and stopping what the load and fault benchmarks run against.

- ``WebServer``: Civic's own ``civic serve`` (gunicorn, workers × threads from
  CIVIC_WEB_WORKERS/THREADS), in a process group of its own, with the CPU time of master and
  workers readable while it runs, and its workers findable (to be killed);
- ``CeleryWorker``: ``celery -A civic worker`` as production runs it (deploy/compose.yaml);
- ``PrivatePostgres`` and ``PrivateRabbit``: a PostgreSQL cluster and a RabbitMQ node of their
  own, on ports of their own, in a folder of their own, so that the fault benchmarks may stop and
  restart them without disturbing the machine's shared services (other engineers use those);
- ``load_database_ensure``: the kept 50,000-resident demo database of the load benchmark,
  generated once and reused by every later run.

Every process is started in a session of its own and stopped by its own process group id.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

from benchmarks.harness.report import say
from benchmarks.harness.targets import UNLIMITED

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CIVIC = BIN / "civic"
CELERY = BIN / "celery"
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
SHARED_POSTGRES = "postgres://postgres@127.0.0.1:5432"
SHARED_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
LOAD_DATABASE = "load_bench"
LOAD_VAR = ROOT / "var" / "bench-load"
LOAD_RESIDENTS = 50_000


def civic_env(*, var_dir: Path, database_url: str, broker_url: str, **extra: str) -> dict[str, str]:
    """Production's background work (Celery on RabbitMQ for e-mail, events and proactive
    runs) with the demo's login: DEBUG off, rate limits out of the way. CIVIC_ENV stays
    unset, because production refuses the one-time-code login that the demo offers."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="civic.settings",
        CIVIC_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        BROKER_URL=broker_url,
        CIVIC_DEBUG="false",
        CIVIC_LOG_FORMAT="json",
        CIVIC_NOTIFY_DELIVERY="celery",
        CIVIC_EVENT_DELIVERY="celery",
        CIVIC_PROACTIVE_RUNNER="celery",
        **UNLIMITED,
        CIVIC_PRINT_LOGIN_CODES="false",
    )
    env.update(extra)
    return env


class Managed:
    """A child process in a session of its own, its output in a log file."""

    def __init__(self, argv: list[str], *, env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, number: int) -> None:
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, number)

    def stop(self, timeout: float = 30) -> None:
        if self.process is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL to the whole group: nothing gets to clean up."""
        if self.process is not None:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def children(self) -> list[psutil.Process]:
        with contextlib.suppress(psutil.NoSuchProcess):
            return psutil.Process(self.pid).children(recursive=True)
        return []

    def cpu_seconds(self) -> float:
        """User + system time of the process and its living children so far."""
        total = 0.0
        with contextlib.suppress(psutil.NoSuchProcess):
            for process in [psutil.Process(self.pid), *self.children()]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = process.cpu_times()
                    total += times.user + times.system
        return total


class WebServer(Managed):
    def __init__(
        self, *, env: dict[str, str], port: int, workers: int, threads: int, log: Path
    ) -> None:
        self.port = port
        super().__init__(
            [str(CIVIC), "serve", "--bind", f"127.0.0.1:{port}"],
            env={**env, "CIVIC_WEB_WORKERS": str(workers), "CIVIC_WEB_THREADS": str(threads)},
            log=log,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise RuntimeError(f"civic serve ended; see {self.log}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.base + "/health", timeout=5) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"civic serve did not answer in {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        with contextlib.suppress(psutil.NoSuchProcess):
            return [p.pid for p in psutil.Process(self.pid).children()]
        return []


class CeleryWorker(Managed):
    def __init__(self, *, env: dict[str, str], name: str, concurrency: int, log: Path) -> None:
        super().__init__(
            [
                str(CELERY),
                "-A",
                "civic",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"{name}@%h",
            ],
            env=env,
            log=log,
        )

    def task_pids(self) -> list[int]:
        """The prefork pool's processes (where tasks run)."""
        return [p.pid for p in self.children()]


class PrivatePostgres:
    """A PostgreSQL 15 cluster in ``folder`` on ``port``, owned by the postgres user, trust
    authentication on loopback only."""

    def __init__(self, folder: Path, port: int = 55432) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *argv],
            check=True,
            cwd="/",
            stdout=subprocess.DEVNULL,
        )

    def init(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=on -c max_connections=200"
        )
        self._as_postgres(
            str(POSTGRES_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast`` closes connections and shuts down cleanly; ``immediate`` is a crash."""
        self._as_postgres(
            str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
        )

    def create_database(self, name: str) -> None:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-qc",
                f"CREATE DATABASE {name}",
            ],
            check=True,
        )

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRabbit:
    """A RabbitMQ node ``NAME@localhost`` of its own: its own configuration (so not the
    machine's listener on 5672), AMQP on ``port``, Erlang distribution on ``port + 1``, its
    data under ``folder``. Runs as the rabbitmq user with that user's Erlang cookie, so
    rabbitmqctl can reach it."""

    def __init__(self, folder: Path, name: str = "load", port: int = 55672) -> None:
        self.folder, self.name, self.port = folder, name, port
        self.node = f"{name}@localhost"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _env(self) -> list[str]:
        f = self.folder
        return [
            "env",
            "HOME=/var/lib/rabbitmq",
            f"RABBITMQ_CONF_ENV_FILE={f}/rabbitmq-env.conf",
            f"RABBITMQ_CONFIG_FILE={f}/rabbitmq.conf",
            f"RABBITMQ_NODENAME={self.node}",
            f"RABBITMQ_DIST_PORT={self.port + 1}",
            f"RABBITMQ_MNESIA_BASE={f}/mnesia",
            f"RABBITMQ_LOG_BASE={f}/log",
            f"RABBITMQ_ENABLED_PLUGINS_FILE={f}/enabled_plugins",
            f"RABBITMQ_PID_FILE={f}/pid",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}",
        ]

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "rabbitmq",
                "--",
                *self._env(),
                f"/usr/lib/rabbitmq/bin/{program}",
                *args,
            ],
            check=True,
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (self.folder / "rabbitmq-env.conf").write_text("ERL_EPMD_ADDRESS=127.0.0.1\n")
        for path in [self.folder, *self.folder.iterdir()]:
            shutil.chown(path, "rabbitmq", "rabbitmq")

    def start(self) -> None:
        self._run("rabbitmq-server", "-detached")
        # Until the node has registered with epmd, rabbitmqctl finds no node to wait for.
        for attempt in range(30):
            try:
                self._run("rabbitmqctl", "-n", self.node, "-t", "90", "await_startup")
                return
            except subprocess.CalledProcessError:
                if attempt == 29:
                    raise
                time.sleep(1)

    def stop(self) -> None:
        self._run("rabbitmqctl", "-n", self.node, "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def database_has_demo(url: str) -> bool:
    """True when the database at ``url`` has the demo's partner and a jurisdiction."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) FROM identity_user WHERE username = 'caseworker'"
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def load_database_ensure() -> str:
    """The load benchmark's database on the shared PostgreSQL: the 50,000-resident demo,
    generated on the first run (a few minutes) and kept for every later one."""
    url = f"{SHARED_POSTGRES}/{LOAD_DATABASE}"
    LOAD_VAR.mkdir(parents=True, exist_ok=True)
    if database_has_demo(url) and (LOAD_VAR / "demo-partner.json").exists():
        # Kept, but brought up to the code's migrations (cheap when there is nothing to do).
        env = civic_env(var_dir=LOAD_VAR, database_url=url, broker_url=SHARED_BROKER)
        subprocess.run([str(CIVIC), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        return url
    import psycopg

    with psycopg.connect(f"{SHARED_POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {LOAD_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {LOAD_DATABASE}")
    env = civic_env(var_dir=LOAD_VAR, database_url=url, broker_url=SHARED_BROKER)
    env["CIVIC_PROACTIVE_RUNNER"] = "inline"  # the demo's first proactive run, without workers
    say(f"Generating the {LOAD_RESIDENTS:,}-resident demo into {LOAD_DATABASE} (kept) …")
    for argv in (
        ["migrate", "-v0"],
        ["jurisdiction", "generate", "--residents", str(LOAD_RESIDENTS), "--seed", "1", "--quiet"],
        ["demo", "--no-serve"],
    ):
        subprocess.run(
            [str(CIVIC), *argv], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    return url

"""Settings every part of Civic shares: where it runs, its keys, database, broker and cache.

Read through ``core.config.env`` so that docs/configuration.md is generated from here; gathered
by ``civic.settings``. Imports nothing but ``core.config`` and ``core.keyfiles``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from civic.core.config import ConfigError, env
from civic.core.keyfiles import key_file_create_once

CIVIC_ENV = env(
    "CIVIC_ENV",
    default="development",
    choices=("development", "production", "test"),
    help="`development` (embedded defaults, demo logins) or `production` (refuses unsafe settings).",
)
PRODUCTION = CIVIC_ENV == "production"

VAR_DIR = Path(
    env(
        "CIVIC_VAR_DIR",
        default=str(Path.cwd() / "var"),
        default_doc="./var",
        help="Folder for the embedded database, uploaded files, the mail outbox and keys.",
    )
)


def installation_secret(path: Path) -> str:
    """A random secret kept in ``path``, made on first use: every installation that leaves
    CIVIC_SECRET_KEY unset still gets a key of its own, never a public placeholder. Safe when
    several processes start at once: all of them use the one secret that reached the file."""
    made = secrets.token_urlsafe(48) + "\n"
    secret = key_file_create_once(path, made.encode()).decode("utf-8").strip()
    if not secret:
        raise ConfigError(f"the key file {path} is empty; delete it and Civic makes a new one")
    return secret


SECRET_KEY = env(
    "CIVIC_SECRET_KEY",
    default="",
    default_doc="(made at random on first start in CIVIC_VAR_DIR/keys/secret-key; refused in production)",
    help="Django's secret key: signs sessions and login codes. Must be set in production.",
    group="Security",
)
if not SECRET_KEY and not PRODUCTION:
    SECRET_KEY = installation_secret(VAR_DIR / "keys" / "secret-key")

FIELD_KEYS = env(
    "CIVIC_FIELD_KEYS",
    default="off",
    help="Field-level encryption of the register attributes the catalogue classifies as "
    'sensitive or special-category (docs/operations.md, "Field encryption keys"). `off`: '
    "stored in clear; `keyfile`: AES-256-GCM keys from CIVIC_FIELD_KEY_FILE; or the dotted path "
    "of a KMS plugin class (a `civic.core.fieldkeys.base.FieldKeySource`).",
    group="Security",
)
FIELD_KEY_FILE = env(
    "CIVIC_FIELD_KEY_FILE",
    default=str(VAR_DIR / "keys" / "field-keys.json"),
    default_doc="CIVIC_VAR_DIR/keys/field-keys.json (made with one random key in development)",
    help='The JSON key file of CIVIC_FIELD_KEYS=keyfile: `{"current": id, "keys": {id: '
    "base64 of 32 bytes}}`, readable by Civic's user only. Production refuses to start without "
    "a valid one; `civic privacy rotate-key --new-key` adds a key and re-encrypts.",
    group="Security",
)
DEBUG = env(
    "CIVIC_DEBUG",
    default=False,
    kind=bool,
    help=(
        "Show Django's technical pages (tracebacks, every URL pattern) instead of Civic's own"
        " error pages, and serve static files unhashed. For developers only; the demo runs"
        " without it, and production refuses it."
    ),
    group="Security",
)
ALLOWED_HOSTS = env(
    "CIVIC_ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "testserver"],
    kind=list,
    help="Comma-separated host names Civic answers to (`*` is refused in production).",
    group="Security",
)
CSRF_TRUSTED_ORIGINS = env(
    "CIVIC_CSRF_TRUSTED_ORIGINS",
    default=[],
    kind=list,
    help="Comma-separated origins (https://host) trusted for form posts behind a proxy.",
    group="Security",
)
TRUSTED_PROXIES = env(
    "CIVIC_TRUSTED_PROXIES",
    default=[],
    kind=list,
    help="Addresses or networks (CIDR) of the reverse proxies in front of Civic. From these only, "
    "`X-Forwarded-For` gives the client's address (login limits, logs) and "
    "`X-Forwarded-Proto: https` marks the request secure; from anyone else both are ignored.",
    group="Security",
)
HSTS_SECONDS = env(
    "CIVIC_HSTS_SECONDS",
    default=31_536_000 if PRODUCTION else 0,
    default_doc="31536000 (a year) when CIVIC_ENV=production, else 0",
    kind=int,
    help="`Strict-Transport-Security` max-age sent on HTTPS answers; 0 sends none.",
    group="Security",
)
SSL_REDIRECT = env(
    "CIVIC_SSL_REDIRECT",
    default=PRODUCTION,
    default_doc="true when CIVIC_ENV=production, else false",
    kind=bool,
    help="Redirect plain-HTTP requests to HTTPS (`/health`, `/ready` and `/metrics` are exempt, for probes and the metrics scraper).",
    group="Security",
)

DATABASE_URL = env(
    "DATABASE_URL",
    default="",
    default_doc="sqlite:///./var/civic.sqlite3",
    help="Database to use, e.g. `postgres://user@host:5432/civic`. Empty: embedded SQLite under CIVIC_VAR_DIR.",
    group="Database",
)
DB_PREPARED_STATEMENTS = env(
    "CIVIC_DB_PREPARED_STATEMENTS",
    default=True,
    kind=bool,
    help="PostgreSQL: bind parameters on the server and prepare statements run often (saves "
    "the planning of each query). Turn off behind PgBouncer in transaction mode.",
    group="Database",
)

LANGUAGE_CODE = env(
    "CIVIC_LANGUAGE",
    default="en",
    choices=("en", "nl"),
    help="Default language of pages (`en` or `nl`).",
    group="Pages",
)
TIME_ZONE = env(
    "CIVIC_TIME_ZONE",
    default="Europe/Amsterdam",
    help="Time zone for dates shown and for 'today'.",
    group="Pages",
)

INSTANCE = env(
    "CIVIC_INSTANCE",
    default="civic",
    help="Name of this installation on a shared broker (letters, digits, `-`, `_`): its Celery "
    "queue is named after it, and its workers refuse tasks sent by another installation. Give "
    "each installation sharing a RabbitMQ its own name (or its own vhost in BROKER_URL).",
    group="Operations",
)
if not INSTANCE.replace("-", "").replace("_", "").isalnum():
    raise ConfigError(f"CIVIC_INSTANCE must be letters, digits, - and _, not {INSTANCE!r}.")
BROKER_URL = env(
    "BROKER_URL",
    default="amqp://guest:guest@127.0.0.1:5672//",
    help="The Celery broker (RabbitMQ) for the settings that choose `celery`.",
    group="Operations",
)
CACHE_URL = env(
    "CIVIC_CACHE_URL",
    default="",
    help="Shared cache for rate limits across processes, e.g. `redis://127.0.0.1:6379/0`. "
    "Empty: a cache per process.",
    group="Operations",
)
LOG_LEVEL = env(
    "CIVIC_LOG_LEVEL",
    default="INFO",
    choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    help="Level of Civic's log (DEBUG, INFO, WARNING, ERROR).",
    group="Operations",
)
METRICS_ALLOWED = env(
    "CIVIC_METRICS_ALLOWED",
    default=["127.0.0.0/8", "::1/128"],
    kind=list,
    help="Addresses or networks (CIDR) that may read `/metrics` (Prometheus); anyone else gets 404.",
    group="Operations",
)
METRICS_TOKEN = env(
    "CIVIC_METRICS_TOKEN",
    default="",
    help="When set, `/metrics` also needs `Authorization: Bearer <token>`.",
    group="Operations",
)
LOG_FORMAT = env(
    "CIVIC_LOG_FORMAT",
    default="json" if PRODUCTION else "plain",
    default_doc="json when CIVIC_ENV=production, else plain",
    choices=("json", "plain"),
    help="`json`: one JSON object a line on standard output (time, level, logger, message, "
    "trace_id; method, route, status and duration_ms for requests; an exception's type and "
    "traceback), for a log collector. `plain`: one readable line each, for a terminal. "
    "Neither holds query strings, form data or personal numbers.",
    group="Operations",
)
REQUEST_MAX_MB = env(
    "CIVIC_REQUEST_MAX_MB",
    default=50,
    kind=int,
    help="Largest request body Civic reads, in megabytes: a form page with its files, an API "
    "call. A larger one is refused with 413 before it is read. Keep it above "
    "CIVIC_UPLOAD_MAX_MB times the files a page asks for.",
    group="Security",
)

TRACES_EXPORTER = env(
    "CIVIC_TRACES_EXPORTER",
    default="off",
    choices=("off", "otlp", "console"),
    help="OpenTelemetry traces of requests, Celery tasks and the exchange's steps. `off`: no "
    "tracing SDK is loaded (the trace id in the logs stays). `otlp`: spans go by OTLP over "
    "HTTP (protobuf) to the collector named by the standard `OTEL_EXPORTER_OTLP_*` variables. "
    "`console`: spans printed on standard output, for a developer. Spans carry routes, "
    "registers, purposes and counts; never paths, query strings, addresses or personal numbers.",
    group="Traces",
)
TRACES_SAMPLE_RATIO = env(
    "CIVIC_TRACES_SAMPLE_RATIO",
    default=1.0,
    kind=float,
    help="Share of new traces recorded, from 0 to 1 (0.1: one in ten). A request or task that "
    "comes with a W3C `traceparent` follows its caller's decision (parent-based sampling). "
    "Every log line keeps its trace id either way.",
    group="Traces",
)
if not 0.0 <= TRACES_SAMPLE_RATIO <= 1.0:
    raise ConfigError(
        f"CIVIC_TRACES_SAMPLE_RATIO must be from 0 to 1, not {TRACES_SAMPLE_RATIO!r}."
    )
# Read by the OpenTelemetry SDK itself, as every OpenTelemetry program does; declared here so
# that the configuration reference names them.
env(
    "OTEL_SERVICE_NAME",
    default="",
    default_doc="civic-web for web processes, civic-worker for Celery workers, civic-command for other commands",
    help="The service name spans are filed under in the collector (`service.name`). Further "
    "resource attributes (`deployment.environment.name=production`, say) go in "
    "`OTEL_RESOURCE_ATTRIBUTES`.",
    group="Traces",
)
env(
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    default="",
    default_doc="http://localhost:4318",
    help="Base URL of the OTLP/HTTP receiver (an OpenTelemetry Collector, Jaeger, Tempo); "
    "spans go to `/v1/traces` under it. `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` gives the full "
    "URL instead. Use https beyond the machine.",
    group="Traces",
)
env(
    "OTEL_EXPORTER_OTLP_HEADERS",
    default="",
    help="Headers sent with every export, `key=value` pairs separated by commas (an "
    "`authorization=Bearer …` for the collector, say). `OTEL_EXPORTER_OTLP_TIMEOUT`, "
    "`OTEL_EXPORTER_OTLP_COMPRESSION` (gzip) and `OTEL_EXPORTER_OTLP_CERTIFICATE` (a CA "
    "file) are honoured too, as by every OpenTelemetry SDK.",
    group="Traces",
)

EVENT_DELIVERY = env(
    "CIVIC_EVENT_DELIVERY",
    default="thread",
    choices=("thread", "celery", "off"),
    help="Where events are handled after the change that published them commits: `thread` "
    "(the embedded default: in-process handlers right after the commit, register-event "
    "webhooks in a thread of the web process), `celery` (Celery workers on BROKER_URL) or "
    "`off` (in-process handlers still run after the commit; webhooks wait for `civic events "
    "deliver`).",
    group="Events",
)

#: Periodic work of the shared kernel, for `celery -A civic beat` (the settings gather every
#: app's ``<APP>_BEAT_SCHEDULE`` into CELERY_BEAT_SCHEDULE).
CORE_BEAT_SCHEDULE = {
    # After-commit event handlers whose retry is due, or whose task never reached a worker.
    "core-sweep-due-event-handlers": {
        "task": "civic.core.event_handlings_sweep",
        "schedule": 10.0,
        "options": {"expires": 10.0},
    },
}

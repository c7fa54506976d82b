"""Django settings for Civic. Every value comes from an environment variable via ``env``.

The embedded defaults run everything on one laptop (SQLite under ``var/``, in-process work,
mail to an outbox folder); production sets ``CIVIC_ENV=production`` and the variables in
docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from civic.core.config import ConfigError, env

PACKAGE_DIR = Path(__file__).resolve().parent
PLACEHOLDER_SECRET_KEY = "civic-placeholder-secret-key-change-me"  # noqa: S105

try:
    CIVIC_ENV = env(
        "CIVIC_ENV",
        default="development",
        help="`development` (embedded defaults, demo logins) or `production` (refuses unsafe settings).",
    )
    if CIVIC_ENV not in {"development", "production", "test"}:
        raise ConfigError(f"CIVIC_ENV must be development, production or test, not {CIVIC_ENV!r}.")
    PRODUCTION = CIVIC_ENV == "production"

    VAR_DIR = Path(
        env(
            "CIVIC_VAR_DIR",
            default=str(Path.cwd() / "var"),
            default_doc="./var",
            help="Folder for the embedded database, uploaded files, the mail outbox and keys.",
        )
    )
    SECRET_KEY = env(
        "CIVIC_SECRET_KEY",
        default=PLACEHOLDER_SECRET_KEY,
        help="Django's secret key: signs sessions and keys the pseudonyms. Must be set in production.",
        group="Security",
    )
    DEBUG = env(
        "CIVIC_DEBUG",
        default=not PRODUCTION,
        default_doc="true, false when CIVIC_ENV=production",
        kind=bool,
        help="Show tracebacks in pages. Never on in production.",
        group="Security",
    )
    ALLOWED_HOSTS = env(
        "CIVIC_ALLOWED_HOSTS",
        default=["127.0.0.1", "localhost", "testserver"],
        kind=list,
        help="Comma-separated host names Civic answers to.",
        group="Security",
    )
    CSRF_TRUSTED_ORIGINS = env(
        "CIVIC_CSRF_TRUSTED_ORIGINS",
        default=[],
        kind=list,
        help="Comma-separated origins (https://host) trusted for form posts behind a proxy.",
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
    STAFF_LOGIN_FAILURE_LIMIT = env(
        "CIVIC_STAFF_LOGIN_FAILURE_LIMIT",
        default=5,
        kind=int,
        help="Failed staff password logins (per user name and address) before the login is locked.",
        group="Login",
    )
    STAFF_LOGIN_COOLOFF_MINUTES = env(
        "CIVIC_STAFF_LOGIN_COOLOFF_MINUTES",
        default=15,
        kind=int,
        help="Minutes a locked staff login stays locked.",
        group="Login",
    )
    ONE_TIME_CODE_MINUTES = env(
        "CIVIC_ONE_TIME_CODE_MINUTES",
        default=10,
        kind=int,
        help="Minutes a resident's one-time login code stays valid.",
        group="Login",
    )
    RESIDENT_LOGIN_METHODS = env(
        "CIVIC_RESIDENT_LOGIN_METHODS",
        default=["onetimecode"],
        kind=list,
        help="Login plugins offered to residents, in order: `onetimecode` (demo), `oidc` (national eID).",
        group="Login",
    )
    OIDC_RP_CLIENT_ID = env(
        "CIVIC_OIDC_CLIENT_ID",
        default="",
        help="Client id registered with the eID provider.",
        group="OpenID Connect (eID)",
    )
    OIDC_RP_CLIENT_SECRET = env(
        "CIVIC_OIDC_CLIENT_SECRET",
        default="",
        help="Client secret registered with the eID provider.",
        group="OpenID Connect (eID)",
    )
    OIDC_OP_AUTHORIZATION_ENDPOINT = env(
        "CIVIC_OIDC_AUTHORIZATION_ENDPOINT",
        default="",
        help="The provider's authorization endpoint URL.",
        group="OpenID Connect (eID)",
    )
    OIDC_OP_TOKEN_ENDPOINT = env(
        "CIVIC_OIDC_TOKEN_ENDPOINT",
        default="",
        help="The provider's token endpoint URL.",
        group="OpenID Connect (eID)",
    )
    OIDC_OP_USER_ENDPOINT = env(
        "CIVIC_OIDC_USER_ENDPOINT",
        default="",
        help="The provider's userinfo endpoint URL.",
        group="OpenID Connect (eID)",
    )
    OIDC_OP_JWKS_ENDPOINT = env(
        "CIVIC_OIDC_JWKS_ENDPOINT",
        default="",
        help="The provider's JWKS URL (for RS256/ES256 token signatures).",
        group="OpenID Connect (eID)",
    )
    OIDC_RP_SIGN_ALGO = env(
        "CIVIC_OIDC_SIGN_ALGO",
        default="RS256",
        help="Algorithm the provider signs ID tokens with.",
        group="OpenID Connect (eID)",
    )
    OIDC_RP_SCOPES = env(
        "CIVIC_OIDC_SCOPES",
        default="openid",
        help="Scopes asked of the provider, space-separated.",
        group="OpenID Connect (eID)",
    )
    OIDC_PERSONAL_NUMBER_CLAIM = env(
        "CIVIC_OIDC_PERSONAL_NUMBER_CLAIM",
        default="personal_number",
        help="Claim in the ID token or userinfo that carries the resident's personal number.",
        group="OpenID Connect (eID)",
    )
    EMAIL_BACKEND_NAME = env(
        "CIVIC_EMAIL_BACKEND",
        default="outbox",
        help="`outbox` writes each message as a file under CIVIC_VAR_DIR/outbox; `smtp` sends it.",
        group="Mail",
    )
    PRINT_LOGIN_CODES = env(
        "CIVIC_PRINT_LOGIN_CODES",
        default=not PRODUCTION,
        default_doc="true, false when CIVIC_ENV=production",
        kind=bool,
        help="Also print residents' one-time codes in the server log (demo only; refused in production).",
        group="Login",
    )
    EMAIL_HOST = env("CIVIC_SMTP_HOST", default="localhost", help="SMTP server.", group="Mail")
    EMAIL_PORT = env("CIVIC_SMTP_PORT", default=25, kind=int, help="SMTP port.", group="Mail")
    EMAIL_HOST_USER = env("CIVIC_SMTP_USER", default="", help="SMTP user name.", group="Mail")
    EMAIL_HOST_PASSWORD = env(
        "CIVIC_SMTP_PASSWORD", default="", help="SMTP password.", group="Mail"
    )
    EMAIL_USE_TLS = env(
        "CIVIC_SMTP_STARTTLS", default=False, kind=bool, help="Use STARTTLS.", group="Mail"
    )
    DEFAULT_FROM_EMAIL = env(
        "CIVIC_MAIL_FROM",
        default="Civic <no-reply@civic.invalid>",
        help="Sender of Civic's mail.",
        group="Mail",
    )
    EMAIL_TIMEOUT = env(
        "CIVIC_SMTP_TIMEOUT",
        default=10,
        kind=int,
        help="Seconds to wait for the SMTP server before a message counts as failed (and is retried).",
        group="Mail",
    )
    NOTIFY_DELIVERY = env(
        "CIVIC_NOTIFY_DELIVERY",
        default="inline",
        help="How messages leave for email and SMS once stored: `inline` (in the same process "
        "right after the change commits, the embedded default), `celery` (Celery workers on "
        "BROKER_URL) or `off` (only `civic notify retry`). The inbox always has them at once.",
        group="Notifications",
    )
    if NOTIFY_DELIVERY not in {"inline", "celery", "off"}:
        raise ConfigError(
            f"CIVIC_NOTIFY_DELIVERY must be inline, celery or off, not {NOTIFY_DELIVERY!r}."
        )
    NOTIFY_MAX_ATTEMPTS = env(
        "CIVIC_NOTIFY_MAX_ATTEMPTS",
        default=5,
        kind=int,
        help="Tries of one email or SMS before it is given up (the inbox message stays).",
        group="Notifications",
    )
    NOTIFY_RETRY_SECONDS = env(
        "CIVIC_NOTIFY_RETRY_SECONDS",
        default=60,
        kind=int,
        help="Wait before the first retry of a failed email or SMS; each later wait is twice the one before.",
        group="Notifications",
    )
    SMS_PROVIDER = env(
        "CIVIC_SMS_PROVIDER",
        default="civic.notify.sms.OutboxProvider",
        help="Dotted path of the SMS provider plugin (a subclass of `civic.notify.sms.SmsProvider`). "
        "The default appends each text to CIVIC_VAR_DIR/outbox/sms.log.",
        group="Notifications",
    )
    PHONE_COUNTRY_CODE = env(
        "CIVIC_PHONE_COUNTRY_CODE",
        default="31",
        help="Country calling code put in front of a national mobile number (one starting with 0).",
        group="Notifications",
    )
    LANGUAGE_CODE = env(
        "CIVIC_LANGUAGE",
        default="en",
        help="Default language of pages (`en` or `nl`).",
        group="Pages",
    )
    TIME_ZONE = env(
        "CIVIC_TIME_ZONE",
        default="Europe/Amsterdam",
        help="Time zone for dates shown and for 'today'.",
        group="Pages",
    )
    PSEUDONYM_KEY = env(
        "CIVIC_PSEUDONYM_KEY",
        default="",
        default_doc="(derived from CIVIC_SECRET_KEY)",
        help="Key of the pseudonyms that stand for subjects in the access log and consents. "
        "Set it in production and never change it: the data tracker finds entries by it.",
        group="Exchange",
    )
    AUDITLOG_KEY_FILE = env(
        "CIVIC_AUDITLOG_KEY_FILE",
        default=str(VAR_DIR / "keys" / "auditlog-ed25519.pem"),
        default_doc="./var/keys/auditlog-ed25519.pem",
        help="Ed25519 private key (PEM) that signs access-log checkpoints; made on first use if missing.",
        group="Exchange",
    )
    AUDITLOG_ORIGIN = env(
        "CIVIC_AUDITLOG_ORIGIN",
        default="civic.invalid/access-log",
        help="The log's name in its signed checkpoints (C2SP checkpoint origin line).",
        group="Exchange",
    )
    AUDITLOG_CHECKPOINT_ENTRIES = env(
        "CIVIC_AUDITLOG_CHECKPOINT_ENTRIES",
        default=1000,
        kind=int,
        help="Most entries between two signed checkpoints.",
        group="Exchange",
    )
    AUDITLOG_CHECKPOINT_SECONDS = env(
        "CIVIC_AUDITLOG_CHECKPOINT_SECONDS",
        default=1,
        kind=int,
        help="How often the integrator adds waiting entries to the tree and signs a checkpoint.",
        group="Exchange",
    )
    AUDITLOG_INTEGRATOR = env(
        "CIVIC_AUDITLOG_INTEGRATOR",
        default="thread",
        help="`thread`: each web process integrates in the background; `off`: run "
        "`civic auditlog integrate --follow` as a service of its own.",
        group="Exchange",
    )
    OWN_DATA_PURPOSE = env(
        "CIVIC_OWN_DATA_PURPOSE",
        default="show-own-data",
        help="The purpose under which residents read their own data.",
        group="Exchange",
    )
    UPLOAD_SCANNER = env(
        "CIVIC_UPLOAD_SCANNER",
        default="none",
        help="`none` stores uploads marked “not scanned”; `clamd` scans each one with ClamAV's "
        "daemon at CIVIC_CLAMD_ADDRESS and refuses infected files.",
        group="Forms and cases",
    )
    CLAMD_ADDRESS = env(
        "CIVIC_CLAMD_ADDRESS",
        default="127.0.0.1:3310",
        help="clamd's TCP address (host:port) or Unix socket path.",
        group="Forms and cases",
    )
    UPLOAD_MAX_MB = env(
        "CIVIC_UPLOAD_MAX_MB",
        default=10,
        kind=int,
        help="Largest file a resident may attach, in megabytes, unless a form field says less.",
        group="Forms and cases",
    )
    EXCHANGE_RATE_LIMIT = env(
        "CIVIC_EXCHANGE_RATE_LIMIT",
        default=60_000,
        kind=int,
        help="Queries an API client may make per minute before it gets 429.",
        group="Exchange",
    )
    EVENT_DELIVERY = env(
        "CIVIC_EVENT_DELIVERY",
        default="thread",
        help="How register events reach subscribers: `thread` (in the web process, the embedded "
        "default), `celery` (Celery workers on BROKER_URL) or `off` (only `civic events deliver`).",
        group="Exchange",
    )
    RULES_PACKAGE = env(
        "CIVIC_RULES_PACKAGE",
        default="openfisca_civic",
        help="Python package of the jurisdiction's law as an OpenFisca country package. It is "
        "loaded once per process and refused when one of its YAML tests fails.",
        group="Rules and decisions",
    )
    PROACTIVE_RUNNER = env(
        "CIVIC_PROACTIVE_RUNNER",
        default="inline",
        help="Where `civic proactive run` evaluates its chunks: `inline` (this process, the "
        "embedded default) or `celery` (one task per chunk on BROKER_URL's workers).",
        group="Rules and decisions",
    )
    PROACTIVE_CHUNK_SIZE = env(
        "CIVIC_PROACTIVE_CHUNK_SIZE",
        default=5000,
        kind=int,
        help="Addresses (households) per chunk of a proactive run; memory grows with it.",
        group="Rules and decisions",
    )
    DECISION_MARGIN = env(
        "CIVIC_DECISION_MARGIN",
        default=5,
        kind=int,
        help="Percentage around a threshold within which an automatable application goes to a "
        "caseworker instead of being decided by the rules.",
        group="Rules and decisions",
    )
    WEBHOOK_RETRY_SCHEDULE = env(
        "CIVIC_WEBHOOK_RETRY_SCHEDULE",
        default=["10", "30", "120", "600", "3600", "21600"],
        kind=list,
        help="Seconds to wait before each retry of a failed delivery; after the last, it is dead-lettered.",
        group="Exchange",
    )
    WEBHOOK_TIMEOUT_SECONDS = env(
        "CIVIC_WEBHOOK_TIMEOUT_SECONDS",
        default=10,
        kind=int,
        help="How long a webhook subscriber may take to answer.",
        group="Exchange",
    )
    BROKER_URL = env(
        "BROKER_URL",
        default="amqp://guest:guest@127.0.0.1:5672//",
        help="The Celery broker (RabbitMQ) for CIVIC_EVENT_DELIVERY=celery.",
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
        help="Level of Civic's log (DEBUG, INFO, WARNING, ERROR).",
        group="Operations",
    )
except ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("CIVIC_DEBUG is on; it shows tracebacks with personal data to anyone")
    if len(PSEUDONYM_KEY) < 32:
        problems.append(
            "CIVIC_PSEUDONYM_KEY is unset or shorter than 32 characters; the access log's "
            "pseudonyms would change whenever the secret key does"
        )
    if PRINT_LOGIN_CODES:
        problems.append(
            "CIVIC_PRINT_LOGIN_CODES is on; anyone reading the log could log in as a resident"
        )
    if SECRET_KEY == PLACEHOLDER_SECRET_KEY or len(SECRET_KEY) < 32:
        problems.append(
            "CIVIC_SECRET_KEY is the placeholder or shorter than 32 characters; sessions and "
            "pseudonyms would be forgeable"
        )
    if problems:
        raise ImproperlyConfigured(
            "Civic will not start with CIVIC_ENV=production: " + "; ".join(problems) + "."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "civic.core",
    "civic.identity",
    "civic.registers",
    "civic.exchange",
    "civic.catalog",
    "civic.notify",
    "civic.forms",
    "civic.cases",
    "civic.decisions",
    "civic.portal",
]
if "oidc" in RESIDENT_LOGIN_METHODS:
    INSTALLED_APPS.append("mozilla_django_oidc")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civic.urls"
WSGI_APPLICATION = "civic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civic.portal.context_processors.acting",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and DB_PREPARED_STATEMENTS:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "civic.sqlite3",
            "OPTIONS": {
                # WAL lets pages read while a writer works; IMMEDIATE takes the write lock at
                # the start of a transaction so two writers queue instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CELERY_BROKER_URL = BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = "civic"
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
#: `celery -A civic beat` runs these; the embedded default retries when the next message goes out.
CELERY_BEAT_SCHEDULE = {
    "notify-retry-due-deliveries": {
        "task": "civic.notify.deliveries_retry_due",
        "schedule": 60.0,
    },
    "decisions-nightly-proactive-run": {
        "task": "civic.decisions.proactive_run_nightly",
        "schedule": 24 * 60 * 60.0,
    },
}

if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
]
if "oidc" in RESIDENT_LOGIN_METHODS:
    AUTHENTICATION_BACKENDS.append("civic.identity.login.contrib.oidc.backend.ResidentOIDCBackend")
    OIDC_AUTHENTICATE_CLASS = "mozilla_django_oidc.views.OIDCAuthenticationRequestView"
LOGIN_URL = "identity:resident-login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Staff password logins: locked per user name and client address after too many failures;
# every attempt is stored (axes' AccessAttempt/AccessFailureLog) and logged.
AXES_FAILURE_LIMIT = STAFF_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = STAFF_LOGIN_COOLOFF_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civic.identity.views.staff_login_locked"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

CSRF_FAILURE_VIEW = "civic.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = 60 * 60 * 2
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

USE_I18N = True
USE_TZ = True
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365  # the choice is remembered for a year
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
# Project-wide assets, and the front-end build (GOV.UK Frontend, `make assets`) when present.
FRONTEND_BUILD_DIR = PACKAGE_DIR.parent.parent / "frontend-build"
STATICFILES_DIRS = [PACKAGE_DIR / "static"] + (
    [FRONTEND_BUILD_DIR] if FRONTEND_BUILD_DIR.exists() else []
)
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or CIVIC_ENV == "test":
    # No manifest (files may change while developing), but still compressed copies, so the demo
    # sends what production sends.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
# Serve the collected (and compressed) files that `civic demo` and production collect.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

OUTBOX_DIR = VAR_DIR / "outbox"
if EMAIL_BACKEND_NAME == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = OUTBOX_DIR

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "civic": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

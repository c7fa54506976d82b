"""Django settings for Civic, gathered from each app's ``conf.py``.

Every value comes from an environment variable read by ``core.config.env`` in the app that owns
it (``core``, ``identity``, ``exchange``, ``catalog``, ``notify``, ``forms``, ``decisions``).
What belongs to one app, Django's settings derived from those variables included (the login
backends, the upload handlers, the mail backend, the app's periodic tasks), is declared in that
app's conf.py too; this module keeps what the whole project shares: apps, middleware, database,
caches, cookies, security headers, static files and logs. The embedded defaults run everything
on one laptop (SQLite under ``var/``, in-process work, mail to an outbox folder); production
sets ``CIVIC_ENV=production`` and the variables in docs/configuration.md, and refuses to start
with unsafe ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from civic.core.config import ConfigError

try:
    from civic.catalog.conf import *
    from civic.compliance.retention.conf import *
    from civic.compliance.review.conf import *
    from civic.core.conf import *
    from civic.decisions.conf import *
    from civic.documents.conf import *
    from civic.exchange.conf import *
    from civic.forms.conf import *
    from civic.identity.conf import *
    from civic.insights.conf import *
    from civic.notify.conf import *
    from civic.opendata.conf import *
    from civic.sensors.conf import *
except ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

from civic.core.logs import logging_config
from civic.core.production import production_problems

PACKAGE_DIR = Path(__file__).resolve().parent

if PRODUCTION and (problems := production_problems(globals())):
    raise ImproperlyConfigured(
        "Civic will not start with CIVIC_ENV=production: "
        + "; ".join(problems)
        + ". (A strong key: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
    )

INSTALLED_APPS = [
    # Django's admin with Civic's site, whose login is the staff login (second factor and all).
    "civic.identity.adminsite.CivicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-ninja's own copy of Swagger UI (instead of its CDN page): nothing on a page comes
    # from a third-party host.
    "ninja",
    "axes",
    "civic.core",
    "civic.identity",
    "civic.registers",
    "civic.exchange",
    "civic.compliance",
    "civic.catalog",
    "civic.notify",
    "civic.sensors",
    "civic.forms",
    "civic.cases",
    "civic.decisions",
    "civic.documents",
    "civic.opendata",
    "civic.portal",
    "civic.feedback",
    "civic.setup",
    "civic.insights",
]
MIDDLEWARE = [
    # First: a trace id for everything the request does, and its log line.
    "civic.core.middleware.TraceMiddleware",
    # Then every later step (HTTPS redirect, login limits, logs) sees the real client.
    "civic.core.middleware.TrustedProxyMiddleware",
    "civic.core.metrics.RequestMetricsMiddleware",
    "civic.core.middleware.PlainHttpApiRefusalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files come precompressed from WhiteNoise).
    "civic.core.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: a body over CIVIC_REQUEST_MAX_MB is refused unread.
    "civic.core.middleware.RequestSizeMiddleware",
    "civic.core.middleware.NulRefusalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civic.identity.middleware.StaffSecondFactorMiddleware",
    "civic.identity.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civic.core.middleware.NoStoreMiddleware",
    # Inside NoStoreMiddleware, so the problem+json it makes of Django's own refusals under
    # /api/ is no-store like every other API answer.
    "civic.api.ProblemMiddleware",
    # A stored value failing its integrity check: Civic's error page, not a traceback.
    "civic.core.middleware.FieldIntegrityMiddleware",
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
CELERY_TASK_DEFAULT_QUEUE = INSTANCE
# A task is acknowledged only once it has run: a worker that dies mid-task leaves the message
# for another (every task is idempotent), and a task that fails for good is rejected into the
# dead-letter queue (civic/core/background.py) instead of being forgotten.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks (a proactive chunk) do not hoard messages
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through Civic's LOGGING (JSON lines with the task's trace id in production), not
# Celery's own root-logger set-up.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
#: `celery -A civic beat` runs these, each declared in its app's conf.py; the embedded default
#: retries when the next message goes out.
CELERY_BEAT_SCHEDULE = {
    **CORE_BEAT_SCHEDULE,
    **EXCHANGE_BEAT_SCHEDULE,
    **NOTIFY_BEAT_SCHEDULE,
    **DECISIONS_BEAT_SCHEDULE,
    **ACCESS_REVIEW_BEAT_SCHEDULE,
    **RETENTION_BEAT_SCHEDULE,
    **OPENDATA_BEAT_SCHEDULE,
    **SENSORS_BEAT_SCHEDULE,
    **INSIGHTS_BEAT_SCHEDULE,
}

if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    # Django's default of 300 entries would cull the exchange's counters (limits, the watch's
    # blocks, a client's week of days) as soon as a partner is busy; 100,000 small entries
    # are a few tens of megabytes at most.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

CSRF_FAILURE_VIEW = "civic.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # `__Host-`: the browser keeps the cookie only if it came over HTTPS for this exact host and
    # the whole site, so no sibling domain or plain-HTTP page can set or overwrite it.
    SESSION_COOKIE_NAME = "__Host-civic-session"
    CSRF_COOKIE_NAME = "__Host-civic-csrf"
SESSION_COOKIE_AGE = 60 * 60 * 2
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the government may share the domain
SECURE_SSL_REDIRECT = SSL_REDIRECT
# Probes stay plain; API calls over plain HTTP are refused rather than redirected
# (core.middleware.PlainHttpApiRefusalMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$", r"^metrics$", r"^api/"]
if TRUSTED_PROXIES:
    # TrustedProxyMiddleware drops the header from anyone but the proxies, so it can be believed.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: No inline script or style, nothing from another host, never inside a frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

USE_I18N = True
USE_TZ = True
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365  # the choice is remembered for a year
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One date and number format per language (civic.core.formats).
FORMAT_MODULE_PATH = ["civic.core.locale_formats"]

STATIC_URL = "/static/"
# Project-wide assets, and the front-end build (GOV.UK Frontend, `make assets`), which lives
# inside the package so that an installed Civic carries it.
FRONTEND_BUILD_DIR = PACKAGE_DIR / "frontend" / "build"
STATICFILES_DIRS = [PACKAGE_DIR / "static"] + (
    [FRONTEND_BUILD_DIR] if FRONTEND_BUILD_DIR.exists() else []
)
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "civic.core.storage.WholeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    **DOCUMENTS_STORAGES,
}
# Inside a pytest run (pytest sets PYTEST_VERSION for its session), which collects no static files.
_UNDER_TEST = CIVIC_ENV == "test" or ("PYTEST_VERSION" in os.environ and not PRODUCTION)
if DEBUG or _UNDER_TEST:
    # No manifest (files may change while developing, and tests do not collect), but still
    # compressed copies. The demo runs without DEBUG, so it sends hashed files as production does.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
# Serve the collected (and compressed) files that `civic demo` and production collect.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

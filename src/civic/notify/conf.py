"""Settings of mail, SMS and notification delivery.

Gathered by ``civic.settings``; imports nothing but ``core.conf`` and ``core.config``.
"""

from __future__ import annotations

from civic.core.conf import VAR_DIR
from civic.core.config import env

EMAIL_BACKEND_NAME = env(
    "CIVIC_EMAIL_BACKEND",
    default="outbox",
    choices=("outbox", "smtp"),
    help="`outbox` writes each message as a file under CIVIC_VAR_DIR/outbox; `smtp` sends it.",
    group="Mail",
)
EMAIL_HOST = env("CIVIC_SMTP_HOST", default="localhost", help="SMTP server.", group="Mail")
EMAIL_PORT = env("CIVIC_SMTP_PORT", default=25, kind=int, help="SMTP port.", group="Mail")
EMAIL_HOST_USER = env("CIVIC_SMTP_USER", default="", help="SMTP user name.", group="Mail")
EMAIL_HOST_PASSWORD = env("CIVIC_SMTP_PASSWORD", default="", help="SMTP password.", group="Mail")
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
    choices=("inline", "celery", "off"),
    help="How messages leave for email and SMS once stored: `inline` (in the same process "
    "right after the change commits, the embedded default), `celery` (Celery workers on "
    "BROKER_URL) or `off` (only `civic notify retry`). The inbox always has them at once.",
    group="Notifications",
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
    default="outbox",
    help="The SMS provider plugin, by key: `outbox` appends each text to "
    "CIVIC_VAR_DIR/outbox/sms.log. A provider outside Civic: the dotted path of a subclass of "
    "`civic.notify.sms.SmsProvider` (docs/plugins.md).",
    group="Notifications",
)
PHONE_COUNTRY_CODE = env(
    "CIVIC_PHONE_COUNTRY_CODE",
    default="31",
    help="Country calling code put in front of a national mobile number (one starting with 0).",
    group="Notifications",
)

#: Periodic work of notifications, for `celery -A civic beat`.
NOTIFY_BEAT_SCHEDULE = {
    "notify-retry-due-deliveries": {
        "task": "civic.notify.deliveries_retry_due",
        "schedule": 60.0,
    },
}

# Django's mail settings, from the variables above.
OUTBOX_DIR = VAR_DIR / "outbox"
if EMAIL_BACKEND_NAME == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = OUTBOX_DIR

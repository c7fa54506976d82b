"""Settings of the exchange: pseudonyms, the access log, its checkpoints and their witnesses,
rate limits, register events and webhooks.

Gathered by ``civic.settings``; imports nothing but ``core.conf`` and ``core.config``.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from civic.core.conf import PRODUCTION, VAR_DIR
from civic.core.config import ConfigError, env

PSEUDONYM_KEY = env(
    "CIVIC_PSEUDONYM_KEY",
    default="",
    default_doc="(derived from CIVIC_SECRET_KEY; refused in production)",
    help="Key of the pseudonyms that stand for subjects in the access log and consents. "
    "Set it in production and never change it: the data tracker finds entries by it.",
    group="Exchange",
)
OWN_DATA_PURPOSE = env(
    "CIVIC_OWN_DATA_PURPOSE",
    default="show-own-data",
    help="The purpose under which residents read their own data.",
    group="Exchange",
)
RESTRICTION_PURPOSES = env(
    "CIVIC_RESTRICTION_PURPOSES",
    default=[],
    kind=list,
    help="Purposes (comma-separated codes) still allowed to read a person's restricted data "
    "(GDPR art. 18(2)): storage, and the establishment, exercise or defence of legal claims. "
    "The person's own reads, their data-subject export and purposes resting on their consent "
    "are allowed anyway.",
    group="Exchange",
)
SUBJECT_ACCESS_PURPOSE = env(
    "CIVIC_SUBJECT_ACCESS_PURPOSE",
    default="data-subject-access",
    help="The purpose under which a data-subject access or portability export (GDPR arts. 15 "
    "and 20) reads the person's register data; its controller's job of the same name holds "
    "the grants.",
    group="Exchange",
)
LOGIN_PURPOSE = env(
    "CIVIC_LOGIN_PURPOSE",
    default="login",
    help="The purpose under which a login checks that the person is alive in the persons "
    "register; read by the background job of that name, under a grant to it.",
    group="Exchange",
)
REPRESENTATION_PURPOSE = env(
    "CIVIC_REPRESENTATION_PURPOSE",
    default="representation",
    help="The purpose under which Civic reads a parent's minor children to check whom they may "
    "act for; read by the background job of that name, under a grant to it.",
    group="Exchange",
)
EXCHANGE_RATE_LIMIT = env(
    "CIVIC_EXCHANGE_RATE_LIMIT",
    default=600,
    kind=int,
    help="Calls (queries and searches) any API client may make a minute before it gets 429, "
    "whatever they release: the ceiling against hammering, empty searches included. A client "
    "whose own limit a minute is higher may make that many calls instead.",
    group="Exchange",
)
EXCHANGE_SUBJECTS_PER_MINUTE = env(
    "CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE",
    default=60,
    kind=int,
    help="Subjects the exchange releases to one API client a minute, unless the operator gave "
    "the client a limit of its own (`civic apiclient limits`). A query for 20 subjects counts "
    "20; past the limit the call gets 429 and releases nothing.",
    group="Exchange",
)
EXCHANGE_SUBJECTS_PER_DAY = env(
    "CIVIC_EXCHANGE_SUBJECTS_PER_DAY",
    default=5_000,
    kind=int,
    help="Subjects the exchange releases to one API client a day (local calendar day), "
    "unless the client has a limit of its own.",
    group="Exchange",
)
EXCHANGE_ALERT_DAY_PERCENT = env(
    "CIVIC_EXCHANGE_ALERT_DAY_PERCENT",
    default=50,
    kind=int,
    help="Tell the client agency's data protection officer once a day when a client has been "
    "released this percentage of its limit a day.",
    group="Exchange",
)
EXCHANGE_ALERT_BASELINE_FACTOR = env(
    "CIVIC_EXCHANGE_ALERT_BASELINE_FACTOR",
    default=3,
    kind=int,
    help="Tell the data protection officer when a client's count today is this many times its "
    "average of the seven days before (once it has three days of history) and at least "
    "CIVIC_EXCHANGE_ALERT_BASELINE_MINIMUM.",
    group="Exchange",
)
EXCHANGE_ALERT_BASELINE_MINIMUM = env(
    "CIVIC_EXCHANGE_ALERT_BASELINE_MINIMUM",
    default=200,
    kind=int,
    help="Subjects in a day below which no count is unusual, whatever the client's history.",
    group="Exchange",
)
EXCHANGE_SCAN_WINDOW_MINUTES = env(
    "CIVIC_EXCHANGE_SCAN_WINDOW_MINUTES",
    default=60,
    kind=int,
    help="The window in which the exchange looks for a client walking over consecutive "
    "identifiers (address identifiers, personal or business numbers, birth dates of one "
    "family name).",
    group="Exchange",
)
EXCHANGE_SCAN_RUN = env(
    "CIVIC_EXCHANGE_SCAN_RUN",
    default=16,
    kind=int,
    help="Distinct identifiers of one small block of consecutive ones (64 address "
    "identifiers, 320 personal or business numbers, 32 birth days) asked in one window that "
    "count as a walk, and raise an alert to the data protection officer.",
    group="Exchange",
)


def _limits_check() -> None:
    for name, value in (
        ("CIVIC_EXCHANGE_RATE_LIMIT", EXCHANGE_RATE_LIMIT),
        ("CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE", EXCHANGE_SUBJECTS_PER_MINUTE),
        ("CIVIC_EXCHANGE_SUBJECTS_PER_DAY", EXCHANGE_SUBJECTS_PER_DAY),
        ("CIVIC_EXCHANGE_ALERT_BASELINE_FACTOR", EXCHANGE_ALERT_BASELINE_FACTOR),
        ("CIVIC_EXCHANGE_SCAN_WINDOW_MINUTES", EXCHANGE_SCAN_WINDOW_MINUTES),
        ("CIVIC_EXCHANGE_SCAN_RUN", EXCHANGE_SCAN_RUN),
    ):
        if value < 1:
            raise ConfigError(f"{name} must be at least 1, not {value}.")
    if not 1 <= EXCHANGE_ALERT_DAY_PERCENT <= 100:
        raise ConfigError(
            f"CIVIC_EXCHANGE_ALERT_DAY_PERCENT must be between 1 and 100, not {EXCHANGE_ALERT_DAY_PERCENT}."
        )


_limits_check()

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
    choices=("thread", "off"),
    help="`thread`: one web process per host integrates in the background; `off`: run "
    "`civic auditlog integrate --follow` as a service of its own.",
    group="Exchange",
)
AUDITLOG_WITNESSES = env(
    "CIVIC_AUDITLOG_WITNESSES",
    default=[],
    kind=list,
    help="Witnesses that co-sign the access log's checkpoints, comma-separated, each as "
    "`<url> <verifier key>`: where the witness listens (Civic POSTs to `<url>/add-checkpoint`) "
    "and the key `civic auditlog witness keygen` printed. Without witnesses, deleting the "
    "newest entries with their checkpoints is not detected (docs/exchange.md, witnessing).",
    group="Exchange",
)
AUDITLOG_WITNESS_QUORUM = env(
    "CIVIC_AUDITLOG_WITNESS_QUORUM",
    default=1,
    kind=int,
    help="How many of the witnesses must co-sign a checkpoint for it to count as witnessed.",
    group="Exchange",
)
AUDITLOG_WITNESS_TIMEOUT_SECONDS = env(
    "CIVIC_AUDITLOG_WITNESS_TIMEOUT_SECONDS",
    default=5,
    kind=int,
    help="How long a witness may take to answer. One that fails is asked again after a pause "
    "that doubles up to five minutes; meanwhile the log keeps growing, un-witnessed.",
    group="Exchange",
)
#: `<url> <vkey>`: a vkey is name+8 hex+base64 (c2sp.org/signed-note); checked fully on use.
_WITNESS = re.compile(r"https?://\S+ [^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*")


def _witnesses_check(witnesses: list[str], quorum: int) -> None:
    for item in witnesses:
        if not _WITNESS.fullmatch(item):
            raise ConfigError(
                f"CIVIC_AUDITLOG_WITNESSES: {item[:80]!r} is not `<http(s) url> <verifier key>`."
            )
    if witnesses and not 1 <= quorum <= len(witnesses):
        raise ConfigError(
            f"CIVIC_AUDITLOG_WITNESS_QUORUM must be between 1 and the {len(witnesses)} "
            f"witness(es) of CIVIC_AUDITLOG_WITNESSES, not {quorum}."
        )


_witnesses_check(AUDITLOG_WITNESSES, AUDITLOG_WITNESS_QUORUM)

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
WEBHOOK_ALLOWED_NETWORKS = env(
    "CIVIC_WEBHOOK_ALLOWED_NETWORKS",
    default=[] if PRODUCTION else ["127.0.0.0/8", "::1/128"],
    default_doc="127.0.0.0/8,::1/128; none when CIVIC_ENV=production",
    kind=list,
    help="Comma-separated networks (CIDR) an operator trusts to receive webhooks although they "
    "are not public, e.g. an in-house receiver at 10.20.0.0/24. Webhooks are never sent to "
    "loopback, private, link-local (cloud metadata), shared, multicast or reserved addresses "
    "outside these networks; outside production the loopback networks are trusted, for the "
    "demo's receiver.",
    group="Exchange",
)
WEBHOOK_CA_FILE = env(
    "CIVIC_WEBHOOK_CA_FILE",
    default="",
    help="A PEM file of certificate authorities trusted for webhook receivers besides the "
    "system's (an in-house CA). The system's own set can be replaced with SSL_CERT_FILE.",
    group="Exchange",
)


def _networks_check(networks: list[str]) -> None:
    for item in networks:
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(
                f"CIVIC_WEBHOOK_ALLOWED_NETWORKS: {item[:80]!r} is not a network such as "
                "10.20.0.0/24 or fd12:3456::/48."
            ) from None
        if network.prefixlen == 0:
            raise ConfigError(
                f"CIVIC_WEBHOOK_ALLOWED_NETWORKS: {item!r} is every address; name the networks "
                "of the receivers you trust."
            )


_networks_check(WEBHOOK_ALLOWED_NETWORKS)
if WEBHOOK_CA_FILE and not Path(WEBHOOK_CA_FILE).is_file():
    raise ConfigError(f"CIVIC_WEBHOOK_CA_FILE: there is no file {WEBHOOK_CA_FILE!r}.")

#: Periodic work of the exchange, for `celery -A civic beat`.
EXCHANGE_BEAT_SCHEDULE = {
    # Webhook retries that are due, and deliveries whose worker died holding them (after
    # their lease); a sweep nobody ran within its interval expires rather than piling up.
    "exchange-sweep-due-deliveries": {
        "task": "civic.exchange.deliveries_sweep",
        "schedule": 5.0,
        "options": {"expires": 5.0},
    },
    # Event deliveries whose dispatch never reached a worker (the broker was down when the
    # change committed) and webhook retries that are due.
    "exchange-dispatch-due-deliveries": {
        "task": "civic.exchange.deliveries_dispatch",
        "schedule": 60.0,
    },
}

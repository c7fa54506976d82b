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
EXCHANGE_RATE_LIMIT = env(
    "CIVIC_EXCHANGE_RATE_LIMIT",
    default=60_000,
    kind=int,
    help="Queries an API client may make per minute before it gets 429.",
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
    choices=("thread", "off"),
    help="`thread`: each web process integrates in the background; `off`: run "
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

EVENT_DELIVERY = env(
    "CIVIC_EVENT_DELIVERY",
    default="thread",
    choices=("thread", "celery", "off"),
    help="How register events reach subscribers: `thread` (in the web process, the embedded "
    "default), `celery` (Celery workers on BROKER_URL) or `off` (only `civic events deliver`).",
    group="Exchange",
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

"""The production guard: what ``CIVIC_ENV=production`` refuses to start with, and why.

Pure functions over the gathered settings, so the refusals are tested without starting Django.
Imports nothing of Civic's apps.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from civic.core.fieldkeys.contrib.keyfile import KeyFileError, keyfile_read

#: The placeholder shipped in old examples; any key that is this (give or take spaces or case)
#: is public knowledge.
PLACEHOLDER_SECRET_KEY = "civic-placeholder-secret-key-change-me"  # noqa: S105
MINIMUM_KEY_LENGTH = 32
#: A random key of 32 characters from a 64-letter alphabet carries about 190 bits; estimated
#: from the characters' spread, such a key scores well over this, `aaaa…` scores 0 and an
#: English word repeated to length scores under it.
MINIMUM_KEY_BITS = 100


def estimated_bits(value: str) -> float:
    """Shannon entropy of the key's own characters times the length of its shortest repeating
    unit: a cheap, conservative estimate that catches repeated or patterned keys (`aaaa…`,
    a word said six times). It cannot prove a key random."""
    if not value:
        return 0.0
    counts = Counter(value)
    per_character = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return per_character * _repeating_unit(value)


def _repeating_unit(value: str) -> int:
    for period in range(1, len(value) // 2 + 1):
        if all(value[i] == value[i % period] for i in range(len(value))):
            return period
    return len(value)


def key_weakness(value: str) -> str | None:
    """Why ``value`` is not fit to be a production key, or None."""
    if not value.strip():
        return "is not set"
    if value != value.strip():
        return "starts or ends with white space (a pasting mistake?)"
    if PLACEHOLDER_SECRET_KEY in value.lower():
        return "is the public placeholder"
    if len(value) < MINIMUM_KEY_LENGTH:
        return f"is shorter than {MINIMUM_KEY_LENGTH} characters"
    if estimated_bits(value) < MINIMUM_KEY_BITS:
        return "is too predictable (repeated or patterned characters)"
    return None


def production_problems(values: Mapping[str, Any]) -> list[str]:
    """Every reason the gathered settings ``values`` are unsafe for production, each naming its
    variable. An empty list means production may start."""
    # A strong key: python -c "import secrets; print(secrets.token_urlsafe(48))"
    problems = []
    if values["DEBUG"]:
        problems.append("CIVIC_DEBUG is on; it shows tracebacks with personal data to anyone")
    secret, pseudonym_key = values["SECRET_KEY"], values["PSEUDONYM_KEY"]
    if weakness := key_weakness(secret):
        problems.append(
            f"CIVIC_SECRET_KEY {weakness}, so sessions and login codes would be forgeable"
        )
    if weakness := key_weakness(pseudonym_key):
        problems.append(
            f"CIVIC_PSEUDONYM_KEY {weakness}, so the access log's pseudonyms could be reversed"
        )
    elif pseudonym_key == secret:
        problems.append(
            "CIVIC_PSEUDONYM_KEY is the same as CIVIC_SECRET_KEY; use two independent keys, so "
            "that replacing the secret key does not change every pseudonym"
        )
    if values["PRINT_LOGIN_CODES"]:
        problems.append(
            "CIVIC_PRINT_LOGIN_CODES is on; anyone reading the log could log in as a resident"
        )
    if "*" in values["ALLOWED_HOSTS"] or any(h.startswith("*") for h in values["ALLOWED_HOSTS"]):
        problems.append(
            "CIVIC_ALLOWED_HOSTS contains a wildcard; name the host names Civic answers to"
        )
    if not values["CACHE_URL"]:
        problems.append(
            "CIVIC_CACHE_URL is not set, so each web process would count the exchange's rate "
            "limits and the login limits on its own; point it at Redis (or Valkey)"
        )
    if values["STAFF_SECOND_FACTOR"] != "required":
        problems.append(
            "CIVIC_STAFF_SECOND_FACTOR is not `required`; staff, who read residents' personal "
            "data, would log in with a password alone"
        )
    if "onetimecode" in values["RESIDENT_LOGIN_METHODS"]:
        problems.append(
            "CIVIC_RESIDENT_LOGIN_METHODS offers `onetimecode`, the demo login; production logs "
            "residents in with the national eID (`oidc`)"
        )
    if "oidc" in values["RESIDENT_LOGIN_METHODS"]:
        missing = [
            name
            for name, setting in (
                ("CIVIC_OIDC_CLIENT_ID", "OIDC_RP_CLIENT_ID"),
                ("CIVIC_OIDC_AUTHORIZATION_ENDPOINT", "OIDC_OP_AUTHORIZATION_ENDPOINT"),
                ("CIVIC_OIDC_TOKEN_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"),
                ("CIVIC_OIDC_JWKS_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"),
            )
            if not values[setting]
        ]
        if missing:
            problems.append(f"the eID login needs {', '.join(missing)}")
        insecure = [
            name
            for name, setting in (
                ("CIVIC_OIDC_AUTHORIZATION_ENDPOINT", "OIDC_OP_AUTHORIZATION_ENDPOINT"),
                ("CIVIC_OIDC_TOKEN_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"),
                ("CIVIC_OIDC_JWKS_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"),
                ("CIVIC_OIDC_USER_ENDPOINT", "OIDC_OP_USER_ENDPOINT"),
            )
            if values[setting] and not _https_or_loopback(values[setting])
        ]
        if insecure:
            problems.append(f"{', '.join(insecure)} must be https:// addresses")
    if values["FIELD_KEYS"] == "keyfile":
        try:
            keyfile_read(Path(values["FIELD_KEY_FILE"]))
        except KeyFileError as error:
            problems.append(
                f"CIVIC_FIELD_KEYS is `keyfile` but CIVIC_FIELD_KEY_FILE is unusable ({error}); "
                "encrypted register fields could not be read or written"
            )
    return problems


def _https_or_loopback(url: str) -> bool:
    # A provider on the same host (the test suite's, or a sidecar) may speak plain HTTP.
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}
    )

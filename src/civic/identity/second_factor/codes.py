"""The pure parts of the second factor: seeds, TOTP codes by time step, recovery codes and the
QR code an authenticator app scans. No database, no request.

A code belongs to a 30-second time step (RFC 6238's default, the most ASVS V6.5.5 allows); the
step before and after are accepted too, for a phone whose clock is a little off. Which step
matched is returned, so that the caller can refuse that step and every earlier one next time
(no replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg

PERIOD_SECONDS = 30
DIGITS = 6
#: Steps either side of now whose codes are accepted: 30 seconds of clock drift each way.
DRIFT_STEPS = 1
ISSUER = "Civic"

#: Crockford's base 32: no I, L, O or U, so that a code read aloud or from paper is not misread.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 6, 4  # 24 characters of 5 bits: 120 bits
RECOVERY_CODE_COUNT = 10


def secret_new() -> str:
    """A fresh seed: 32 base-32 characters (160 bits, RFC 4226's recommended length), from the
    operating system's CSPRNG."""
    return pyotp.random_base32(length=32)


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // PERIOD_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_SECONDS).generate_otp(step)


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The time step near ``moment`` whose code ``code`` is, or None. Every candidate is
    compared in constant time."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(moment)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code) and found is None:
            found = step
    return found


def secret_grouped(secret: str) -> str:
    """The seed in groups of four, as a person types it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, *, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code: an SVG in a ``data:`` address for an ``<img>``, made here (no
    outside service sees the seed) and allowed by the page's CSP (``img-src 'self' data:``)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def recovery_code_new() -> str:
    characters = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH)
    )
    return "-".join(
        characters[i : i + RECOVERY_GROUP_LENGTH]
        for i in range(0, len(characters), RECOVERY_GROUP_LENGTH)
    )


def recovery_code_normal(text: str) -> str:
    """What a person typed, as the code it stands for: case, spaces and dashes do not matter,
    and the letters Crockford's alphabet leaves out read as the digits they look like."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def recovery_code_digest(text: str) -> str:
    # 120 random bits per code: a fast hash is safe (ASVS V6.5.2 asks for a slow salted one
    # only below 112 bits), and it lets a code be found by its digest.
    return hashlib.sha256(recovery_code_normal(text).encode()).hexdigest()

"""National identifiers and their check digits.

* Personal number: 9 digits with the weighted modulus-11 check of the Dutch BSN
  (the "elfproef": 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 mod 11). Validated with python-stdnum.
* Business registration number: 8 digits, the last a Luhn check digit over the first 7.

The vectorised helpers let the jurisdiction generator make millions of valid numbers at once;
tests check every generated number against the scalar validators below.
"""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.nl import bsn

from civic.core.errors import InvalidIdentifier

PERSONAL_NUMBER_LENGTH = 9
BUSINESS_NUMBER_LENGTH = 8
_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_LUHN_DOUBLE = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int64)


def _ascii_digits(text: str) -> bool:
    # str.isdigit() is true of fullwidth (１２３) and Arabic-Indic (١٢٣) digits too, which no
    # register stores: they must get the "9 digits" message, not reach the check digit.
    return text.isascii() and text.isdigit()


def personal_number_clean(value: str) -> str:
    """Return the 9-digit personal number in ``value`` or raise :class:`InvalidIdentifier`.

    Spaces, dots and dashes are tolerated, as people write them.
    """
    compact = "".join(ch for ch in str(value) if ch not in " .-")
    if not _ascii_digits(compact) or len(compact) != PERSONAL_NUMBER_LENGTH:
        raise InvalidIdentifier(
            _("A personal number has exactly 9 digits; “%(value)s” does not.") % {"value": value}
        )
    try:
        bsn.validate(compact)
    except ValidationError:
        raise InvalidIdentifier(
            _("“%(value)s” is not a valid personal number: its check digit is wrong.")
            % {"value": value}
        ) from None
    return compact


def personal_number_is_valid(value: str) -> bool:
    try:
        personal_number_clean(value)
    except InvalidIdentifier:
        return False
    return True


def business_number_clean(value: str) -> str:
    """Return the 8-digit business registration number in ``value`` or raise."""
    compact = "".join(ch for ch in str(value) if ch not in " .-")
    if not _ascii_digits(compact) or len(compact) != BUSINESS_NUMBER_LENGTH:
        raise InvalidIdentifier(
            _("A business registration number has exactly 8 digits; “%(value)s” does not.")
            % {"value": value}
        )
    if not luhn.is_valid(compact):
        raise InvalidIdentifier(
            _("“%(value)s” is not a valid business registration number: its check digit is wrong.")
            % {"value": value}
        )
    return compact


def business_number_is_valid(value: str) -> bool:
    try:
        business_number_clean(value)
    except InvalidIdentifier:
        return False
    return True


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Split integers into a (n, width) array of decimal digits, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers) % 10


def personal_numbers_from_prefixes(prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Complete 8-digit prefixes to personal numbers.

    Returns ``(numbers, usable)``: a prefix whose check digit would have to be 10 cannot be
    completed, and ``usable`` is False there.
    """
    prefixes = np.asarray(prefixes, dtype=np.int64)
    check = (_digits(prefixes, 8) @ _BSN_WEIGHTS) % 11
    return prefixes * 10 + np.minimum(check, 9), check < 10


def business_numbers_from_prefixes(prefixes: np.ndarray) -> np.ndarray:
    """Complete 7-digit prefixes with their Luhn check digit."""
    prefixes = np.asarray(prefixes, dtype=np.int64)
    digits = _digits(prefixes, 7)
    # Luhn doubles every second digit counting from the right of the full number; with the
    # check digit appended, those are the prefix's positions 7, 5, 3 and 1 (1-based, from left).
    doubled = digits.copy()
    doubled[:, [6, 4, 2, 0]] = _LUHN_DOUBLE[digits[:, [6, 4, 2, 0]]]
    check = (10 - doubled.sum(axis=1) % 10) % 10
    return prefixes * 10 + check


def format_personal_number(number: int) -> str:
    return f"{int(number):09d}"


def format_business_number(number: int) -> str:
    return f"{int(number):08d}"

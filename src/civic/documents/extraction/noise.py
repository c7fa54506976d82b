"""OCR's usual confusions, undone only where the format says a digit (or a letter) must be.

Tesseract reads a 0 as O or o, a 1 as l, I or |, a 5 as S, an 8 as B, and breaks a number with
spaces. A candidate is repaired only in positions that must hold digits, and is then kept only
if its check digit or calendar agrees: a wrong repair fails the check and yields nothing,
never a wrong value.
"""

from __future__ import annotations

#: Characters tesseract gives for a digit, and the digit they stand for.
DIGIT_LOOKALIKES = {
    "O": "0", "o": "0", "D": "0", "Q": "0",
    "l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "L": "1",
    "Z": "2", "z": "2",
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "T": "7",
    "B": "8",
    "g": "9", "q": "9",
}  # fmt: skip
#: The reverse, for positions that must hold letters (an IBAN's bank code).
LETTER_LOOKALIKES = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "7": "T"}

#: A regex class of what may stand for a digit in OCR output.
DIGITISH = "[0-9OoDQlIi|!LZzSsGbTBgq]"


def as_digits(text: str) -> str | None:
    """``text`` with look-alikes made digits and spaces, dots and dashes dropped; None if
    something else is left."""
    out = []
    for ch in text:
        if ch in " .-\u00a0":
            continue
        ch = DIGIT_LOOKALIKES.get(ch, ch)
        if not ("0" <= ch <= "9"):
            return None
        out.append(ch)
    return "".join(out)


def real_digits(text: str) -> int:
    return sum("0" <= ch <= "9" for ch in text)


def as_letters(text: str) -> str:
    return "".join(LETTER_LOOKALIKES.get(ch, ch) for ch in text.upper())

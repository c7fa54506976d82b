"""What the document-type classifier sees of a text: the words and letter groups of its
normalised text, and of its heading (its first lines) on their own.

These functions are part of the shipped model (the pickled pipeline refers to them by name), so
renaming or moving one needs the model retrained. No Django, no database.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"[ \t]+")

#: Non-empty lines that make a document's heading: its sender, title or subject line. Three to
#: twelve were measured on unseen templates; five did best.
HEADING_LINES = 5


def text_normalise(text: str) -> str:
    """Lower case, every digit a 0 (a payslip is a payslip whatever the amounts), spaces folded."""
    return _SPACE.sub(" ", _DIGIT.sub("0", text.lower())).strip()


def heading_normalise(text: str) -> str:
    """The first ``HEADING_LINES`` non-empty lines, normalised: where a document names itself."""
    lines = [line for line in text.splitlines() if line.strip()][:HEADING_LINES]
    return text_normalise("\n".join(lines))


def texts_normalise(texts) -> list[str]:
    return [text_normalise(text) for text in texts]

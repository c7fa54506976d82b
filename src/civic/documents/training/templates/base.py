"""A template: its id, the document type it makes, its style and the function that fills it.

Helpers shared by the templates: ``tr`` picks the text of the document's language, and the
ground-truth field values are normalised (``iso`` dates, ``dec`` amounts) whatever the page
shows, so that an extractor can be scored against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from civic.documents.training.layout import Draft, Style
from civic.documents.training.values import Values


@dataclass(frozen=True)
class Template:
    id: str  # "<type>-<n>", stable: the ground truth and the split by template use it
    type: str  # a DocumentType value
    style: Style
    build: Callable[[Values], Draft]


def tr(v: Values, en: str, nl: str) -> str:
    return nl if v.language == "nl" else en


def iso(day: dt.date) -> str:
    return day.isoformat()


def dec(amount: float) -> str:
    return f"{amount:.2f}"


def one_line(address: dict[str, str]) -> str:
    return f"{address['street']}, {address['postcode']} {address['city']}"

"""Small helpers to read rendered pages in tests."""

from __future__ import annotations

import re


def h1(page: str) -> str:
    """The text of the page's one h1 (tags inside it removed)."""
    found = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    assert len(found) == 1, f"expected one h1, found {len(found)}"
    return re.sub(r"<[^>]+>", "", found[0]).strip()

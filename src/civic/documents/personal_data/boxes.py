"""Where a finding stands on the page: the boxes of the words that make up its text.

A page's words are ``[text, x0, y0, x1, y1]`` in pixels of the stored page image (tesseract's
word boxes for a scan, PDFium's character boxes gathered into words for a text layer). The
finding's text and the words are compared without spaces, so "1234 56 782" read as three
words, or "BSN:123456782" read as one, both give the boxes to black out.
"""

from __future__ import annotations

from collections.abc import Sequence

Word = Sequence  # [text, x0, y0, x1, y1]


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()


def boxes_of(text: str, words: Sequence[Word]) -> list[list[int]]:
    """The boxes of every word that holds part of any occurrence of ``text``."""
    target = _squeezed(text)
    if not target or not words:
        return []
    joined, owner = [], []
    for index, word in enumerate(words):
        for ch in _squeezed(str(word[0])):
            joined.append(ch)
            owner.append(index)
    haystack = "".join(joined)
    covered: set[int] = set()
    start = haystack.find(target)
    while start >= 0:
        covered.update(owner[start : start + len(target)])
        start = haystack.find(target, start + 1)
    return [[int(v) for v in words[i][1:5]] for i in sorted(covered)]

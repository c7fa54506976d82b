"""Writing one section of docs/benchmarks.md: the text between ``<!-- NAME: begin`` and
``<!-- NAME: end -->`` is replaced, or the section is appended when the page has none yet."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def section_write(name: str, section: str, doc_path: Path = DOC) -> None:
    doc = doc_path.read_text()
    pattern = rf"<!-- {re.escape(name)}: begin.*?<!-- {re.escape(name)}: end -->"
    if re.search(pattern, doc, flags=re.S):
        doc = re.sub(pattern, lambda _m: section, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + section + "\n"
    doc_path.write_text(doc)

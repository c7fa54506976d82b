"""The impact assessments (DPIA and IAMA) of an entry, as blocks for its page, in each of the
register's languages: ``data/assessments/<slug>.md`` in English, ``<slug>.nl.md`` in Dutch
(a test holds every assessment to both, with the same anchors)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from civic.decisions.algorithm_register.standard import _SLUG, ASSESSMENTS, LANGUAGES

_HEADING = re.compile(r"^(?P<level>#{1,3}) (?P<text>.+?)(?: \{#(?P<id>[a-z0-9-]+)\})?$")


def assessment_path(slug: str, language: str = "en") -> Path:
    """The file of an entry's assessments in ``language`` (English: ``<slug>.md``)."""
    return ASSESSMENTS / (f"{slug}.md" if language == "en" else f"{slug}.{language}.md")


def assessment_get(*, slug: str, language: str = "en") -> list[dict[str, Any]] | None:
    """The impact assessments (DPIA and IAMA) of an entry, as blocks for a page (headings with
    their anchors, paragraphs, lists), or None when the entry has none. The documents are
    ``data/assessments/<slug>.md`` (``<slug>.nl.md`` in Dutch): headings, paragraphs and ``-``
    lists, nothing else."""
    if not _SLUG.match(slug) or language not in LANGUAGES:
        return None
    path = assessment_path(slug, language)
    if not path.is_file():
        return None
    blocks: list[dict[str, Any]] = []
    for chunk in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            blocks.append(
                {
                    "kind": "heading",
                    "level": len(heading["level"]),
                    "text": heading["text"],
                    "id": heading["id"] or "",
                }
            )
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            blocks.append({"kind": "list", "items": [line[2:] for line in lines]})
        else:
            blocks.append({"kind": "paragraph", "text": " ".join(lines)})
    return blocks

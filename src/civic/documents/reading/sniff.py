"""A file's type from its first bytes, never from its name.

A file whose name claims an accepted type (``.pdf``, ``.png``…) but whose content is something
else (a ZIP, a program) is refused as lying about its type; other unknown content as not
accepted. A file that says ``.pdf`` but is a real PNG is read as the PNG it is.
"""

from __future__ import annotations

from pathlib import PurePath

import filetype

from civic.documents.models import Refusal
from civic.documents.reading.base import Refused

#: Accepted types by their signature at the start of the file.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
ACCEPTED_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
#: Programs' signatures that filetype does not name.
PROGRAMS = ((b"MZ", "a Windows program"), (b"\x7fELF", "a Linux program"), (b"#!", "a script"))


def _what_it_is(data: bytes) -> str:
    for signature, what in PROGRAMS:
        if data.startswith(signature):
            return what
    kind = filetype.guess(data[:8192])
    return kind.mime if kind else "unrecognised content"


def media_type_of(data: bytes, name: str) -> str:
    if not data:
        raise Refused(Refusal.EMPTY, "0 bytes")
    head = data[:1024]
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    # PDF allows a little junk before its header (within the first 1,024 bytes).
    if b"%PDF-" in head:
        return "application/pdf"
    suffix = PurePath(name).suffix.lower()
    what = _what_it_is(data)
    if suffix in ACCEPTED_SUFFIXES:
        raise Refused(Refusal.TYPE_MISMATCH, f"named {suffix} but the content is {what}")
    raise Refused(Refusal.UNSUPPORTED, what)

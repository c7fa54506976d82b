"""What every upload scanner is: a class with a ``key`` and a ``scan`` method."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files import File


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    scanned: bool
    #: The key of the scanner that looked, stored with the file.
    scanner: str
    finding: str = ""


class Scanner:
    """Base class of upload scanners. Civic makes one with no arguments for each upload (a
    scanner reads its own settings) and calls :meth:`scan`.

    A scanner that cannot do its work (its daemon is down) raises
    ``civic.forms.uploads.UploadRefused`` with words for the resident: an upload is refused
    rather than let through unscanned.
    """

    #: The key CIVIC_UPLOAD_SCANNER names it by; stored with each file it scanned.
    key = "base"

    def scan(self, file: File) -> ScanResult:
        raise NotImplementedError

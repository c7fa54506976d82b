"""Checking an uploaded file: its size, its type by content (not by its name), and a scan.

Files are never read whole into memory. :class:`LimitedUploadHandler` (first of
``FILE_UPLOAD_HANDLERS``) counts each file's bytes as they arrive and skips the rest of one past
``CIVIC_UPLOAD_MAX_MB``, noting it on the request for the page's error summary; what it lets
through lands in a temporary file (above Django's 2.5 MB in memory), and the checks below read
its size, its first bytes and then chunks.

Scanning is a plugin (``scanning/``, setting ``CIVIC_UPLOAD_SCANNER``): ``none`` in the
embedded default, which stores the file marked "not scanned" so a caseworker sees that;
``clamd`` speaks ClamAV's clamd protocol (INSTREAM) to ``CIVIC_CLAMD_ADDRESS`` for production.
A scanner that cannot be reached refuses the upload rather than letting it through unscanned.
"""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.forms.scanning.base import ScanResult
from civic.forms.scanning.registry import scanner

#: What residents may send when a field does not say: documents and photos.
DEFAULT_TYPES = ("application/pdf", "image/jpeg", "image/png")
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
}


class UploadRefused(CivicError):
    pass


#: The request attribute where LimitedUploadHandler notes the files it stopped: {field: name}.
REFUSED = "civic_uploads_too_large"
#: Bytes read for the content type (what the filetype library looks at).
HEAD = 8192


def too_large(name: str, max_size_mb: int) -> str:
    return _("The file “%(name)s” is larger than %(size)s MB.") % {
        "name": name,
        "size": max_size_mb,
    }


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading a file once it passes CIVIC_UPLOAD_MAX_MB: the rest of that file is skipped
    (not stored, not kept in memory), the form's other fields are still read, and the file is
    noted in ``request.civic_uploads_too_large`` for the page to name the limit."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_MB * 1024 * 1024:
            refused = getattr(self.request, REFUSED, None)
            if refused is None:
                refused = {}
                setattr(self.request, REFUSED, refused)
            refused[self.field_name] = self.file_name or ""
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


def upload_check(
    *, file: File, name: str, accept: list[str] | None, max_size_mb: int
) -> tuple[str, ScanResult]:
    """The file's content type and scan result, or UploadRefused saying what is wrong. Reads
    the size as stored, the first bytes for the type, and chunks for the scanner."""
    if not file.size:
        raise UploadRefused(_("The file “%(name)s” is empty.") % {"name": name})
    if file.size > max_size_mb * 1024 * 1024:
        raise UploadRefused(too_large(name, max_size_mb))
    allowed = list(accept or DEFAULT_TYPES)
    file.seek(0)
    kind = filetype.guess(file.read(HEAD))
    file.seek(0)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(TYPE_NAMES.get(t, t) for t in allowed)
        raise UploadRefused(
            _("The file “%(name)s” must be a %(types)s file.") % {"name": name, "types": names}
        )
    result = scanner().scan(file)
    if not result.clean:
        raise UploadRefused(
            _("The file “%(name)s” contains a virus and was not accepted.") % {"name": name}
        )
    return kind.mime, result

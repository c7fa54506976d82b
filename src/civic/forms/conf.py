"""Settings of uploads: their size and the virus scanner.

Gathered by ``civic.settings``; imports nothing but ``core.config``.
"""

from __future__ import annotations

from civic.core.config import env

UPLOAD_SCANNER = env(
    "CIVIC_UPLOAD_SCANNER",
    default="none",
    help="The upload scanner plugin, by key: `none` stores uploads marked “not scanned”; "
    "`clamd` scans each one with ClamAV's daemon at CIVIC_CLAMD_ADDRESS and refuses infected "
    "files. A scanner outside Civic: the dotted path of a subclass of "
    "`civic.forms.scanning.base.Scanner` (docs/plugins.md).",
    group="Forms and cases",
)
CLAMD_ADDRESS = env(
    "CIVIC_CLAMD_ADDRESS",
    default="127.0.0.1:3310",
    help="clamd's TCP address (host:port) or Unix socket path.",
    group="Forms and cases",
)
UPLOAD_MAX_MB = env(
    "CIVIC_UPLOAD_MAX_MB",
    default=10,
    kind=int,
    help="Largest file a resident may attach, in megabytes, unless a form field says less.",
    group="Forms and cases",
)

# Uploads: each file is counted as it arrives and skipped past CIVIC_UPLOAD_MAX_MB
# (forms/uploads.py); up to 2.5 MB is kept in memory, more goes to a temporary file. Form
# fields other than files are held in memory up to 2.5 MB in all.
FILE_UPLOAD_HANDLERS = [
    "civic.forms.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

"""Checking an uploaded file: its size, its type by content (not by its name), and a scan.

Scanning is a plugin (setting ``CIVIC_UPLOAD_SCANNER``): ``none`` in the embedded default,
which stores the file marked "not scanned" so a caseworker sees that; ``clamd`` speaks
ClamAV's clamd protocol (INSTREAM) to ``CIVIC_CLAMD_ADDRESS`` for production. A scanner that
cannot be reached refuses the upload rather than letting it through unscanned.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from civic.core.errors import CivicError

#: What residents may send when a field does not say: documents and photos.
DEFAULT_TYPES = ("application/pdf", "image/jpeg", "image/png")
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


class UploadRefused(CivicError):
    pass


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    scanned: bool
    scanner: str
    finding: str = ""


class NoScanner:
    """The embedded default: nothing is scanned, and the upload says so."""

    name = "none"

    def scan(self, content: bytes) -> ScanResult:
        return ScanResult(clean=True, scanned=False, scanner=self.name)


class ClamdScanner:
    """ClamAV's daemon over TCP (``host:port``) or a Unix socket (a path), INSTREAM command."""

    name = "clamd"
    CHUNK = 64 * 1024

    def __init__(self, address: str):
        self.address = address

    def _connect(self) -> socket.socket:
        if self.address.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self.address)
        else:
            host, _sep, port = self.address.rpartition(":")
            sock = socket.create_connection((host or "127.0.0.1", int(port)))
        sock.settimeout(30)
        return sock

    def scan(self, content: bytes) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), self.CHUNK):
                    chunk = content[start : start + self.CHUNK]
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = sock.recv(4096)
                    if not data:
                        break
                    reply += data
        except OSError as error:
            raise UploadRefused(
                _("We could not check your file for viruses just now. Try again later.")
            ) from error
        text = reply.rstrip(b"\0").decode(errors="replace")
        if text.endswith("OK"):
            return ScanResult(clean=True, scanned=True, scanner=self.name)
        return ScanResult(clean=False, scanned=True, scanner=self.name, finding=text)


def scanner():
    if settings.UPLOAD_SCANNER == "clamd":
        return ClamdScanner(settings.CLAMD_ADDRESS)
    return NoScanner()


def upload_check(
    *, content: bytes, name: str, accept: list[str] | None, max_size_mb: int
) -> tuple[str, ScanResult]:
    """The file's content type and scan result, or UploadRefused saying what is wrong."""
    if not content:
        raise UploadRefused(_("The file “%(name)s” is empty.") % {"name": name})
    if len(content) > max_size_mb * 1024 * 1024:
        raise UploadRefused(
            _("The file “%(name)s” is larger than %(size)s MB.")
            % {"name": name, "size": max_size_mb}
        )
    allowed = list(accept or DEFAULT_TYPES)
    kind = filetype.guess(content)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(TYPE_NAMES.get(t, t) for t in allowed)
        raise UploadRefused(
            _("The file “%(name)s” must be a %(types)s file.") % {"name": name, "types": names}
        )
    result = scanner().scan(content)
    if not result.clean:
        raise UploadRefused(
            _("The file “%(name)s” contains a virus and was not accepted.") % {"name": name}
        )
    return kind.mime, result

"""``clamd``: ClamAV's daemon, for production (CIVIC_CLAMD_ADDRESS)."""

from __future__ import annotations

import socket
import struct

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _

from civic.forms.scanning.base import Scanner, ScanResult
from civic.forms.scanning.registry import scanners
from civic.forms.uploads import UploadRefused


@scanners.register
class ClamdScanner(Scanner):
    """ClamAV's daemon over TCP (``host:port``) or a Unix socket (a path), INSTREAM command."""

    key = "clamd"
    CHUNK = 64 * 1024

    def __init__(self, address: str | None = None):
        self.address = address or settings.CLAMD_ADDRESS

    def _connect(self) -> socket.socket:
        if self.address.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self.address)
        else:
            host, _sep, port = self.address.rpartition(":")
            sock = socket.create_connection((host or "127.0.0.1", int(port)))
        sock.settimeout(30)
        return sock

    def scan(self, file: File) -> ScanResult:
        """Streams ``file`` to clamd in chunks of 64 KiB (never the whole file in memory)."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                file.seek(0)
                for chunk in file.chunks(self.CHUNK):
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
            return ScanResult(clean=True, scanned=True, scanner=self.key)
        return ScanResult(clean=False, scanned=True, scanner=self.key, finding=text)

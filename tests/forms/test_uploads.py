"""Uploads are checked by size, by their content's type (not their name) and by the scanner
plugin. ClamAV cannot run here (its signatures come from the internet), so the clamd plugin is
tested against a small server speaking clamd's INSTREAM protocol, as clamd answers it."""

from __future__ import annotations

import socketserver
import struct
import threading

import pytest
from django.core.files.base import ContentFile

from civic.forms.scanning.contrib.clamd import ClamdScanner
from civic.forms.uploads import UploadRefused, upload_check

PDF = b"%PDF-1.4\n%%EOF\n"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Clamd(socketserver.BaseRequestHandler):
    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        content = b""
        while True:
            (size,) = struct.unpack("!L", self.request.recv(4, socketserver.socket.MSG_WAITALL))
            if size == 0:
                break
            content += self.request.recv(size, socketserver.socket.MSG_WAITALL)
        verdict = b"stream: Eicar-Test-Signature FOUND" if b"EICAR" in content else b"stream: OK"
        self.request.sendall(verdict + b"\0")


@pytest.fixture
def clamd(settings):
    server = socketserver.TCPServer(("127.0.0.1", 0), _Clamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.UPLOAD_SCANNER = "clamd"
    settings.CLAMD_ADDRESS = f"127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_without_a_scanner_a_file_is_accepted_and_marked_not_scanned():
    content_type, result = upload_check(
        file=ContentFile(PDF), name="a.pdf", accept=None, max_size_mb=1
    )
    assert content_type == "application/pdf" and result.scanned is False


def test_the_type_comes_from_the_content_not_the_name():
    with pytest.raises(UploadRefused, match="must be a PDF, JPG, PNG file"):
        upload_check(
            file=ContentFile(b"#!/bin/sh\nrm -rf /\n"),
            name="invoice.pdf",
            accept=None,
            max_size_mb=1,
        )


def test_too_large_and_empty_files_are_refused():
    with pytest.raises(UploadRefused, match="larger than 1 MB"):
        upload_check(
            file=ContentFile(PDF + b"0" * (1024 * 1024)), name="big.pdf", accept=None, max_size_mb=1
        )
    with pytest.raises(UploadRefused, match="is empty"):
        upload_check(file=ContentFile(b""), name="empty.pdf", accept=None, max_size_mb=1)


def test_clamd_passes_a_clean_file_and_refuses_an_infected_one(clamd):
    _content_type, result = upload_check(
        file=ContentFile(PDF), name="a.pdf", accept=None, max_size_mb=1
    )
    assert result.scanned and result.clean and result.scanner == "clamd"
    with pytest.raises(UploadRefused, match="contains a virus"):
        upload_check(file=ContentFile(PDF + EICAR), name="b.pdf", accept=None, max_size_mb=1)


def test_an_unreachable_scanner_refuses_the_upload_rather_than_passing_it(settings):
    settings.UPLOAD_SCANNER = "clamd"
    settings.CLAMD_ADDRESS = "127.0.0.1:9"  # nothing listens on the discard port here
    with pytest.raises(UploadRefused, match="could not check your file"):
        upload_check(file=ContentFile(PDF), name="a.pdf", accept=None, max_size_mb=1)


def test_large_files_are_streamed_in_chunks(clamd):
    scanner = ClamdScanner(f"127.0.0.1:{clamd.server_address[1]}")
    assert scanner.scan(ContentFile(b"x" * (3 * ClamdScanner.CHUNK + 17))).clean

"""A real IMAP server for the mailbox tests: Debian's Dovecot (installed by
scripts/system-packages), started on a free port of the loopback with a configuration of the
test's own, one mailbox per user, any user with the password ``secret``."""

from __future__ import annotations

import contextlib
import imaplib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

PASSWORD = "secret"  # the test server's only password

CONFIG = """\
base_dir = {root}/run
log_path = {root}/dovecot.log
instance_name = civic-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={mail}/%u
}}
mail_location = maildir:{mail}/%u/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dovecot(root: Path) -> Iterator[ImapServer]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    assert Path(binary).exists(), "Dovecot is missing: run scripts/system-packages"
    port = _free_port()
    (root / "run").mkdir(parents=True)
    # The mail user (nobody) makes its maildir here: a folder it can reach (pytest's own
    # temporary folders are the test runner's only).
    mail = Path(tempfile.mkdtemp(prefix="civic-imap-"))
    mail.chmod(0o777)
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, mail=mail, port=port, password=PASSWORD))
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        if process.poll() is not None:
            raise RuntimeError(f"Dovecot did not start: {process.stderr.read().decode()}")
        time.sleep(0.1)
    try:
        yield ImapServer("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(mail, ignore_errors=True)


def deliver(server: ImapServer, subject: str, attachments: list[tuple[str, bytes, str]]) -> None:
    """What a resident's mail program does: a message with files, into the mailbox of the user
    ``intake``."""
    message = EmailMessage()
    message["From"] = "jan@example.org"
    message["To"] = "documenten@havenstad.example"
    message["Subject"] = subject
    message.set_content("Zie de bijlage.")
    for name, data, media_type in attachments:
        main, sub = media_type.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    imap = imaplib.IMAP4(server.host, server.port)
    imap.login("intake", PASSWORD)
    imap.append("INBOX", None, None, message.as_bytes())
    imap.logout()

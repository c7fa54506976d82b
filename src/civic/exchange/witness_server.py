"""The witness as an HTTP service: `POST /add-checkpoint` of c2sp.org/tlog-witness, over the
rules in `witness`. Also its key generation.

Standard library only (besides `witness` and `note`), so that the witness runs on a host of its
own without Django or Civic's database: `civic auditlog witness serve ...` or, with no Civic
settings at all, `python -m civic.exchange.witness_server serve ...`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from civic.exchange import note
from civic.exchange.witness import Answer, StateDir, Witness

log = logging.getLogger("civic.witness")
#: A checkpoint with a few signatures and 63 proof lines is under 8 KiB.
MAX_BODY = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the spec asks witnesses to support
    server_version = "civic-witness"
    timeout = 30  # a client that stops sending mid-request does not hold a thread for ever
    server: _Server

    def do_POST(self) -> None:
        if self.path.split("?")[0] != "/add-checkpoint":
            self._send(Answer.refusal(404, "not found; POST /add-checkpoint"))
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(Answer.refusal(411, "a Content-Length is required"))
            return
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True  # the unread body would be taken for the next request
            self._send(Answer.refusal(413, f"a request is at most {MAX_BODY} bytes"))
            return
        body = self.rfile.read(length)
        try:
            answer = self.server.witness.add_checkpoint(body)
        except Exception:  # a damaged state file or a full disk: say so, and co-sign nothing
            log.exception("add-checkpoint failed")
            answer = Answer.refusal(500, "the witness could not check or store the checkpoint")
        self._send(answer)

    def do_GET(self) -> None:
        self._send(Answer(200, f"{self.server.witness.signer.verifier.vkey()}\n".encode()))

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], witness: Witness) -> None:
        super().__init__(address, _Handler)
        self.witness = witness


def witness_load(*, state: str, key: str, log_keys: list[str]) -> Witness:
    signer = note.Signer.from_skey(Path(key).read_text(encoding="utf-8"))
    if signer.verifier.kind != note.COSIGNATURE_V1:
        raise note.NoteError(f"{key} is not a witness key (type 0x04); make one with keygen")
    logs = [note.Verifier.from_vkey(text) for text in log_keys]
    if not logs:
        raise note.NoteError("give the log's verifier key with --log-key")
    return Witness(signer, logs, StateDir(state))


def serve(witness: Witness, bind: str, ready: Callable[[str], None] = print) -> None:
    """Serve until interrupted; ``ready`` hears the address once the socket listens (a port of
    0 picks a free one)."""
    host, _, port = bind.rpartition(":")
    host = host or "127.0.0.1"
    server = _Server((host, int(port)), witness)
    ready(f"witness {witness.signer.name} listening on http://{host}:{server.server_port}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def key_generate(*, name: str, path: str) -> note.Verifier:
    """A new witness key in ``path`` (refusing to overwrite one); returns its verifier key."""
    signer = note.Signer.generate(name, note.COSIGNATURE_V1)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(signer.skey() + "\n")
    return signer.verifier


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `witness` verbs, shared by `civic auditlog witness` and `python -m` here."""
    verbs = parser.add_subparsers(dest="witness_action", required=True)
    keygen = verbs.add_parser("keygen", help="make the witness's key and print its verifier key")
    keygen.add_argument(
        "--name", required=True, help="the witness's name, e.g. witness.example.org/civic"
    )
    keygen.add_argument("--key", required=True, help="file to write the private key to (0600)")
    run = verbs.add_parser("serve", help="co-sign checkpoints over HTTP (POST /add-checkpoint)")
    run.add_argument("--state", required=True, help="folder for the last checkpoint of each log")
    run.add_argument("--key", required=True, help="the witness's private key file (from keygen)")
    run.add_argument(
        "--log-key",
        action="append",
        default=[],
        required=True,
        help="a log's verifier key (`civic auditlog vkey`); repeat for a rotated key or another log",
    )
    run.add_argument("--bind", default="127.0.0.1:8009", help="HOST:PORT (port 0: any free port)")
    show = verbs.add_parser("show", help="print the checkpoints the witness holds")
    show.add_argument("--state", required=True)


def run(options: dict, out: Callable[[str], None]) -> None:
    action = options["witness_action"]
    if action == "keygen":
        verifier = key_generate(name=options["name"], path=options["key"])
        out(verifier.vkey())
    elif action == "serve":
        witness = witness_load(
            state=options["state"], key=options["key"], log_keys=options["log_key"]
        )
        serve(witness, options["bind"], ready=out)
    else:
        for path in sorted(Path(options["state"]).glob("*.checkpoint")):
            out(f"# {path}\n{path.read_text(encoding='utf-8')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civic.exchange.witness_server")
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        run(options, lambda line: print(line, flush=True))
    except (note.NoteError, OSError) as error:
        print(f"witness: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

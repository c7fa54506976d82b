"""A transparency-log witness (c2sp.org/tlog-witness): co-signs a log's checkpoint only when it
is consistent with the last one it co-signed for that log, and keeps that one on disk.

A log that is cut back, or forked, cannot get the witness's cosignature again, and the
checkpoint the witness holds proves what the log had. Standard library, `cryptography` and
`merkle` only: the witness runs on a host of its own, without Django or Civic's database.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from civic.exchange import merkle, note

log = logging.getLogger("civic.witness")

#: The spec's limit: a proof between two sizes below 2**63 has at most 63 hashes.
MAX_PROOF_LINES = 63
SIZE_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class Answer:
    """The witness's HTTP answer: status, body and its content type."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"

    @classmethod
    def refusal(cls, status: int, reason: str) -> Answer:
        return cls(status, reason.encode() + b"\n")


@dataclass(frozen=True)
class Held:
    """The last checkpoint a witness co-signed for a log."""

    size: int
    root: bytes
    note: bytes


class StateDir:
    """One file per log (named after its origin) holding the last co-signed checkpoint as a
    signed note, replaced atomically; refused but log-signed checkpoints are kept as evidence."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._thread_lock = threading.Lock()

    def file(self, origin: str) -> Path:
        return self.path / (urllib.parse.quote(origin, safe="") + ".checkpoint")

    def load(self, origin: str) -> Held | None:
        try:
            data = self.file(origin).read_bytes()
        except FileNotFoundError:
            return None
        body = note.checkpoint_parse(note.note_parse(data).text)
        return Held(body.size, body.root, data)

    def save(self, origin: str, data: bytes) -> None:
        """Write, fsync, rename over the old file, fsync the folder: after a crash the file is
        the old checkpoint or the new one, never a torn mix, and an answered cosignature is on
        disk (the spec: persist before responding)."""
        _write_durably(self.file(origin), data)

    def keep_evidence(self, origin: str, data: bytes, reason: str) -> Path:
        folder = self.path / "evidence"
        folder.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = folder / f"{urllib.parse.quote(origin, safe='')}-{stamp}-{time.time_ns()}.checkpoint"
        _write_durably(path, data + f"# refused: {reason}\n".encode())
        return path

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Checking the old size and storing the new checkpoint happen under one lock, so two
        requests cannot roll the state back (the race the spec describes); the file lock also
        holds against a second witness process pointed at the same folder."""
        with self._thread_lock, open(self.path / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _write_durably(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@dataclass(frozen=True)
class Request:
    old_size: int
    proof: list[bytes]
    checkpoint: note.Note


def request_parse(body: bytes) -> Request:
    """`old <size>`, up to 63 base64 proof lines, an empty line, then the signed checkpoint."""
    head, separator, rest = body.partition(b"\n\n")
    if not separator:
        raise note.NoteError("the request has no empty line before the checkpoint")
    lines = head.decode("ascii", errors="replace").split("\n")
    first = lines[0].split(" ")
    if len(first) != 2 or first[0] != "old" or not note.SIZE.fullmatch(first[1]):
        raise note.NoteError("the request starts with `old <size>`")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise note.NoteError(f"a consistency proof has at most {MAX_PROOF_LINES} hashes")
    proof = [note.b64decode(line) for line in lines[1:]]
    if any(len(h) != 32 for h in proof):
        raise note.NoteError("each proof line is a 32-byte hash in base64")
    return Request(int(first[1]), proof, note.note_parse(rest))


class Witness:
    """The rules of `add-checkpoint`, apart from HTTP: takes a request body, answers."""

    def __init__(
        self,
        signer: note.Signer,
        logs: Iterable[note.Verifier],
        state: StateDir,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signer = signer
        self.state = state
        self.clock = clock
        # A log is known by its origin, which its key's name matches (tlog-checkpoint).
        self.logs: dict[str, list[note.Verifier]] = {}
        for verifier in logs:
            self.logs.setdefault(verifier.name, []).append(verifier)

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            request = request_parse(body)
            checkpoint = note.checkpoint_parse(request.checkpoint.text)
        except (note.NoteError, UnicodeDecodeError) as error:
            return Answer.refusal(400, f"malformed request: {error}")
        keys = self.logs.get(checkpoint.origin)
        if keys is None:
            return Answer.refusal(404, f"unknown log {checkpoint.origin!r}")
        try:
            signed_by = request.checkpoint.verified_by(keys)
        except note.NoteError as error:
            return Answer.refusal(403, str(error))
        if not signed_by:
            return Answer.refusal(403, "the checkpoint is not signed by a key this witness trusts")
        if request.old_size > checkpoint.size:
            return Answer.refusal(
                400,
                f"old size {request.old_size} is larger than the checkpoint's {checkpoint.size}",
            )
        with self.state.locked():
            held = self.state.load(checkpoint.origin)
            answer = self._check(request, checkpoint, held)
            if answer is not None:
                if answer.status in (409, 422) and answer.content_type != SIZE_TYPE:
                    # Signed by the log yet inconsistent with what it signed before: proof of
                    # misbehaviour, worth keeping (the spec allows logging it).
                    kept = self.state.keep_evidence(
                        checkpoint.origin, bytes(request.checkpoint), answer.body.decode().strip()
                    )
                    log.warning(
                        "refused %s at size %s; kept in %s",
                        checkpoint.origin,
                        checkpoint.size,
                        kept,
                    )
                return answer
            cosignature = self.signer.sign(request.checkpoint.text, timestamp=int(self.clock()))
            ours = [s for s in request.checkpoint.signatures if _by(s, signed_by)]
            stored = note.Note(request.checkpoint.text, (*ours, cosignature))
            self.state.save(checkpoint.origin, bytes(stored))
        log.info("co-signed %s at size %s", checkpoint.origin, checkpoint.size)
        return Answer(200, cosignature.line().encode())

    def _check(
        self, request: Request, checkpoint: note.Checkpoint, held: Held | None
    ) -> Answer | None:
        held_size = held.size if held else 0
        if request.old_size != held_size:
            return Answer(409, f"{held_size}\n".encode(), SIZE_TYPE)
        if held is None or held.size == 0:
            if request.proof:
                return Answer.refusal(400, "the proof from old size 0 must be empty")
            return None
        if checkpoint.size == held.size:
            if checkpoint.root != held.root or request.proof:
                return Answer.refusal(
                    409, f"a different root at size {held.size} than the one co-signed before"
                )
            return None
        if not merkle.verify_consistency(
            held.size, checkpoint.size, held.root, checkpoint.root, request.proof
        ):
            return Answer.refusal(
                422, f"the proof does not show size {held.size} consistent with {checkpoint.size}"
            )
        return None


def _by(signature: note.Signature, verifiers: list[note.Verifier]) -> bool:
    return any((v.name, v.id) == (signature.name, signature.id) for v in verifiers)

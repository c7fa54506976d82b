"""C2SP signed notes, checkpoints and cosignatures: parsing, Ed25519 signing and verifying.

A small domain model written from c2sp.org/signed-note, tlog-checkpoint and tlog-cosignature
(the Ed25519 `cosignature/v1` type). It imports only the standard library and `cryptography`:
the witness runs it on a host of its own, without Django or Civic's database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: Signature type bytes (signed-note, "Signature types").
ED25519 = 0x01
COSIGNATURE_V1 = 0x04
KINDS = (ED25519, COSIGNATURE_V1)
#: The spec asks verifiers to accept at least 16; more is a note someone is padding.
MAX_SIGNATURES = 100
DASH = "\u2014"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
SIZE = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """Text that is not a well-formed note, checkpoint, key or signature; the message says why."""


def key_id(name: str, kind: int, public: bytes) -> bytes:
    """SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name) or _CONTROL.search(name):
        raise NoteError(f"{name!r} is not a key name (non-empty, without spaces or '+')")


def b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{text[:40]!r} is not base64") from None


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: a header line, the time line, then the checkpoint text."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name, its 4-byte id, and the signature bytes after it."""

    name: str
    id: bytes
    data: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.id + self.data).decode()}\n"

    @property
    def timestamp(self) -> int:
        """The time a cosignature/v1 states (its first 8 bytes, big-endian)."""
        return struct.unpack(">Q", self.data[:8])[0]


@dataclass(frozen=True)
class Verifier:
    """A public key by name and signature type, written as a vkey: name+hex id+base64(type||key)."""

    name: str
    kind: int
    public: bytes

    def __post_init__(self) -> None:
        _check_name(self.name)
        if self.kind not in KINDS or len(self.public) != 32:
            raise NoteError("only Ed25519 keys (types 0x01 and 0x04) of 32 bytes are supported")

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def vkey(self) -> str:
        material = base64.b64encode(bytes([self.kind]) + self.public).decode()
        return f"{self.name}+{self.id.hex()}+{material}"

    @classmethod
    def from_vkey(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            raise NoteError(f"{text[:60]!r} is not a verifier key (name+id+key)")
        name, hex_id, material = parts
        raw = b64decode(material)
        if not raw:
            raise NoteError("the verifier key has no key material")
        verifier = cls(name, raw[0], raw[1:])
        if verifier.id.hex() != hex_id:
            raise NoteError(f"the verifier key of {name!r} does not match its id {hex_id}")
        return verifier

    def verify(self, text: bytes, signature: Signature) -> bool:
        """Whether ``signature`` (already matched to this key by name and id) signs ``text``."""
        data = signature.data
        if self.kind == COSIGNATURE_V1:
            if len(data) != 72:
                return False
            text, data = cosigned_message(text, signature.timestamp), data[8:]
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(data, text)
        except (InvalidSignature, ValueError):
            return False
        return True


class Signer:
    """A private key by name and type, written (like Go's x/mod/sumdb/note) as
    PRIVATE+KEY+name+hex id+base64(type||32-byte seed)."""

    def __init__(self, name: str, kind: int, key: Ed25519PrivateKey) -> None:
        self.key = key
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.verifier = Verifier(name, kind, public)

    @property
    def name(self) -> str:
        return self.verifier.name

    @classmethod
    def generate(cls, name: str, kind: int = COSIGNATURE_V1) -> Signer:
        return cls(name, kind, Ed25519PrivateKey.generate())

    @classmethod
    def from_skey(cls, text: str) -> Signer:
        prefix = "PRIVATE+KEY+"
        if not text.startswith(prefix):
            raise NoteError("a signer key starts with PRIVATE+KEY+")
        parts = text[len(prefix) :].strip().split("+", 2)
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            raise NoteError("a signer key is PRIVATE+KEY+name+id+key")
        name, hex_id, material = parts
        raw = b64decode(material)
        if len(raw) != 33:
            raise NoteError("a signer key holds a type byte and a 32-byte Ed25519 seed")
        signer = cls(name, raw[0], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        # The id is of the public key: a seed pasted under another key's name is caught here.
        if signer.verifier.id.hex() != hex_id:
            raise NoteError(f"the signer key of {name!r} does not match its id {hex_id}")
        return signer

    def skey(self) -> str:
        seed = self.key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        material = base64.b64encode(bytes([self.verifier.kind]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{material}"

    def sign(self, text: bytes, *, timestamp: int | None = None) -> Signature:
        """A note signature over ``text``; a cosigner also states the time (POSIX seconds)."""
        if self.verifier.kind == COSIGNATURE_V1:
            if timestamp is None or not 0 <= timestamp < 2**63:
                raise NoteError("a cosignature needs a timestamp")
            data = struct.pack(">Q", timestamp) + self.key.sign(cosigned_message(text, timestamp))
        else:
            data = self.key.sign(text)
        return Signature(self.name, self.verifier.id, data)


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures."""

    text: bytes
    signatures: tuple[Signature, ...]

    def __bytes__(self) -> bytes:
        return self.text + b"\n" + "".join(s.line() for s in self.signatures).encode()

    def with_signatures(self, extra: Iterable[Signature]) -> Note:
        return Note(self.text, (*self.signatures, *extra))

    def verified_by(self, verifiers: Sequence[Verifier]) -> list[Verifier]:
        """The given keys whose signatures are on the note and verify. Signatures of other keys
        are ignored; one that matches a given key's name and id but does not verify makes the
        whole note suspect (the spec's SHOULD reject), so it raises."""
        found = []
        for signature in self.signatures:
            for verifier in verifiers:
                if (verifier.name, verifier.id) == (signature.name, signature.id):
                    if not verifier.verify(self.text, signature):
                        raise NoteError(f"the signature of {verifier.name} does not verify")
                    if verifier not in found:
                        found.append(verifier)
        return found


def note_parse(data: bytes) -> Note:
    """A signed note: UTF-8 without control characters but newlines, text, an empty line, then
    one or more signature lines `— name base64(id || signature)`."""
    try:
        whole = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("a note is UTF-8") from None
    if _CONTROL.search(whole):
        raise NoteError("a note has no control characters but newlines")
    split = whole.rfind("\n\n")
    if split < 0 or not whole.endswith("\n"):
        raise NoteError(
            "a note is text, an empty line and signature lines, each ending in a newline"
        )
    text, block = whole[: split + 1], whole[split + 2 :]
    lines = block.split("\n")[:-1]
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a note has between 1 and {MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError(f"{line[:60]!r} is not a signature line")
        _check_name(parts[1])
        raw = b64decode(parts[2])
        if len(raw) < 5:
            raise NoteError("a signature has a 4-byte key id and at least one byte more")
        signatures.append(Signature(parts[1], raw[:4], raw[4:]))
    return Note(text.encode(), tuple(signatures))


@dataclass(frozen=True)
class Checkpoint:
    """The body of a checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, root hash, and
    any extension lines (Civic's is the time it was signed)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> bytes:
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "".join(line + "\n" for line in lines).encode()


def checkpoint_parse(text: bytes) -> Checkpoint:
    lines = text.decode("utf-8", errors="strict").split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("a checkpoint is at least three non-empty lines, each ending in a newline")
    origin, size, root, *extensions = lines[:-1]
    if not SIZE.fullmatch(size) or int(size) >= 2**63:
        raise NoteError(f"{size[:30]!r} is not a tree size (decimal, no leading zeroes)")
    digest = b64decode(root)
    if len(digest) != 32:
        raise NoteError("a checkpoint's root hash is 32 bytes")
    return Checkpoint(origin, int(size), digest, tuple(extensions))

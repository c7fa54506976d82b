"""C2SP signed notes, verifier keys, checkpoints and cosignatures, without a database: the Go
reference implementation's published example byte for byte, and every refusal."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from civic.exchange import note

# From golang.org/x/mod/sumdb/note's tests: Ed25519 is deterministic, so signing the text with
# this key must give exactly the published signature line.
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    b"If you think cryptography is the answer to your problem,\n"
    b"then you don't know what your problem is.\n"
)
GO_SIGNATURE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngot"
    "pRZb6KE6RyyBwJnAM=\n"
)
GO_NOTE = GO_TEXT + b"\n" + GO_SIGNATURE.encode()


def test_the_reference_key_and_signature_are_reproduced_byte_for_byte():
    signer = note.Signer.from_skey(GO_SKEY)
    assert signer.verifier.vkey() == GO_VKEY
    assert signer.sign(GO_TEXT).line() == GO_SIGNATURE
    assert signer.skey() == GO_SKEY


def test_the_reference_note_verifies_and_a_changed_text_does_not():
    verifier = note.Verifier.from_vkey(GO_VKEY)
    assert note.note_parse(GO_NOTE).verified_by([verifier]) == [verifier]
    changed = note.note_parse(GO_NOTE.replace(b"cryptography", b"cryptographY"))
    with pytest.raises(note.NoteError, match="signature of PeterNeumann does not verify"):
        changed.verified_by([verifier])


def test_signatures_of_unknown_keys_are_ignored_not_trusted():
    other = note.Signer.generate("PeterNeumann", note.ED25519)  # same name, another key
    parsed = note.note_parse(GO_NOTE)
    assert parsed.verified_by([other.verifier]) == []


def test_the_key_id_is_the_first_four_bytes_of_the_hash_of_name_type_and_key():
    verifier = note.Verifier.from_vkey(GO_VKEY)
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public).digest()[:4]
    assert verifier.id == expected == bytes.fromhex("c74f20a3")


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  # cut short
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # a space
        "PeterNeumann+c74f20a3",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # upper-case hex
        "PeterNeumann+c74f20a3+BRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # another type
    ],
)
def test_a_mangled_verifier_key_is_refused(vkey):
    with pytest.raises(note.NoteError):
        note.Verifier.from_vkey(vkey)


@pytest.mark.parametrize(
    "data, reason",
    [
        (GO_TEXT + GO_SIGNATURE.encode(), "empty line"),
        (GO_TEXT + b"\n", "between 1 and"),
        (GO_NOTE.rstrip(b"\n"), "ending in a newline"),
        (GO_NOTE.replace(b"problem,", b"problem,\x07"), "control characters"),
        (GO_NOTE.replace("—".encode(), b"-"), "not a signature line"),
        (GO_NOTE.replace(b"x08go", b"x08g!"), "not base64"),
        (b"\xff\xfe\n\n" + GO_SIGNATURE.encode(), "UTF-8"),
        (GO_TEXT + b"\n" + b"\xe2\x80\x94 PeterNeumann AAAA\n", "at least one byte more"),
    ],
)
def test_a_malformed_note_is_refused_with_its_reason(data, reason):
    with pytest.raises(note.NoteError, match=reason):
        note.note_parse(data)


def test_the_text_is_separated_from_the_signatures_by_the_last_empty_line():
    text = b"first\n\nsecond\n"
    signer = note.Signer.generate("example.test/log", note.ED25519)
    parsed = note.note_parse(text + b"\n" + signer.sign(text).line().encode())
    assert parsed.text == text
    assert parsed.verified_by([signer.verifier]) == [signer.verifier]


CHECKPOINT = (
    b"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)


def test_a_checkpoint_is_origin_size_root_and_extension_lines():
    body = note.checkpoint_parse(CHECKPOINT + b"2026-12-04T10:00:00.000000Z\n")
    assert (body.origin, body.size) == ("example.com/behind-the-sofa", 20852163)
    assert body.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert body.extensions == ("2026-12-04T10:00:00.000000Z",)
    assert body.text() == CHECKPOINT + b"2026-12-04T10:00:00.000000Z\n"


@pytest.mark.parametrize(
    "text",
    [
        CHECKPOINT.replace(b"20852163", b"020852163"),  # a leading zero
        CHECKPOINT.replace(b"20852163", b"-1"),
        CHECKPOINT.replace(b"CsUYap", b"CsUY"),  # not 32 bytes
        b"example.com/behind-the-sofa\n20852163\n",
        CHECKPOINT + b"\n",  # an empty extension line
    ],
)
def test_a_malformed_checkpoint_is_refused(text):
    with pytest.raises(note.NoteError):
        note.checkpoint_parse(text)


def test_a_cosignature_signs_the_header_the_time_and_the_checkpoint_as_the_spec_says():
    cosigner = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    signature = cosigner.sign(CHECKPOINT, timestamp=1679315147)
    assert (
        signature.id
        == hashlib.sha256(b"witness.example/w1\n\x04" + cosigner.verifier.public).digest()[:4]
    )
    assert signature.data[:8] == struct.pack(">Q", 1679315147) and len(signature.data) == 72
    # Checked with the library directly, over the message as tlog-cosignature spells it out:
    message = b"cosignature/v1\ntime 1679315147\n" + CHECKPOINT
    Ed25519PublicKey.from_public_bytes(cosigner.verifier.public).verify(signature.data[8:], message)
    assert cosigner.verifier.verify(CHECKPOINT, signature)
    assert cosigner.verifier.vkey().split("+")[2].startswith("B")  # type byte 0x04


def test_a_cosignature_with_a_changed_time_or_checkpoint_does_not_verify():
    cosigner = note.Signer.generate("witness.example/w1", note.COSIGNATURE_V1)
    signature = cosigner.sign(CHECKPOINT, timestamp=1679315147)
    later = note.Signature(
        signature.name, signature.id, struct.pack(">Q", 1679315148) + signature.data[8:]
    )
    assert not cosigner.verifier.verify(CHECKPOINT, later)
    assert not cosigner.verifier.verify(CHECKPOINT.replace(b"20852163", b"20852162"), signature)


def test_a_signer_key_under_another_name_is_refused():
    forged = GO_SKEY.replace("PeterNeumann", "PaulNeumann")
    with pytest.raises(note.NoteError, match="does not match its id"):
        note.Signer.from_skey(forged)

"""The witness's rules (c2sp.org/tlog-witness add-checkpoint) without a database or a socket:
what it co-signs, every refusal with the status the spec gives it, and its state on disk."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from civic.exchange import merkle, note
from civic.exchange.witness import SIZE_TYPE, StateDir, Witness

ORIGIN = "civic.test/access-log"


class Log:
    """A log in memory: leaves, a signing key, checkpoints and consistency proofs."""

    def __init__(self, signer: note.Signer | None = None) -> None:
        self.signer = signer or note.Signer.generate(ORIGIN, note.ED25519)
        self.leaves: list[bytes] = []

    def grow(self, count: int, tag: str = "entry") -> Log:
        start = len(self.leaves)
        self.leaves += [merkle.leaf_hash(f"{tag} {start + i}".encode()) for i in range(count)]
        return self

    def fork(self, at: int, count: int) -> Log:
        """A copy with the same signing key, its first ``at`` leaves and then others."""
        other = Log(self.signer)
        other.leaves = self.leaves[:at]
        return other.grow(count, tag="forged")

    def checkpoint(self, origin: str = ORIGIN) -> bytes:
        text = note.Checkpoint(origin, len(self.leaves), merkle.root_of(self.leaves)).text()
        return bytes(note.Note(text, (self.signer.sign(text),)))

    def proof(self, old: int) -> list[bytes]:
        if not 0 < old < len(self.leaves):
            return []
        return merkle.consistency_proof(
            old,
            len(self.leaves),
            lambda level, start: merkle.root_of(self.leaves[start : start + (1 << level)]),
        )

    def request(
        self, old: int, proof: list[bytes] | None = None, checkpoint: bytes | None = None
    ) -> bytes:
        lines = [f"old {old}".encode()] + [
            base64.b64encode(h) for h in (self.proof(old) if proof is None else proof)
        ]
        return b"\n".join(lines) + b"\n\n" + (checkpoint or self.checkpoint())


@pytest.fixture
def log() -> Log:
    return Log().grow(10)


@pytest.fixture
def cosigner() -> note.Signer:
    return note.Signer.generate("witness.test/w1", note.COSIGNATURE_V1)


@pytest.fixture
def witness(tmp_path, log, cosigner) -> Witness:
    return Witness(cosigner, [log.signer.verifier], StateDir(tmp_path), clock=lambda: 1_800_000_000)


def test_the_first_checkpoint_is_co_signed_and_kept(witness, log, cosigner, tmp_path):
    answer = witness.add_checkpoint(log.request(0))
    assert answer.status == 200
    cosigned = note.note_parse(log.checkpoint() + answer.body)
    assert cosigned.verified_by([cosigner.verifier]) == [cosigner.verifier]
    assert cosigned.signatures[-1].timestamp == 1_800_000_000
    held = StateDir(tmp_path).load(ORIGIN)
    assert (held.size, held.root) == (10, merkle.root_of(log.leaves))
    kept = note.note_parse(held.note)
    assert kept.verified_by([log.signer.verifier, cosigner.verifier]) == [
        log.signer.verifier,
        cosigner.verifier,
    ]


def test_a_grown_log_with_a_consistency_proof_is_co_signed(witness, log):
    witness.add_checkpoint(log.request(0))
    log.grow(13)
    answer = witness.add_checkpoint(log.request(10))
    assert answer.status == 200
    assert witness.state.load(ORIGIN).size == 23


def test_the_same_checkpoint_again_is_co_signed_again(witness, log):
    witness.add_checkpoint(log.request(0))
    assert witness.add_checkpoint(log.request(10)).status == 200


def test_a_wrong_old_size_gets_409_with_the_size_the_witness_holds(witness, log):
    witness.add_checkpoint(log.request(0))
    log.grow(5)
    answer = witness.add_checkpoint(log.request(7))
    assert (answer.status, answer.content_type, answer.body) == (409, SIZE_TYPE, b"10\n")
    assert witness.add_checkpoint(log.request(0)).body == b"10\n"


def test_a_smaller_tree_is_refused_and_the_state_stays(witness, log):
    witness.add_checkpoint(log.request(0))
    truncated = log.fork(at=8, count=0)
    assert witness.add_checkpoint(truncated.request(8)).status == 409
    answer = witness.add_checkpoint(truncated.request(10, proof=[]))
    assert answer.status == 400 and b"larger than the checkpoint's 8" in answer.body
    assert witness.state.load(ORIGIN).size == 10


def test_a_fork_of_the_same_size_is_409_and_kept_as_evidence(witness, log, tmp_path):
    witness.add_checkpoint(log.request(0))
    forked = log.fork(at=7, count=3)
    answer = witness.add_checkpoint(forked.request(10))
    assert answer.status == 409 and b"different root at size 10" in answer.body
    assert witness.state.load(ORIGIN).root == merkle.root_of(log.leaves)
    (evidence,) = (tmp_path / "evidence").iterdir()
    assert (
        note.note_parse(evidence.read_bytes().split(b"# refused")[0]).text
        == note.note_parse(forked.checkpoint()).text
    )


def test_a_larger_fork_is_422_its_proof_does_not_lead_from_the_held_root(witness, log):
    witness.add_checkpoint(log.request(0))
    forked = log.fork(at=7, count=9)
    answer = witness.add_checkpoint(forked.request(10))
    assert answer.status == 422
    assert witness.state.load(ORIGIN).size == 10


def test_a_garbled_proof_is_422(witness, log):
    witness.add_checkpoint(log.request(0))
    log.grow(6)
    proof = log.proof(10)
    proof[0] = bytes(32)
    assert witness.add_checkpoint(log.request(10, proof=proof)).status == 422


def test_an_unknown_log_is_404_and_an_unknown_key_403(witness, log):
    assert (
        witness.add_checkpoint(log.request(0, checkpoint=log.checkpoint("other.test/log"))).status
        == 404
    )
    stranger = Log(note.Signer.generate(ORIGIN, note.ED25519)).grow(10)
    answer = witness.add_checkpoint(stranger.request(0))
    assert answer.status == 403 and b"not signed by a key this witness trusts" in answer.body
    assert witness.state.load(ORIGIN) is None


def test_a_checkpoint_whose_log_signature_does_not_verify_is_403(witness, log):
    tampered = log.checkpoint().replace(b"\n10\n", b"\n11\n")
    answer = witness.add_checkpoint(log.request(0, checkpoint=tampered))
    assert answer.status == 403 and b"does not verify" in answer.body


@pytest.mark.parametrize(
    "body",
    [
        b"old 0\n",
        b"old -1\n\n",
        b"old 01\n\n",
        b"new 0\n\n",
        b"old 0\nnot-base64!\n\n",
        b"old 0\n" + b"AAAA\n" + b"\n",  # a hash of 3 bytes
        b"old 0\n" + base64.b64encode(bytes(32)) * 1 + b"\n" * 2 + b"not a note",
    ],
)
def test_a_malformed_request_is_400(witness, body):
    assert witness.add_checkpoint(body).status == 400


def test_more_than_63_proof_lines_are_400(witness, log):
    answer = witness.add_checkpoint(log.request(0, proof=[bytes(32)] * 64))
    assert answer.status == 400 and b"at most 63" in answer.body


def test_a_proof_from_old_size_zero_must_be_empty(witness, log):
    assert witness.add_checkpoint(log.request(0, proof=[bytes(32)])).status == 400


def test_a_restarted_witness_keeps_what_it_co_signed(tmp_path, log, cosigner):
    first = Witness(cosigner, [log.signer.verifier], StateDir(tmp_path))
    first.add_checkpoint(log.request(0))
    again = Witness(cosigner, [log.signer.verifier], StateDir(tmp_path))
    assert again.add_checkpoint(log.fork(at=5, count=0).request(0)).body == b"10\n"


def test_a_write_that_fails_half_way_leaves_the_old_checkpoint(witness, log, monkeypatch):
    witness.add_checkpoint(log.request(0))
    log.grow(4)

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        witness.add_checkpoint(log.request(10))
    monkeypatch.undo()
    assert witness.state.load(ORIGIN).size == 10
    assert [p.name for p in witness.state.path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_witness_runs_without_django():
    """It is meant for a host of its own, without Civic's settings or database."""
    code = "import sys, civic.exchange.witness_server; sys.exit('django' in ' '.join(sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

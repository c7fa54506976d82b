"""The access log as a verifiable Merkle tree: integration, signed checkpoints, proofs that an
independent verifier accepts, and `civic auditlog verify` catching every kind of tampering."""

from __future__ import annotations

import base64
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.core import clock
from civic.exchange import auditlog, merkle
from civic.exchange.models import AccessLogEntry, Checkpoint, MerkleNode
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_query import query


def released(count: int) -> None:
    """``count`` access-log entries, from real queries."""
    from civic.registers.models import Person

    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    numbers = list(Person.objects.order_by("id").values_list("personal_number", flat=True)[:count])
    for start in range(0, count, 20):
        query(actor, purpose, numbers[start : start + 20])


def verify() -> str:
    out = StringIO()
    call_command("auditlog", "verify", stdout=out)
    return out.getvalue()


def test_integration_gives_dense_positions_and_a_signed_checkpoint_per_batch(db, settings):
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 10
    released(25)
    assert auditlog.integrate_all() == 3
    positions = sorted(AccessLogEntry.objects.values_list("position", flat=True))
    assert positions == list(range(25))
    assert list(Checkpoint.objects.order_by("tree_size").values_list("tree_size", flat=True)) == [
        10,
        20,
        25,
    ]
    assert all(auditlog.checkpoint_verifies(c) for c in Checkpoint.objects.all())
    assert auditlog.integrate() is None


def test_the_checkpoint_root_is_the_rfc_6962_root_of_the_entries(db):
    released(13)
    auditlog.integrate_all()
    leaves = [
        bytes.fromhex(h)
        for h in AccessLogEntry.objects.order_by("position").values_list("leaf_hash", flat=True)
    ]
    assert auditlog.checkpoint_latest().root_hash == merkle.root_of(leaves).hex()


def test_every_inclusion_proof_verifies_independently_against_the_signed_root(db, settings):
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 7
    released(23)
    auditlog.integrate_all()
    for checkpoint in Checkpoint.objects.all():
        root = bytes.fromhex(checkpoint.root_hash)
        for entry in AccessLogEntry.objects.filter(position__lt=checkpoint.tree_size):
            proof = auditlog.inclusion_proof(
                position=entry.position, tree_size=checkpoint.tree_size
            )
            assert rfc9162_inclusion_check(
                bytes.fromhex(entry.leaf_hash), entry.position, checkpoint.tree_size, proof, root
            )


def test_consistency_proofs_between_checkpoints_verify_independently(db, settings):
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 5
    released(23)
    auditlog.integrate_all()
    checkpoints = list(Checkpoint.objects.order_by("tree_size"))
    leaves = [
        bytes.fromhex(h)
        for h in AccessLogEntry.objects.order_by("position").values_list("leaf_hash", flat=True)
    ]
    for old in checkpoints:
        for new in checkpoints:
            if old.tree_size <= new.tree_size:
                proof = auditlog.consistency_proof(old_size=old.tree_size, new_size=new.tree_size)
                assert proof == rfc6962_consistency_by_definition(
                    leaves[: new.tree_size], old.tree_size
                )
                assert merkle.verify_consistency(
                    old.tree_size,
                    new.tree_size,
                    bytes.fromhex(old.root_hash),
                    bytes.fromhex(new.root_hash),
                    proof,
                )


def rfc6962_consistency_by_definition(leaves: list[bytes], m: int) -> list[bytes]:
    """PROOF(m, D[n]) computed straight from RFC 6962 section 2.1.2 over the leaf hashes, with
    no stored nodes: a check of the stored-subtree proof builder."""
    import hashlib

    def mth(part: list[bytes]) -> bytes:
        if len(part) == 1:
            return part[0]
        k = 1 << ((len(part) - 1).bit_length() - 1)
        return hashlib.sha256(b"\x01" + mth(part[:k]) + mth(part[k:])).digest()

    def subproof(m: int, part: list[bytes], complete: bool) -> list[bytes]:
        if m == len(part):
            return [] if complete else [mth(part)]
        k = 1 << ((len(part) - 1).bit_length() - 1)
        if m <= k:
            return [*subproof(m, part[:k], complete), mth(part[k:])]
        return [*subproof(m - k, part[k:], False), mth(part[:k])]

    return subproof(m, leaves, True)


def rfc9162_inclusion_check(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes
) -> bool:
    """A second, recursive verifier written from RFC 6962's definition of PATH, to check the
    proofs without the code that made them."""
    import hashlib

    def node(a: bytes, b: bytes) -> bytes:
        return hashlib.sha256(b"\x01" + a + b).digest()

    def root_from(index: int, size: int, path: list[bytes]) -> bytes:
        if size == 1:
            assert not path
            return leaf
        k = 1 << ((size - 1).bit_length() - 1)
        sibling, rest = path[-1], path[:-1]
        if index < k:
            return node(root_from(index, k, rest), sibling)
        return node(sibling, root_from(index - k, size - k, rest))

    try:
        return root_from(index, size, list(proof)) == root
    except (AssertionError, IndexError):
        return False


def test_an_untouched_log_verifies(db, settings):
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 8
    released(30)
    auditlog.integrate_all()
    assert "30 entries and 4 checkpoints verify" in verify()


def tampered_log(settings):
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 8
    released(30)
    auditlog.integrate_all()


def test_an_edited_entry_is_named_by_its_position(db, settings):
    tampered_log(settings)
    AccessLogEntry.objects.filter(position=12).update(purpose="something-innocent")
    with pytest.raises(CommandError, match="position 12: the entry does not match its hash"):
        verify()


def test_an_edit_that_also_recomputes_the_entrys_hash_is_caught_by_the_signed_checkpoint(
    db, settings
):
    tampered_log(settings)
    entry = AccessLogEntry.objects.get(position=12)
    AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="something-innocent")
    values = AccessLogEntry.objects.filter(pk=entry.pk).values_list(*auditlog.HASHED_COLUMNS).get()
    forged = merkle.leaf_hash(auditlog.leaf_data(12, values)).hex()
    AccessLogEntry.objects.filter(pk=entry.pk).update(leaf_hash=forged)
    # The stored subtree hashes above it give it away first (proofs are built from them) ...
    with pytest.raises(
        CommandError, match="position 12: the stored hash of the 2 entries from here does not"
    ):
        verify()
    # ... and recomputed too, the signed checkpoint does.
    leaves = [
        bytes.fromhex(h)
        for h in AccessLogEntry.objects.order_by("position").values_list("leaf_hash", flat=True)
    ]
    for node in MerkleNode.objects.filter(start__lte=12):
        if node.start + (1 << node.level) > 12:
            node.hash = merkle.root_of(leaves[node.start : node.start + (1 << node.level)]).hex()
            node.save()
    with pytest.raises(
        CommandError, match="checkpoint at size 16: the entries before it no longer give its root"
    ):
        verify()


def test_a_corrupted_or_missing_stored_subtree_hash_is_named_by_its_first_position(db, settings):
    tampered_log(settings)
    MerkleNode.objects.filter(level=2, start=20).update(hash="00" * 32)
    with pytest.raises(CommandError, match="position 20: the stored hash of the 4 entries from"):
        verify()
    MerkleNode.objects.filter(level=2, start=20).delete()
    with pytest.raises(
        CommandError, match="position 20: the stored hash of the 4 entries from here is missing"
    ):
        verify()


def test_a_forged_entry_at_the_next_position_is_not_covered_by_any_checkpoint(db, settings):
    tampered_log(settings)
    model = AccessLogEntry.objects.get(position=29)
    model.pk, model.position, model.purpose = None, 30, "planted"
    values = [getattr(model, name) for name in auditlog.HASHED_COLUMNS]
    model.leaf_hash = merkle.leaf_hash(auditlog.leaf_data(30, values)).hex()
    model.save()
    with pytest.raises(
        CommandError, match="positions 30 to 30 are in the tree but no signed checkpoint covers"
    ):
        verify()


def test_a_malformed_waiting_entry_is_quarantined_and_the_log_grows_past_it(db, settings, caplog):
    tampered_log(settings)
    model = AccessLogEntry.objects.get(position=29)
    model.pk, model.position, model.leaf_hash = None, None, ""
    model.purpose = "planted\x1fpurpose"
    model.save()
    released(3)
    auditlog.integrate_all()

    assert AccessLogEntry.objects.filter(position__isnull=True).count() == 1
    assert AccessLogEntry.objects.filter(position__gte=30).count() == 3  # the real ones go on
    assert "left out of the tree: its purpose holds a control character" in caplog.text
    with pytest.raises(CommandError, match=f"entry id {model.pk} was left out of the tree"):
        verify()


def test_an_entry_waiting_far_longer_than_the_integrator_takes_fails_verification(db, settings):
    tampered_log(settings)
    released(1)
    AccessLogEntry.objects.filter(position__isnull=True).update(
        at=clock.now() - dt.timedelta(hours=2), visible_from=clock.now() - dt.timedelta(hours=2)
    )
    with pytest.raises(CommandError, match="has waited more than 10 minutes to be integrated"):
        verify()
    auditlog.integrate_all()
    assert "31 entries" in verify()


def test_a_deleted_entry_is_named_by_its_position(db, settings):
    tampered_log(settings)
    AccessLogEntry.objects.filter(position=5).delete()
    with pytest.raises(CommandError, match="position 5: the entry is missing"):
        verify()


def test_a_deleted_last_entry_is_caught_by_the_checkpoint_that_covered_it(db, settings):
    tampered_log(settings)
    AccessLogEntry.objects.filter(position=29).delete()
    with pytest.raises(
        CommandError, match="checkpoint at size 30 covers entries up to position 29"
    ):
        verify()


def test_an_inserted_entry_is_named_by_its_position(db, settings):
    tampered_log(settings)
    for entry in AccessLogEntry.objects.filter(position__gte=9).order_by("-position"):
        AccessLogEntry.objects.filter(pk=entry.pk).update(position=entry.position + 1)
    intruder = AccessLogEntry.objects.get(position=4)
    intruder.pk, intruder.position, intruder.purpose = None, 9, "planted"
    intruder.save()
    with pytest.raises(CommandError, match="position 9: the entry does not match its hash"):
        verify()


def test_two_swapped_entries_are_named_by_the_first_position(db, settings):
    tampered_log(settings)
    a, b = AccessLogEntry.objects.get(position=3), AccessLogEntry.objects.get(position=20)
    AccessLogEntry.objects.filter(pk=a.pk).update(position=-1)
    AccessLogEntry.objects.filter(pk=b.pk).update(position=3, leaf_hash=a.leaf_hash)
    AccessLogEntry.objects.filter(pk=a.pk).update(position=20, leaf_hash=b.leaf_hash)
    with pytest.raises(CommandError, match="position 3: the entry does not match its hash"):
        verify()


def test_a_checkpoint_with_a_changed_root_or_signature_does_not_verify(db, settings):
    tampered_log(settings)
    checkpoint = Checkpoint.objects.get(tree_size=16)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(root_hash="00" * 32)
    with pytest.raises(CommandError, match="checkpoint at size 16: its signature does not verify"):
        verify()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(
        root_hash=checkpoint.root_hash, signature=base64.b64encode(b"\x00" * 64).decode()
    )
    with pytest.raises(CommandError, match="checkpoint at size 16: its signature does not verify"):
        verify()


def test_queries_keep_writing_while_the_tree_waits_to_be_integrated(db):
    released(5)
    assert AccessLogEntry.objects.filter(position__isnull=True).count() == 5
    assert not Checkpoint.objects.exists()


def test_verify_against_any_size_rebuilds_that_root_and_the_proof_from_the_entries(
    db, settings, monkeypatch
):
    """Across blocks (of 8 here) and the tree above them: the root at the held size and every
    subtree of the consistency proof come from the entries, and agree with the stored tree."""
    from civic.exchange import verify as verification

    monkeypatch.setattr(verification, "BLOCK", 8)
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 7
    released(45)
    auditlog.integrate_all()
    leaves = [
        bytes.fromhex(h)
        for h in AccessLogEntry.objects.order_by("position").values_list("leaf_hash", flat=True)
    ]
    for held in range(1, 46):
        report = verification.auditlog_verify(workers=1, against=held)
        assert report.ok and report.roots[held] == merkle.root_of(leaves[:held])
        assert report.roots[45] == merkle.root_of(leaves)
        if held < 45:
            proof = merkle.consistency_proof(held, 45, lambda *key, r=report: r.subtrees[key])
            assert proof == auditlog.consistency_proof(old_size=held, new_size=45)

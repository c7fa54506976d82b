"""RFC 6962 Merkle hashing and proofs, checked against the Certificate Transparency test vectors
and against an independent brute-force tree. No database."""

from __future__ import annotations

import random

import pytest

from civic.exchange import merkle

# The CT reference implementation's test leaves and the roots of their first n (RFC 6962).
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CONSISTENCY = {
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def store_of(leaves: list[bytes]):
    """Every complete subtree's hash, as the access log keeps them, via the frontier."""
    nodes: dict[tuple[int, int], bytes] = {}
    frontier = merkle.Frontier()
    for leaf in leaves:
        for level, start, digest in frontier.append(leaf):
            nodes[(level, start)] = digest
    return frontier, lambda level, start: nodes[(level, start)]


HASHED = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def test_the_empty_tree_has_the_hash_of_nothing_as_its_root():
    assert (
        merkle.root_of([]).hex()
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_rfc_6962_test_vectors(size):
    assert merkle.root_of(HASHED[:size]).hex() == ROOTS[size - 1]
    frontier, _ = store_of(HASHED[:size])
    assert frontier.root().hex() == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size"), list(INCLUSION))
def test_inclusion_proofs_match_the_test_vectors_and_verify(index, size):
    _, perfect = store_of(HASHED[:size])
    proof = merkle.inclusion_proof(index, size, perfect)
    assert [p.hex() for p in proof] == INCLUSION[(index, size)]
    assert merkle.verify_inclusion(
        HASHED[index], index, size, proof, bytes.fromhex(ROOTS[size - 1])
    )


@pytest.mark.parametrize(("old", "new"), list(CONSISTENCY))
def test_consistency_proofs_match_the_test_vectors_and_verify(old, new):
    _, perfect = store_of(HASHED[:new])
    proof = merkle.consistency_proof(old, new, perfect)
    assert [p.hex() for p in proof] == CONSISTENCY[(old, new)]
    assert merkle.verify_consistency(
        old, new, bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1]), proof
    )


def test_every_proof_in_a_larger_tree_verifies_and_a_wrong_one_does_not():
    rng = random.Random(5)
    leaves = [merkle.leaf_hash(rng.randbytes(12)) for _ in range(70)]
    _, perfect = store_of(leaves)
    for size in range(1, 71):
        root = merkle.root_of(leaves[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(index, size, perfect)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root)
            assert not merkle.verify_inclusion(
                leaves[index], index, size, proof, merkle.leaf_hash(b"x")
            )
            if index + 1 < size:
                assert not merkle.verify_inclusion(leaves[index + 1], index, size, proof, root)
        for old in range(1, size + 1):
            proof = merkle.consistency_proof(old, size, perfect)
            old_root = merkle.root_of(leaves[:old])
            assert merkle.verify_consistency(old, size, old_root, root, proof)
            if old < size:
                assert not merkle.verify_consistency(
                    old, size, merkle.leaf_hash(b"forged"), root, proof
                )


def test_a_frontier_needs_one_hash_per_set_bit_of_its_size():
    with pytest.raises(ValueError):
        merkle.Frontier(size=3, hashes=[merkle.leaf_hash(b"a")])

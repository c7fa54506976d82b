"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification.

A small domain model with no framework imports: the access log stores leaf hashes and the
hashes of complete subtrees; this module says how they combine. Leaves are hashed as
SHA-256(0x00 || data), interior nodes as SHA-256(0x01 || left || right), and a tree of n
leaves splits at k, the largest power of two smaller than n (RFC 6962, section 2.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


#: Gives the hash of the complete subtree of ``2**level`` leaves starting at leaf ``start``.
PerfectSubtree = Callable[[int, int], bytes]


def subtree_hash(start: int, end: int, perfect: PerfectSubtree) -> bytes:
    """MTH of leaves [start, end), for a range whose start is aligned as RFC 6962 splits are."""
    size = end - start
    if size & (size - 1) == 0:
        return perfect(size.bit_length() - 1, start)
    k = split_point(size)
    return node_hash(subtree_hash(start, start + k, perfect), subtree_hash(start + k, end, perfect))


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (for tests and small trees)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


def inclusion_proof(index: int, size: int, perfect: PerfectSubtree) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 section 2.1.1, leaf-to-root order."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            path.append(subtree_hash(start + k, end, perfect))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, perfect))
            start = start + k
    return list(reversed(path))


def consistency_proof(old_size: int, new_size: int, perfect: PerfectSubtree) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 6962 section 2.1.2."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    return _subproof(old_size, 0, new_size, True, perfect)


def _subproof(m: int, start: int, end: int, complete: bool, perfect: PerfectSubtree) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [subtree_hash(start, end, perfect)]
    k = split_point(n)
    if m <= k:
        return [
            *_subproof(m, start, start + k, complete, perfect),
            subtree_hash(start + k, end, perfect),
        ]
    return [
        *_subproof(m - k, start + k, end, False, perfect),
        subtree_hash(start, start + k, perfect),
    ]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2, written from the RFC, independent of the proof builder above."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0 or old_size > new_size or not proof:
        return False
    proof = list(proof)
    if old_size & (old_size - 1) == 0:
        proof = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class Frontier:
    """The right edge of an append-only tree: the roots of its complete subtrees, largest first.

    Appending a leaf is O(log n) and reports the subtrees it completes, so a store can keep
    every complete subtree's hash and serve any proof with O(log n) reads.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if bin(size).count("1") != len(hashes):
            raise ValueError("a frontier has one hash per set bit of its size")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns the (level, start, hash) of each subtree it completes."""
        completed = [(0, self.size, leaf)]
        node, level, size = leaf, 0, self.size
        while size & 1:
            node = node_hash(self.hashes.pop(), node)
            level += 1
            size >>= 1
            completed.append((level, self.size + 1 - (1 << level), node))
        self.hashes.append(node)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = node_hash(left, node)
        return node

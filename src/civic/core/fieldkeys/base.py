"""The interface of a field-key source (docs/operations.md, "Field encryption keys").

A source hands out 256-bit AES keys by key id and names the current one. A KMS plugin that
never lets a key leave the KMS implements ``wrap``-style envelope encryption behind the same
two methods: ``key_get(key_id)`` returns the data key the KMS unwrapped for this process."""

from __future__ import annotations


class KeyUnavailable(LookupError):
    """The source has no key of that id (a wrong or missing key file, a retired key)."""


class FieldKeySource:
    key = "base"

    def current_id(self) -> str:
        """The id new ciphertexts are sealed with."""
        raise NotImplementedError

    def key_get(self, key_id: str) -> bytes:
        """The 32-byte key of ``key_id``; KeyUnavailable if there is none."""
        raise NotImplementedError

    def ids(self) -> list[str]:
        """Every key id the source still holds (old ones stay until a rotation has finished)."""
        raise NotImplementedError

    def add(self) -> str:
        """Make a new key the current one and return its id (a KMS may refuse: rotate there)."""
        raise NotImplementedError(f"the {self.key} key source cannot add keys; rotate in the KMS")

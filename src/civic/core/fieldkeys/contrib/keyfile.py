"""Keys in a JSON file only the Civic user can read (CIVIC_FIELD_KEY_FILE)::

    {"current": "k2", "keys": {"k1": "<base64 of 32 bytes>", "k2": "..."}}

In development a missing file is made with one random key; production refuses to start
without one (core/production.py)."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from django.conf import settings

from civic.core.fieldkeys.base import FieldKeySource, KeyUnavailable
from civic.core.fieldkeys.registry import sources
from civic.core.keyfiles import key_file_create_once


class KeyFileError(ValueError):
    pass


def keyfile_read(path: Path) -> dict:
    """The file's content, checked: a current id that exists, keys of 32 bytes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"no field key file at {path}") from None
    except (OSError, ValueError) as error:
        raise KeyFileError(f"field key file {path} is not readable JSON: {error}") from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, dict) or data.get("current") not in keys:
        raise KeyFileError(f"field key file {path} needs 'keys' and a 'current' id among them")
    for key_id, text in keys.items():
        try:
            raw = base64.b64decode(text, validate=True)
        except (ValueError, TypeError):
            raw = b""
        if len(raw) != 32 or ":" in key_id:
            raise KeyFileError(f"field key {key_id!r} in {path} is not 32 bytes of base64")
    return data


def keyfile_write(path: Path, data: dict) -> None:
    """Replace the file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=2)
    os.replace(temporary, path)


def keyfile_new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@sources.register
class KeyFile(FieldKeySource):
    key = "keyfile"

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings.FIELD_KEY_FILE)
        if not self.path.exists() and not settings.PRODUCTION:
            # Processes starting together must not each make (and overwrite) a key of their own.
            first = {"current": "k1", "keys": {"k1": keyfile_new_key()}}
            key_file_create_once(self.path, json.dumps(first, indent=2).encode())
        self._load()

    def _load(self) -> None:
        data = keyfile_read(self.path)
        self._current = data["current"]
        self._keys = {k: base64.b64decode(v) for k, v in data["keys"].items()}

    def current_id(self) -> str:
        return self._current

    def key_get(self, key_id: str) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise KeyUnavailable(f"no field key {key_id!r} in {self.path}") from None

    def ids(self) -> list[str]:
        return list(self._keys)

    def add(self) -> str:
        data = keyfile_read(self.path)
        number = 1 + max(
            (int(k[1:]) for k in data["keys"] if k[1:].isdigit() and k[0] == "k"), default=0
        )
        key_id = f"k{number}"
        data["keys"][key_id] = keyfile_new_key()
        data["current"] = key_id
        keyfile_write(self.path, data)
        self._load()
        return key_id

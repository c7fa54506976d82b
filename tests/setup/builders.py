"""Builders for the set-up tests: set-up files written from mappings, a second municipality,
and the `civic` command run against a database of its own."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CIVIC = [sys.executable, "-m", "civic"]

#: Another municipality, as small as a set-up gets: one agency, one purpose, one grant and
#: one service in its catalogue.
RIVERDALE: dict[str, Any] = {
    "version": 1,
    "name": "Riverdale",
    "agencies": [
        {
            "code": "riverdale",
            "name": {"en": "Municipality of Riverdale", "nl": "Gemeente Riverdale"},
            "kind": "municipality",
        }
    ],
    "purposes": [
        {
            "code": "bulky-waste-collection",
            "controller": "riverdale",
            "legal_ground": "public_task",
            "legal_basis": "Afvalstoffenverordening Riverdale 2026, art. 10",
            "name": {"en": "Collect your bulky waste", "nl": "Uw grofvuil ophalen"},
            "description": {
                "en": "We use your address to collect your bulky waste.",
                "nl": "Wij gebruiken uw adres om uw grofvuil op te halen.",
            },
        }
    ],
    "grants": [
        {
            "purpose": "bulky-waste-collection",
            "register": "persons",
            "attributes": ["identity.family_name", "residence.address"],
            "to": {"staff_role": "caseworker", "agency": "riverdale"},
        }
    ],
    "catalogue": {
        "services": [
            {
                "code": "riverdale-bulky-waste",
                "agency": "riverdale",
                "name": {"en": "Bulky waste collection", "nl": "Grofvuil ophalen"},
                "summary": {
                    "en": "We collect large household items from your door.",
                    "nl": "Wij halen grote spullen bij u thuis op.",
                },
            }
        ]
    },
}


def state_digests() -> dict[str, dict[str, str]]:
    """Per kind and natural key, a short digest of what the database's set-up holds: the
    record of the demo's set-up that tests/setup/havenstad_before.json keeps. When the demo's
    set-up changes on purpose, write it again from a fresh database:

        CIVIC_VAR_DIR=/tmp/fresh civic migrate
        CIVIC_VAR_DIR=/tmp/fresh civic setup apply src/civic/setup/data/havenstad/setup.yaml
        CIVIC_VAR_DIR=/tmp/fresh civic shell -c "from tests.setup.builders import state_digests_write; state_digests_write('tests/setup/havenstad_before.json')"
    """
    import hashlib
    import json

    from civic.setup.state import state_current

    def recorded(kind: str, value):
        # Keys added after the record was written count only when they say something, so the
        # record still holds for everything they leave as it was.
        defaults = LATER_KEYS.get(kind, {})
        return {k: v for k, v in value.items() if not (k in defaults and v == defaults[k])}

    return {
        kind: {
            key: hashlib.sha256(
                json.dumps(recorded(kind, value), sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest()[:16]
            for key, value in sorted(items.items())
        }
        for kind, items in state_current().items()
    }


#: Keys of the set-up added after tests/setup/havenstad_before.json, with their default.
LATER_KEYS: dict[str, dict[str, Any]] = {"case_types": {"documents": []}}


def state_digests_write(path: str) -> None:
    import json

    Path(path).write_text(json.dumps(state_digests(), indent=1, ensure_ascii=False) + "\n")


def riverdale() -> dict[str, Any]:
    return copy.deepcopy(RIVERDALE)


def a_setup_file(folder: Path, document: dict[str, Any], name: str = "setup.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def civic(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The installed `civic` command in an environment of its own (no settings of this run)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIVIC_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [*CIVIC, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )

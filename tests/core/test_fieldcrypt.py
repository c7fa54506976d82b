"""Field encryption: AES-GCM bound to its table, column and row, with the key id alongside."""

from __future__ import annotations

import json

import pytest

from civic.core import fieldcrypt
from civic.core.fieldcrypt import FieldDecryptError
from civic.core.fieldkeys.contrib.keyfile import KeyFile, KeyFileError, keyfile_read
from tests.core.test_config import production_check

WHERE = {"table": "registers_personrecord", "column": "nationality"}


@pytest.fixture
def keys(tmp_path):
    return KeyFile(tmp_path / "field-keys.json")


def test_a_sealed_value_opens_in_its_own_row_and_field(keys):
    sealed = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE)
    assert sealed.startswith("enc1:k1:") and "NLD" not in sealed
    assert fieldcrypt.unseal(sealed, row_id=7, source=keys, **WHERE) == "NLD"


def test_the_same_value_sealed_twice_differs_so_equal_values_do_not_show(keys):
    assert fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE) != fieldcrypt.seal(
        "NLD", row_id=7, source=keys, **WHERE
    )


def test_a_ciphertext_moved_to_another_row_or_field_does_not_open(keys):
    sealed = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE)
    with pytest.raises(FieldDecryptError, match="row 8"):
        fieldcrypt.unseal(sealed, row_id=8, source=keys, **WHERE)
    with pytest.raises(FieldDecryptError, match="moved"):
        fieldcrypt.unseal(sealed, table="registers_income", column="source", row_id=7, source=keys)


def test_a_tampered_ciphertext_does_not_open(keys):
    sealed = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE)
    body = sealed.rsplit(":", 1)[1]
    flipped = body[:-6] + ("A" if body[-6] != "A" else "B") + body[-5:]
    with pytest.raises(FieldDecryptError, match="tampered"):
        fieldcrypt.unseal(sealed.rsplit(":", 1)[0] + ":" + flipped, row_id=7, source=keys, **WHERE)


def test_a_wrong_key_file_does_not_open_and_says_so(keys, tmp_path):
    sealed = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE)
    other = KeyFile(tmp_path / "other.json")  # also a "k1", but another key
    with pytest.raises(FieldDecryptError, match="wrong key"):
        fieldcrypt.unseal(sealed, row_id=7, source=other, **WHERE)
    missing = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE).replace("enc1:k1:", "enc1:k9:")
    with pytest.raises(FieldDecryptError, match="no field key 'k9'"):
        fieldcrypt.unseal(missing, row_id=7, source=keys, **WHERE)


def test_after_a_new_key_old_values_still_open_and_new_ones_use_the_new_key(keys):
    old = fieldcrypt.seal("NLD", row_id=7, source=keys, **WHERE)
    assert keys.add() == "k2"
    new = fieldcrypt.seal("BEL", row_id=7, source=keys, **WHERE)
    assert fieldcrypt.key_id_of(new) == "k2"
    assert fieldcrypt.unseal(old, row_id=7, source=keys, **WHERE) == "NLD"
    assert sorted(json.loads(keys.path.read_text())["keys"]) == ["k1", "k2"]


def test_a_clear_value_is_read_as_it_is_so_reads_work_before_the_first_sealing(keys):
    assert fieldcrypt.unseal("NLD", row_id=7, source=keys, **WHERE) == "NLD"
    assert fieldcrypt.unseal(None, row_id=7, source=keys, **WHERE) is None


def test_a_key_file_with_a_short_key_or_no_current_key_is_refused(tmp_path):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"current": "k1", "keys": {"k1": "c2hvcnQ="}}))
    with pytest.raises(KeyFileError, match="not 32 bytes"):
        keyfile_read(path)
    path.write_text(json.dumps({"current": "k2", "keys": {}}))
    with pytest.raises(KeyFileError, match="current"):
        keyfile_read(path)


def test_production_refuses_to_start_with_encryption_on_and_no_key_file(tmp_path):
    absent = production_check(
        CIVIC_FIELD_KEYS="keyfile", CIVIC_FIELD_KEY_FILE=str(tmp_path / "absent.json")
    )
    assert absent.returncode == 2 and "CIVIC_FIELD_KEY_FILE is unusable" in absent.stderr
    assert not (tmp_path / "absent.json").exists()  # production makes no key of its own
    KeyFile(tmp_path / "present.json")  # made here, as an operator would
    present = production_check(
        CIVIC_FIELD_KEYS="keyfile", CIVIC_FIELD_KEY_FILE=str(tmp_path / "present.json")
    )
    assert present.returncode == 0, present.stderr


def test_an_unknown_key_source_is_refused_naming_the_known_ones():
    result = production_check(CIVIC_FIELD_KEYS="vault")
    assert result.returncode != 0 and "keyfile" in result.stderr

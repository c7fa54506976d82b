"""`civic setup example DIR`: an operator of an installed package starts from the set-up Civic
ships, as a folder of their own."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from civic.setup.services import setup_check


def test_the_example_is_copied_to_a_folder_of_the_operators_that_checks_clean(tmp_path, db):
    folder = tmp_path / "our-jurisdiction"
    call_command("setup", "example", str(folder))

    assert (folder / "setup.yaml").is_file()
    assert (folder / "catalogue" / "services.json").is_file()
    assert setup_check(path=folder / "setup.yaml") == []


def test_the_example_never_overwrites_a_folder_that_exists(tmp_path, db):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "setup.yaml").write_text("agencies: []\n")

    with pytest.raises(CommandError, match="exists already"):
        call_command("setup", "example", str(folder))
    assert (folder / "setup.yaml").read_text() == "agencies: []\n"

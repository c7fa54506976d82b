"""Every user-visible string has a Dutch translation, and the compiled catalogue matches it."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "src" / "civic" / "locale"


def test_every_message_is_translated_into_dutch_and_none_is_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_compiled_dutch_catalogue_is_up_to_date_with_its_source():
    source = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.mo"))
    as_source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in source.translated_entries()
    }
    as_compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in compiled
        if e.msgid
    }
    assert as_compiled == as_source, "run `make messages` to recompile django.mo"


def test_placeholders_survive_translation():
    import re

    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s|\{\{\s*\w+\s*\}\}")
    for entry in catalogue.translated_entries():
        if not entry.msgid_plural:
            assert sorted(pattern.findall(entry.msgstr)) == sorted(pattern.findall(entry.msgid))
            continue
        # Dutch has two forms: [0] says the singular ("the last day", which may leave the
        # number out), [1] the plural, with the plural's placeholders.
        for index, text in entry.msgstr_plural.items():
            source = entry.msgid if int(index) == 0 else entry.msgid_plural
            assert sorted(pattern.findall(text)) == sorted(pattern.findall(source)), entry.msgid

"""One way to write a date, a moment, a number and an amount per language (issue 15, journey 8):
"8 February 1969" / "8 februari 1969", "€10,350" / "€ 10.350", never an ISO date, "01-01-2027"
or an English "1,234" on a Dutch page, in pages, the receipt PDF and messages alike."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from civic.core.formats import date_text, moment_text, money_text, number_text

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DUTCH_DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")
SRC = Path(__file__).resolve().parents[2] / "src" / "civic"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ["8 February 1969", "4 December 2026, 06:28", "€10,350", "€125.50", "50,000", "1.5"],
        ),
        (
            "nl",
            ["8 februari 1969", "4 december 2026 06:28", "€ 10.350", "€ 125,50", "50.000", "1,5"],
        ),
    ],
)
def test_one_format_per_language(language, expected, settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    moment = dt.datetime(2026, 12, 4, 5, 28, tzinfo=dt.UTC)  # 06:28 in Havenstad
    with translation.override(language):
        got = [
            date_text(dt.date(1969, 2, 8)),
            moment_text(moment),
            money_text(10350),
            money_text("125.5"),
            number_text(50000),
            number_text(1.5),
        ]
        assert got == expected
        # ISO strings (a context that went through JSON) are written the same way.
        assert date_text("1969-02-08") == expected[0]
        # Text that only looks like a number is left alone (a chip number is no date).
        assert date_text("20261204") == "20261204" and date_text("Hoofdstraat 1") == "Hoofdstraat 1"


def test_templates_write_dates_with_the_languages_formats_only():
    """A template names no date pattern of its own: ``|date`` (DATE_FORMAT) or
    ``|date:"DATETIME_FORMAT"``; the one exception is the officer's alert times with seconds."""
    own = [
        f"{path.relative_to(SRC)}: {found}"
        for path in SRC.rglob("*.html")
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if found not in {"DATETIME_FORMAT", "j F Y H:i:s"}
    ]
    assert not own


def test_the_backlog_weeks_and_projection_are_dates_in_the_readers_language(client, db):
    from civic.identity.models import Role
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff
    from tests.cases.test_backlog import _case

    for n in range(1, 7):
        _case(n, opened_days_ago=7 * n + 1, closed_days_ago=7 * n - 3)
    _case(99, opened_days_ago=2)
    client.force_login(
        create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    )
    for language, month in (
        ("en", "December|November|October|September"),
        ("nl", "december|november|oktober|september"),
    ):
        client.cookies["django_language"] = language
        page = client.get("/staff/cases/backlog/").content.decode()
        table = page[page.index("<tbody") :]
        assert not ISO_DATE.search(table), ISO_DATE.search(table)
        assert re.search(rf"<td class=\"govuk-table__cell\">\d{{1,2}} ({month}) 2026</td>", table)


def test_answers_in_the_check_page_and_receipt_are_written_per_language():
    from civic.forms.rendering import display

    with translation.override("nl"):
        assert display({"type": "date"}, "2027-01-01") == "1 januari 2027"
        assert display({"type": "money"}, "10350") == "€ 10.350,00"
    with translation.override("en"):
        assert display({"type": "date"}, "2027-01-01") == "1 January 2027"
        assert display({"type": "money"}, "10350") == "€10,350.00"


def test_a_dutch_rule_gap_writes_the_income_the_dutch_way():
    """The gap a caseworker and resident read ("within 5 % of the limit") is stored in every
    language, each with its own number format: "€ 21.234" in Dutch, "€21,234" in English."""
    from civic.core.i18n import every_language

    texts = every_language(lambda: money_text(21234.4, cents=False))
    assert texts == {"en": "€21,234", "nl": "€ 21.234"}


def test_python_code_writes_no_money_or_dates_by_hand():
    """Amounts and dates shown to people go through civic.core.formats, not f"{x:,}" or
    strftime, which write one language's format in every language."""
    readers = [
        "decisions/wording.py",
        "decisions/rule_sets.py",
        "decisions/automation.py",
        "exchange/own_data.py",
        "forms/rendering.py",
        "forms/receipt.py",
    ]
    found = [
        f"{name}: {line.strip()}"
        for name in readers
        for line in (SRC / name).read_text().splitlines()
        if re.search(r"\{[^}]*:,[^}]*\}|strftime\(|\"€ ?\" \+", line)
    ]
    assert not found

"""Numbers, ids, pages and dates read from a request: a value the rest of Civic can use, or a
400 that says what is wrong. No database needed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import BadRequest, ValidationError
from django.http import QueryDict

from civic.core import params
from civic.core.errors import CivicError


def query(text: str) -> QueryDict:
    return QueryDict(text)


@pytest.mark.parametrize(
    ("text", "page"), [("", 1), ("page=", 1), ("page=1", 1), ("page=7", 7), ("page=%2B3", 3)]
)
def test_a_page_number_is_read_and_a_missing_one_is_the_first(text, page):
    assert params.page_param(query(text)) == page


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "1.5", "99999999999999999999", "1e3", "٣", " 2", "0x10"]
)
def test_a_page_number_that_is_not_a_sensible_whole_number_is_a_bad_request(value):
    with pytest.raises(params.BadParameter, match="page number must be a whole number") as refused:
        params.page_param(query(f"page={value}"))
    assert isinstance(refused.value, BadRequest) and isinstance(refused.value, CivicError)
    assert refused.value.status == 400


def test_an_id_fits_a_database_integer_or_is_refused():
    assert params.id_param(query("authorisation=42"), "authorisation") == 42
    for value in ("", "abc", "0", "-3", str(2**63), "99999999999999999999"):
        with pytest.raises(params.BadParameter, match="“authorisation”"):
            params.id_param(query(f"authorisation={value}"), "authorisation")


def test_a_whole_number_has_bounds_and_a_default():
    assert params.int_param(query(""), "n", default=5) == 5
    assert params.int_param(query("n=10"), "n", minimum=1, maximum=10) == 10
    with pytest.raises(params.BadParameter, match="from 1 to 10"):
        params.int_param(query("n=11"), "n", minimum=1, maximum=10)
    with pytest.raises(params.BadParameter):
        params.int_param(query(""), "n")  # required when there is no default


def test_a_date_is_read_in_iso_form_within_the_years_civic_can_count_with():
    assert params.date_param(query("since=2026-03-01"), "since") == dt.date(2026, 3, 1)
    assert params.date_param(query(""), "since") is None
    for value in ("9999-12-31", "0001-01-01", "2026-13-01", "yesterday", "2026-3-1x"):
        with pytest.raises(params.BadParameter, match="“since” must be a date"):
            params.date_param(query(f"since={value}"), "since")


def test_the_form_validator_refuses_dates_that_would_overflow_a_day_either_way():
    params.date_in_range(dt.date(2026, 1, 1))
    for value in (dt.date.max, dt.date.min, dt.date(3000, 1, 1)):
        with pytest.raises(ValidationError, match="between 1 January 1900 and 31 December 2999"):
            params.date_in_range(value)


def test_an_api_moment_is_checked_in_utc_where_the_calendar_ends():
    assert params.in_calendar(dt.date(2026, 5, 1)) == dt.date(2026, 5, 1)
    end = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12)))
    start = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    for value in (end, start, dt.datetime(3000, 1, 1), dt.date(1899, 12, 31)):
        with pytest.raises(ValueError, match="must be between 1900-01-01 and 2999-12-31"):
            params.in_calendar(value)

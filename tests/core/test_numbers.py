import numpy as np
import pytest

from civic.core.errors import InvalidIdentifier
from civic.core.numbers import (
    business_number_clean,
    business_number_is_valid,
    business_numbers_from_prefixes,
    personal_number_clean,
    personal_number_is_valid,
    personal_numbers_from_prefixes,
)


def test_a_personal_number_passing_the_eleven_test_is_accepted():
    # 9·1 + 8·1 + 7·1 + 6·2 + 5·2 + 4·2 + 3·3 + 2·3 − 1·3 = 66 = 6·11
    assert personal_number_clean("111222333") == "111222333"


def test_a_personal_number_is_accepted_with_spaces_and_dots():
    assert personal_number_clean("1112.22.333") == "111222333"
    assert personal_number_clean(" 111 222 333 ") == "111222333"


def test_a_personal_number_with_a_wrong_check_digit_is_refused_saying_so():
    with pytest.raises(InvalidIdentifier, match="check digit is wrong"):
        personal_number_clean("111222334")


@pytest.mark.parametrize(
    "value",
    [
        "12345678",
        "1234567890",
        "11122233a",
        "",
        "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13",  # fullwidth 111222333
        "\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663",  # Arabic-Indic 111222333
    ],
)
def test_a_personal_number_of_the_wrong_shape_is_refused_saying_it_needs_nine_digits(value):
    with pytest.raises(InvalidIdentifier, match="exactly 9 digits"):
        personal_number_clean(value)


def test_a_business_number_in_other_scripts_digits_is_refused_saying_it_needs_eight_digits():
    with pytest.raises(InvalidIdentifier, match="exactly 8 digits"):
        business_number_clean("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff14")


def test_a_business_number_with_a_valid_luhn_check_digit_is_accepted():
    assert business_number_clean("12345674") == "12345674"


def test_a_business_number_with_a_wrong_check_digit_is_refused_saying_so():
    with pytest.raises(InvalidIdentifier, match="check digit is wrong"):
        business_number_clean("12345675")


def test_every_number_completed_in_bulk_passes_the_scalar_check():
    prefixes = np.arange(10_000_000, 10_050_000)
    numbers, usable = personal_numbers_from_prefixes(prefixes)
    assert usable.mean() == pytest.approx(10 / 11, abs=0.01)
    assert all(personal_number_is_valid(f"{n:09d}") for n in numbers[usable])
    assert not any(personal_number_is_valid(f"{n:09d}") for n in numbers[~usable][:1000])
    businesses = business_numbers_from_prefixes(np.arange(1_000_000, 1_020_000))
    assert all(business_number_is_valid(f"{n:08d}") for n in businesses)

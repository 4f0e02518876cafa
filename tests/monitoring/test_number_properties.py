"""Properties of Persian number formatting: no «−۰», only Persian characters, and a round trip."""

from __future__ import annotations

import math
import re
import statistics

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from data_loaders.normalise import parse_number
from monitoring import calendar

MINUS = "\u2212"
ALLOWED = set(calendar.PERSIAN_DIGITS + "٬٫" + MINUS)
NEGATIVE_ZERO = re.compile(f"^{MINUS}[۰٬٫]+$")

finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)
numbers = finite | st.integers(min_value=-(10**15), max_value=10**15)
decimals = st.integers(min_value=0, max_value=6)


def is_zero(text: str) -> bool:
    return not any(ch in calendar.PERSIAN_DIGITS[1:] for ch in text)


def significant_digits(text: str) -> int:
    digits = re.sub(r"\D", "", calendar.to_latin_digits(text))
    return len(digits.lstrip("0"))


@given(numbers, decimals)
def test_a_number_is_written_only_with_persian_digits_separators_and_the_minus_sign(value, places):
    text = calendar.format_number(value, places)
    assert set(text) <= ALLOWED
    assert MINUS not in text[1:]


@given(numbers, decimals)
def test_a_value_that_rounds_to_zero_never_carries_a_minus(value, places):
    text = calendar.format_number(value, places)
    assert not NEGATIVE_ZERO.match(text)
    if is_zero(text):
        assert text == calendar.format_number(0, places)


@given(decimals, st.floats(min_value=0.0, max_value=0.49))
def test_negative_zero_and_tiny_negatives_print_as_plain_zero(places, fraction):
    value = -fraction * 10.0**-places
    assert calendar.format_number(value, places) == calendar.format_number(0.0, places)
    assert calendar.format_number(-0.0, places) == calendar.format_number(0.0, places)


@given(numbers, decimals)
def test_a_negative_value_that_does_not_round_to_zero_keeps_its_minus(value, places):
    text = calendar.format_number(value, places)
    assert text.startswith(MINUS) == (value < 0 and not is_zero(text))


@given(numbers, decimals)
def test_format_then_parse_gives_the_value_rounded_to_the_shown_decimals(value, places):
    text = calendar.format_number(value, places)
    parsed, reason = parse_number(text)
    assert reason is None
    assert parsed == float(f"{value:.{places}f}")


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, math.inf, -math.inf])
def test_missing_and_infinite_values_print_the_missing_text(missing):
    assert calendar.format_number(missing) == "—"
    assert calendar.format_number(missing, 2, missing="گزارش نشده") == "گزارش نشده"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_a_percent_change_has_a_sign_only_when_it_is_not_zero_at_one_decimal(change):
    text = calendar.format_percent_change(change)
    assert text.endswith("٪")
    body = text.lstrip("+" + MINUS)
    assert body == calendar.format_number(abs(change) * 100, 1) + "٪"
    if is_zero(body):
        assert text == "۰٫۰٪"
    else:
        assert text[0] == ("+" if change > 0 else MINUS)


def test_a_zero_change_claims_no_direction():
    assert calendar.format_percent_change(0.0) == "۰٫۰٪"
    assert calendar.format_percent_change(-0.0) == "۰٫۰٪"
    assert calendar.format_percent_change(-0.0004) == "۰٫۰٪"
    assert calendar.format_percent_change(0.125) == "+۱۲٫۵٪"
    assert calendar.format_percent_change(-0.125) == f"{MINUS}۱۲٫۵٪"
    assert calendar.format_percent_change(None) == "—"


magnitudes = st.floats(min_value=1e-9, max_value=1e9, allow_nan=False)
signed = st.builds(lambda m, negative: -m if negative else m, magnitudes, st.booleans())
noise = st.sampled_from([0.0, float("nan"), None, math.inf])


@given(
    values=st.lists(signed | noise, min_size=1, max_size=30),
    significant=st.integers(min_value=1, max_value=6),
    max_decimals=st.integers(min_value=0, max_value=10),
    min_decimals=st.integers(min_value=0, max_value=10),
)
def test_readable_decimals_show_the_typical_value_with_enough_significant_digits(
    values, significant, max_decimals, min_decimals
):
    min_decimals = min(min_decimals, max_decimals)
    places = calendar.readable_decimals(values, significant, max_decimals, min_decimals)
    assert min_decimals <= places <= max_decimals
    usable = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    assume(usable)
    typical = statistics.median(usable)
    shown = significant_digits(calendar.format_number(typical, places))
    if places < max_decimals:
        assert shown >= significant
    if min_decimals < places < max_decimals:
        assert shown <= significant + 1  # no more decimals than needed (+1 when rounding carries)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.0042, 0.0031, 0.0057], "۰٫۰۰۴۲"),
        ([12.345, 10.2, 14.9], "۱۲٫۳"),
        ([1234.0, 987.0], "۱٬۱۱۰"),
    ],
)
def test_small_per_10k_values_do_not_print_as_zero(values, expected):
    places = calendar.readable_decimals(values)
    assert calendar.format_number(statistics.median(values), places) == expected


def test_readable_decimals_of_nothing_usable_is_the_minimum():
    assert calendar.readable_decimals([]) == 0
    assert calendar.readable_decimals([0.0, None, float("nan")], min_decimals=1) == 1
    assert calendar.readable_decimals(pd.Series([0.004, None, 0.005])) == 4


@given(st.integers(min_value=0, max_value=6))
def test_an_exact_zero_figure_is_a_plain_zero_at_any_decimals(decimals):
    assert calendar.format_figure(0.0, decimals) == "۰"
    assert calendar.format_figure(0.5, decimals) == calendar.format_number(0.5, decimals)

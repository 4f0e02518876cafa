"""Properties of the tick builder: round ticks inside the range, equally spaced, no «−۰»."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from data_loaders.normalise import parse_number
from monitoring import charts

MINUS = "\u2212"
values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=2, max_value=10)


def tolerance(ticks: list[float], step: float) -> float:
    return 1e-9 * step + 4 * float(np.spacing(max(abs(t) for t in ticks)))


@given(values, values, counts)
def test_ticks_lie_inside_the_range_sorted_and_equally_spaced(a, b, count):
    low, high = min(a, b), max(a, b)
    assume(high > low)
    ticks = charts.nice_ticks(low, high, count)
    assert len(ticks) >= 2
    assert ticks == sorted(ticks) and len(set(ticks)) == len(ticks)
    gaps = np.diff(ticks)
    tol = tolerance(ticks, float(gaps[0]))
    assert low - tol <= ticks[0] and ticks[-1] <= high + tol
    assert np.all(np.abs(gaps - gaps[0]) <= 2 * tol)


@given(values, values)
def test_the_default_asks_for_about_five_ticks(a, b):
    low, high = min(a, b), max(a, b)
    assume(high - low > 1e-6 * max(1.0, abs(low), abs(high)))
    assert 2 <= len(charts.nice_ticks(low, high)) <= 6


@given(values, values, counts)
def test_no_tick_is_negative_zero(a, b, count):
    low, high = min(a, b), max(a, b)
    for t in charts.nice_ticks(low, high, count) + charts.nice_ticks(-0.0, high) + charts.nice_ticks(low, -0.0):
        assert not (t == 0 and math.copysign(1.0, t) < 0)


@given(values, values, counts)
def test_tick_labels_are_distinct_persian_and_read_back_as_the_ticks(a, b, count):
    low, high = min(a, b), max(a, b)
    ticks = charts.nice_ticks(low, high, count)
    labels = charts.persian_ticks(ticks)
    assert len(set(labels)) == len(set(ticks))
    decimals = charts.tick_decimals(ticks)
    for tick, label in zip(ticks, labels, strict=True):
        assert not label.startswith(MINUS + "۰") or any(ch in label for ch in "۱۲۳۴۵۶۷۸۹")
        parsed, reason = parse_number(label)
        assert reason is None
        assert abs(parsed - tick) <= 0.5 * 10.0**-decimals + 4 * float(np.spacing(abs(tick)))


@given(st.floats(min_value=1e-9, max_value=1e12, allow_nan=False), counts)
def test_a_range_that_starts_or_ends_at_zero_has_a_plain_zero_tick(high, count):
    ticks = charts.nice_ticks(0.0, high, count)
    assert ticks[0] == 0 and math.copysign(1.0, ticks[0]) > 0
    assert charts.persian_ticks(ticks)[0].startswith("۰")
    ticks = charts.nice_ticks(-high, -0.0, count)
    assert ticks[-1] == 0 and math.copysign(1.0, ticks[-1]) > 0
    assert charts.persian_ticks(ticks)[-1].startswith("۰")


@given(values)
def test_a_range_of_one_value_has_one_readable_tick(value):
    ticks = charts.nice_ticks(value, value)
    assert ticks == [value]
    (label,) = charts.persian_ticks(ticks)
    assert label not in (MINUS + "۰", "")


def test_ticks_of_infinite_or_missing_ranges_are_empty():
    assert charts.nice_ticks(float("nan"), 1.0) == []
    assert charts.nice_ticks(0.0, float("inf")) == []


def test_per_10k_ticks_of_small_counts_keep_their_digits():
    ticks = charts.nice_ticks(0.0001, 0.0005)
    assert charts.persian_ticks(ticks) == ["۰٫۰۰۰۱", "۰٫۰۰۰۲", "۰٫۰۰۰۳", "۰٫۰۰۰۴", "۰٫۰۰۰۵"]
    assert charts.persian_ticks([0.0, 0.5, 1.0]) == ["۰٫۰", "۰٫۵", "۱٫۰"]

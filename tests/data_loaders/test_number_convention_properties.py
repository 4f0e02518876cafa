"""Properties of the number reader (issue 14): in any one grouping and decimal convention, a column
of numbers reads back exactly, whatever the digits (Latin or Persian); a column that uses a mark both
ways is refused cell by cell, never guessed."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from data_loaders import normalise
from monitoring.calendar import to_persian_digits

# (thousands mark, decimal mark, a cell that says so when the numbers alone may not)
CONVENTIONS = [
    (",", ".", "1,234,567.5"),
    (".", ",", "1.234.567,5"),
    ("", ".", "0.5"),
    ("", ",", "0,5"),
    ("٬", "٫", "۱٬۲۳۴٫۵"),
    ("", "٫", "۰٫۵"),
    (",", "٫", "1,234٫5"),
]


def written(n: int, places: int, group: str, decimal: str, persian: bool) -> str:
    text = f"{n / 10**places:,.{places}f}".replace(",", "G").replace(".", "D")
    text = text.replace("G", group).replace("D", decimal)
    return to_persian_digits(text) if persian else text


numbers = st.lists(st.tuples(st.integers(0, 10**10), st.integers(0, 3)), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(numbers, st.sampled_from(CONVENTIONS), st.booleans())
def test_a_column_in_one_convention_reads_back_exactly(cells, convention, persian):
    group, decimal, evidence = convention
    texts = [written(n, p, group, decimal, persian) for n, p in cells] + [evidence]
    series = pd.Series(texts, dtype=str)
    style = normalise.number_style([series])
    values, blank, reasons = normalise.parse_values(series, style)
    assert not blank.any()
    assert list(reasons) == [None] * len(texts), (texts, list(reasons))
    expected = [float(f"{n / 10**p:.{p}f}") for n, p in cells]
    assert list(values[:-1]) == expected


@settings(max_examples=100, deadline=None)
@given(numbers, st.sampled_from([(".", "1.234.567", "2.5"), (",", "1,234,567", "2,5")]))
def test_a_mark_used_both_as_decimal_and_as_thousands_is_refused_in_every_cell_that_uses_it(cells, mixed):
    mark, grouped, decimal = mixed
    plain = [str(n) for n, _ in cells]  # whole numbers without any mark read as they are
    texts = [*plain, grouped, decimal]
    series = pd.Series(texts, dtype=str)
    values, _, reasons = normalise.parse_values(series, normalise.number_style([series]))
    for text, value, reason in zip(texts, values, reasons, strict=True):
        if mark in text:
            assert reason is not None and "one convention" in str(reason)
        else:
            assert reason is None and value == float(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 999), st.integers(0, 999), st.booleans())
def test_a_lone_dot_before_three_digits_is_never_guessed(head, tail, persian):
    text = f"{head}.{tail:03d}"
    text = to_persian_digits(text) if persian else text
    series = pd.Series([text], dtype=str)
    value, reason = normalise.parse_number(text, normalise.number_style([series]))
    assert value is None and "ambiguous" in str(reason)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 99), st.integers(1, 999), st.sampled_from([" ", "\u00a0", "  ", "\u2009"]))
def test_digits_split_by_a_space_are_refused(a, b, space):
    value, reason = normalise.parse_number(f"{a}{space}{b}")
    assert value is None and "space between its digits" in str(reason)

"""The Jalali period picker: Streamlit's date picker is Gregorian-only, so selectboxes."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from monitoring import calendar
from monitoring.calendar import Period

KIND_LABELS = {"month": "ماه", "season": "فصل", "year": "سال"}
PLACEHOLDER = "انتخاب کنید"


def month_bounds(bounds: tuple[dt.date, dt.date]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The first and last Jalali (year, month) of a span of Gregorian month starts."""
    return calendar.jalali_month_of(bounds[0]), calendar.jalali_month_of(bounds[1])


def containing(month: tuple[int, int], kind: str) -> Period:
    """The period of ``kind`` that holds a Jalali month."""
    year, m = month
    if kind == "month":
        return Period.month(year, m)
    if kind == "season":
        return Period.season(year, (m - 1) // 3 + 1)
    return Period.whole_year(year)


def nearest(period: Period, first: tuple[int, int], last: tuple[int, int]) -> Period:
    """``period`` itself when it holds any month with data, else the period of the same kind
    nearest to it that does (the first one for a period before the data, the last one after)."""
    months = period.months
    if any(first <= m <= last for m in months):
        return period
    return containing(last if months[0] > last else first, period.kind)


def convert(period: Period, kind: str, first: tuple[int, int], last: tuple[int, int]) -> Period:
    """The period of another ``kind`` that holds ``period``'s last month with data."""
    months = [m for m in period.months if first <= m <= last] or [last]
    return containing(months[-1], kind)


def _options(kind: str, year: int, first: tuple[int, int], last: tuple[int, int]) -> list[int]:
    months = [m for m in range(1, 13) if first <= (year, m) <= last]
    if kind == "month":
        return months
    return sorted({(m - 1) // 3 + 1 for m in months})


def _fix(key: str, options: list, fallback) -> None:
    """Make the widget's stored value one of ``options`` (seeded from ``fallback`` when absent)."""
    value = st.session_state.get(key, fallback)
    if value not in options:
        value = fallback if fallback in options else min(options, key=lambda o: abs(o - value))
    st.session_state[key] = value


def forget(key: str) -> None:
    """Drop the picker's widget values, so the next call seeds them from its ``current`` period."""
    for part in ("kind", "year", "month", "season"):
        st.session_state.pop(f"{key}_{part}", None)


def period_picker(
    bounds: tuple[dt.date, dt.date],
    key: str,
    current: Period | None = None,
    container=None,
    kinds: tuple[calendar.PeriodKind, ...] = ("month", "season", "year"),
) -> Period:
    """Pick a Jalali month, season or year between the first and last month holding data.

    ``current`` (the period chosen so far, from another page or the URL) seeds any widget that has
    no value yet; switching between month, season and year keeps the time the user was looking at.
    """
    box = container if container is not None else st.sidebar
    first, last = month_bounds(bounds)
    current = nearest(current, first, last) if current else Period.month(*last)
    if current.kind not in kinds:
        current = convert(current, kinds[0], first, last)
    _fix(f"{key}_kind", list(kinds), current.kind)
    if len(kinds) > 1:
        kind = box.radio("نوع دوره", list(kinds), format_func=KIND_LABELS.get, horizontal=True, key=f"{key}_kind")
    else:
        kind = kinds[0]
    shown = convert(current, kind, first, last) if kind != current.kind else current
    years = list(range(last[0], first[0] - 1, -1))
    _fix(f"{key}_year", years, shown.year)
    year = box.selectbox(
        "سال", years, format_func=calendar.to_persian_digits, key=f"{key}_year", placeholder=PLACEHOLDER
    )
    if kind == "year":
        return Period.whole_year(year)
    options = _options(kind, year, first, last)
    index_key = f"{key}_{kind}"
    _fix(index_key, options, shown.index if shown.year == year else options[-1])
    if kind == "month":
        label, names = "ماه", calendar.MONTHS_FA
    else:
        label, names = "فصل", calendar.SEASONS_FA
    index = box.selectbox(label, options, format_func=lambda i: names[i - 1], key=index_key, placeholder=PLACEHOLDER)
    return Period(year, kind, index)

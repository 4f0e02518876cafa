"""The Jalali period picker: Streamlit's date picker is Gregorian-only, so selectboxes."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from monitoring import calendar
from monitoring.calendar import Period

KIND_LABELS = {"month": "ماه", "season": "فصل", "year": "سال"}


def _options(kind: str, year: int, first: tuple[int, int], last: tuple[int, int]) -> list[int]:
    if kind == "year":
        return [0]
    months = [m for m in range(1, 13) if first <= (year, m) <= last]
    if kind == "month":
        return months
    return sorted({(m - 1) // 3 + 1 for m in months})


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def clamp(period: Period, first: tuple[int, int], last: tuple[int, int]) -> Period:
    """The period itself if it overlaps the data, else the latest month."""
    if any(first <= m <= last for m in period.months):
        return period
    return Period.month(*last)


def period_picker(
    bounds: tuple[dt.date, dt.date],
    key: str,
    default: Period | None = None,
    container=None,
    kinds: tuple[str, ...] = ("month", "season", "year"),
) -> Period:
    """Pick a Jalali month, season or year between the first and last month holding data.

    ``default`` seeds the widgets the first time (for example from the URL).
    """
    box = container if container is not None else st.sidebar
    first = calendar.jalali_month_of(bounds[0])
    last = calendar.jalali_month_of(bounds[1])
    start = clamp(default, first, last) if default else Period.month(*last)
    _seed(f"{key}_kind", start.kind if start.kind in kinds else kinds[0])
    _seed(f"{key}_year", start.year)
    _seed(f"{key}_index_{start.kind}", start.index)

    if len(kinds) > 1:
        kind = box.radio("نوع دوره", list(kinds), format_func=KIND_LABELS.get, horizontal=True, key=f"{key}_kind")
    else:
        kind = kinds[0]
    years = list(range(last[0], first[0] - 1, -1))
    if st.session_state.get(f"{key}_year") not in years:
        st.session_state[f"{key}_year"] = years[0]
    year = box.selectbox("سال", years, format_func=calendar.to_persian_digits, key=f"{key}_year")
    if kind == "year":
        return Period.whole_year(year)
    options = _options(kind, year, first, last)
    index_key = f"{key}_index_{kind}"
    if st.session_state.get(index_key) not in options:
        st.session_state[index_key] = options[-1]
    if kind == "month":
        month = box.selectbox("ماه", options, format_func=lambda m: calendar.MONTHS_FA[m - 1], key=index_key)
        return Period.month(year, month)
    season = box.selectbox("فصل", options, format_func=lambda s: calendar.SEASONS_FA[s - 1], key=index_key)
    return Period.season(year, season)

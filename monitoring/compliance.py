"""Reporting compliance: who reported each Jalali month, on time or late, whole or in part.

A month's report is due by the end of day N (``Settings.due_day``, default 5) of the following Jalali
month, Tehran time; a day past the following month's end means its last day (Esfand has 29 days, or
30 in a leap year). The first batch that brought anything for a district and month decides whether
it came on time: a later correction does not move it. Each district-month is in one state:

- ``on_time``: everything the catalog holds arrived, the first of it by the end of the due day;
- ``late``: everything arrived, the first of it after the due day (with the days late);
- ``partial``: fewer metrics than the catalog holds now (on time or late, as it came);
- ``missing``: nothing, and the due date has passed: overdue (with the days past due);
- ``not_due``: nothing yet, but the due date is still ahead: not a failure.

Pure functions over the store's ``reporting_record``; ``today`` is always a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from monitoring import calendar
from monitoring.calendar import TEHRAN, tehran_date

DEFAULT_DUE_DAY = 5
WINDOW_MONTHS = 12

ON_TIME, LATE, PARTIAL, MISSING, NOT_DUE = "on_time", "late", "partial", "missing", "not_due"
STATES: tuple[str, ...] = (ON_TIME, LATE, PARTIAL, MISSING, NOT_DUE)
STATE_LABELS = {
    ON_TIME: "به‌موقع",
    LATE: "با تأخیر",
    PARTIAL: "ناقص",
    MISSING: "گزارش نشده",
    NOT_DUE: "هنوز سررسید نشده",
}

_STATE_COLUMNS = [
    "district",
    "year",
    "month",
    "period",
    "due",
    "state",
    "metrics",
    "expected",
    "first_loaded_at",
    "last_loaded_at",
    "days_late",
    "days_overdue",
]


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month (Esfand: 29, or 30 in a leap year)."""
    return (calendar.month_start(*calendar.add_months(year, month, 1)) - calendar.month_start(year, month)).days


def due_date(year: int, month: int, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """The Gregorian date a Jalali month's report is due: day ``due_day`` of the following Jalali
    month, or its last day when it is shorter."""
    following = calendar.add_months(year, month, 1)
    day = min(max(int(due_day), 1), month_length(*following))
    return calendar.month_start(*following) + dt.timedelta(days=day - 1)


def deadline(year: int, month: int, due_day: int = DEFAULT_DUE_DAY) -> dt.datetime:
    """The moment a report becomes late: midnight at the end of the due day, Tehran time."""
    after = due_date(year, month, due_day) + dt.timedelta(days=1)
    return dt.datetime.combine(after, dt.time(0, 0), tzinfo=TEHRAN)


def window(last: tuple[int, int], months: int = WINDOW_MONTHS) -> list[tuple[int, int]]:
    """The ``months`` Jalali months ending with ``last``, oldest first."""
    return calendar.months_between(calendar.add_months(*last, -(months - 1)), last)


def window_end(today: dt.date, chosen_last: tuple[int, int] | None = None) -> tuple[int, int]:
    """The last month of the grid: the last month that has ended by ``today``, or an earlier month chosen."""
    ended = calendar.last_complete_month(today)
    return min(chosen_last, ended) if chosen_last else ended


def month_states(
    record: pd.DataFrame,
    districts: Iterable[int],
    months: list[tuple[int, int]],
    expected: int,
    today: dt.date,
    due_day: int = DEFAULT_DUE_DAY,
) -> pd.DataFrame:
    """One row a district and month (districts × months, in that order): district, year, month, period
    (Gregorian first day), due (date), state, metrics (held now), expected, first_loaded_at,
    last_loaded_at, days_late (a late report; else 0), days_overdue (a missing report past due; else 0).

    ``record`` is ``store.reporting_record`` over the months; ``expected`` is the catalog's size now.
    """
    districts = [int(d) for d in districts]
    grid = pd.DataFrame(
        [(d, y, m, calendar.month_start(y, m)) for d in districts for y, m in months],
        columns=["district", "year", "month", "period"],
    )
    dues = {(y, m): (due_date(y, m, due_day), deadline(y, m, due_day)) for y, m in months}
    grid["due"] = [dues[(y, m)][0] for y, m in zip(grid["year"], grid["month"], strict=True)]
    ends = pd.Series([dues[(y, m)][1] for y, m in zip(grid["year"], grid["month"], strict=True)])
    cols = ["district", "period", "metrics", "first_loaded_at", "last_loaded_at"]
    held = record[cols] if len(record) else pd.DataFrame(columns=cols)
    out = grid.merge(held, on=["district", "period"], how="left")
    out["metrics"] = out["metrics"].fillna(0).astype("int64")
    out["expected"] = int(expected)
    first = pd.to_datetime(out["first_loaded_at"], utc=True)
    out["first_loaded_at"] = first
    out["last_loaded_at"] = pd.to_datetime(out["last_loaded_at"], utc=True)
    reported = (out["metrics"] > 0).to_numpy()
    late = np.array(
        [bool(r) and f > e for r, f, e in zip(reported, first, ends, strict=True)],
        dtype=bool,
    )
    out["days_late"] = [
        (tehran_date(f) - d).days if is_late else 0 for is_late, f, d in zip(late, first, out["due"], strict=True)
    ]
    past_due = np.array([today > d for d in out["due"]], dtype=bool)
    out["days_overdue"] = [
        (today - d).days if (not r and p) else 0 for r, p, d in zip(reported, past_due, out["due"], strict=True)
    ]
    state = np.where(late, LATE, ON_TIME).astype(object)
    state[reported & (out["metrics"] < expected).to_numpy()] = PARTIAL
    state[~reported & past_due] = MISSING
    state[~reported & ~past_due] = NOT_DUE
    out["state"] = state
    return out[_STATE_COLUMNS]


def months_shown(period, today: dt.date) -> list[tuple[int, int]]:
    """The months the reporting grid shows for ``period``: a season's or a year's own months (those
    still ahead are «هنوز سررسید نشده»); for a month, the 12 months ending with it (or with the last
    month that has ended, when it is still running)."""
    if period.kind == "month":
        return window(window_end(today, period.months[-1]))
    return list(period.months)


def district_summary(states: pd.DataFrame, today: dt.date, last_news: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per district, over the months in ``states`` (from ``month_states``): due (months whose due date
    has passed), on_time, late (reports that came after the due day, partial ones included), partial,
    missing (overdue), completeness (share of the expected values held for the due months, 0–1; NaN
    with no month due), last_report and days_since (days from it to ``today``; <NA>). With
    ``last_news`` (``store.last_news``: district, last_changed_at) last_report is the Tehran date of the
    last batch that brought the district a new or changed value, from all time; without it, of the
    latest batch for any of these months. Ordered by district."""
    if not len(states):
        return pd.DataFrame()
    state = states["state"].to_numpy(dtype=object)
    is_due = np.fromiter((d < today for d in states["due"]), dtype=bool, count=len(states))
    expected = states["expected"].to_numpy(dtype="int64")
    held = np.minimum(states["metrics"].to_numpy(dtype="int64"), expected)
    counts = pd.DataFrame(
        {
            "district": states["district"].to_numpy(dtype="int64"),
            "due": is_due.astype("int64"),
            "on_time": (state == ON_TIME).astype("int64"),
            "late": (states["days_late"].to_numpy() > 0).astype("int64"),
            "partial": (state == PARTIAL).astype("int64"),
            "missing": (state == MISSING).astype("int64"),
            "expected": np.where(is_due, expected, 0),
            "held": np.where(is_due, held, 0),
        }
    ).groupby("district", sort=True)
    out = counts.sum()
    if last_news is not None:
        latest = last_news.set_index("district")["last_changed_at"] if len(last_news) else pd.Series(dtype=object)
    else:
        latest = states.groupby("district", sort=True)["last_loaded_at"].max()
    last_days = [None if pd.isna(t) else tehran_date(t) for t in latest.reindex(out.index)]
    out = out.reset_index()
    out["completeness"] = [h / e if e else None for h, e in zip(out["held"], out["expected"], strict=True)]
    out["last_report"] = last_days
    out["days_since"] = pd.array([None if d is None else (today - d).days for d in last_days], dtype="Int64")
    return out[
        ["district", "due", "on_time", "late", "partial", "missing", "completeness", "last_report", "days_since"]
    ]


def overdue(states: pd.DataFrame) -> pd.DataFrame:
    """The missing reports whose due date has passed, longest overdue first: district, year, month,
    period, due, days_overdue."""
    rows = states[states["state"] == MISSING]
    return rows.sort_values(["days_overdue", "district"], ascending=[False, True], ignore_index=True)[
        ["district", "year", "month", "period", "due", "days_overdue"]
    ]


@lru_cache(maxsize=4096)  # a pure function of the date; the reporting grid asks for the same few hundred
def day_label(day: dt.date) -> str:
    """A Gregorian date as Tehran reads it: «۵ آذر ۱۴۰۵»."""
    year, month = calendar.jalali_month_of(day)
    number = (day - calendar.month_start(year, month)).days + 1
    return f"{calendar.to_persian_digits(number)} {calendar.MONTHS_FA[month - 1]} {calendar.to_persian_digits(year)}"


def describe(
    state: str, metrics: int, expected: int, due: dt.date, first_loaded_at, days_late: int, days_overdue: int
) -> str:
    """One district-month's state as a Persian sentence (the grid's hover, for a screen reader too)."""
    digits = calendar.to_persian_digits
    if state == MISSING:
        return f"گزارش نشده؛ {digits(days_overdue)} روز از موعد ({day_label(due)}) گذشته است"
    if state == NOT_DUE:
        return f"هنوز سررسید نشده؛ موعد {day_label(due)}"
    came = f"نخستین گزارش {day_label(tehran_date(first_loaded_at))}" if not pd.isna(first_loaded_at) else ""
    timing = f"{digits(days_late)} روز پس از موعد ({day_label(due)})" if days_late else f"تا موعد ({day_label(due)})"
    if state == PARTIAL:
        return f"ناقص: {digits(metrics)} از {digits(expected)} شاخص؛ {came}، {timing}"
    if state == LATE:
        return f"با {digits(days_late)} روز تأخیر؛ {came}، موعد {day_label(due)}"
    return f"به‌موقع؛ {came}، {timing}"


def months_to_today(bounds: tuple[dt.date, dt.date], today: dt.date) -> tuple[dt.date, dt.date]:
    """The span of months the reporting page offers: from the first month with data to the last month
    that has ended by ``today``, even when nobody has reported it (that is what the page is for)."""
    ended = calendar.month_start(*calendar.last_complete_month(today))
    return bounds[0], max(bounds[1], ended)


def days_overdue(status: pd.DataFrame, period: calendar.Period, due_day: int, today: dt.date) -> list[int]:
    """For each row of ``overview.reporting_status`` over ``period``: days past the due date of the
    period's last month for a district that sent nothing or only part (0 before the due date and for
    a complete report)."""
    due = due_date(*period.months[-1], due_day)
    late = max((today - due).days, 0)
    return [late if state in ("missing", "partial") else 0 for state in status["state"]]

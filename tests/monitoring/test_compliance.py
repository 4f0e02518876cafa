"""Reporting compliance on small hand-made records with known answers: due dates across month ends and
Esfand of leap and common years, and the five states of a district-month."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring import calendar, compliance
from monitoring.config import settings_from_env

TEHRAN = calendar.TEHRAN
ESFAND_1403 = (1403, 12)  # 30 days: 1403 is a leap year
ESFAND_1404 = (1404, 12)  # 29 days
MEHR_1404 = (1404, 7)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in Tehran."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TEHRAN)


def record(*rows: tuple[int, tuple[int, int], int, dt.datetime, dt.datetime | None]) -> pd.DataFrame:
    """Rows (district, month, metrics held, first load, last load) as ``store.reporting_record`` returns them."""
    return pd.DataFrame(
        [
            {
                "district": d,
                "period": calendar.month_start(*month),
                "metrics": n,
                "first_loaded_at": pd.Timestamp(first).tz_convert("UTC"),
                "last_loaded_at": pd.Timestamp(last or first).tz_convert("UTC"),
            }
            for d, month, n, first, last in rows
        ]
    )


# ---------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    ("month", "due_day", "due"),
    [
        (MEHR_1404, 5, dt.date(2025, 10, 27)),  # 5 Aban 1404
        (ESFAND_1403, 5, dt.date(2025, 3, 25)),  # 5 Farvardin 1404, across the year end
        (ESFAND_1404, 5, dt.date(2026, 3, 25)),  # 5 Farvardin 1405
        ((1403, 11), 30, dt.date(2025, 3, 20)),  # Bahman 1403: 30 Esfand 1403 exists (leap year)
        ((1404, 11), 30, dt.date(2026, 3, 20)),  # Bahman 1404: Esfand 1404 ends on the 29th
        ((1404, 6), 31, dt.date(2025, 10, 22)),  # Shahrivar: Mehr has 30 days
        ((1404, 5), 31, dt.date(2025, 9, 22)),  # Mordad: Shahrivar has 31
        ((1404, 1), 1, dt.date(2025, 4, 21)),  # 1 Ordibehesht
    ],
)
def test_a_months_report_is_due_on_the_nth_day_of_the_following_jalali_month(month, due_day, due):
    assert compliance.due_date(*month, due_day) == due


def test_esfand_has_30_days_in_a_leap_year_and_29_otherwise():
    assert compliance.month_length(*ESFAND_1403) == 30
    assert compliance.month_length(*ESFAND_1404) == 29
    assert calendar.month_start(1404, 1) - calendar.month_start(*ESFAND_1403) == dt.timedelta(days=30)


def test_the_deadline_is_midnight_after_the_due_day_in_tehran():
    end = compliance.deadline(*ESFAND_1403)
    assert end == dt.datetime(2025, 3, 26, 0, 0, tzinfo=TEHRAN)
    assert end.astimezone(dt.UTC) == dt.datetime(2025, 3, 25, 20, 30, tzinfo=dt.UTC)


def test_the_due_day_is_read_from_the_environment_and_a_bad_value_keeps_the_default():
    assert settings_from_env({}).due_day == 5
    assert settings_from_env({"DASHBOARD_DUE_DAY": "10"}).due_day == 10
    assert settings_from_env({"DASHBOARD_DUE_DAY": "0"}).due_day == 5
    assert settings_from_env({"DASHBOARD_DUE_DAY": "پنج"}).due_day == 5


# ---------------------------------------------------------------- states


def states_of(rec: pd.DataFrame, months, today: dt.date, districts=range(1, 7), expected: int = 16, due_day: int = 5):
    out = compliance.month_states(rec, districts, months, expected, today, due_day)
    return out.set_index(["district", "year", "month"])


def test_a_report_by_the_end_of_the_due_day_is_on_time_and_a_minute_later_is_one_day_late():
    rec = record(
        (1, ESFAND_1403, 16, at(2025, 3, 25, 23, 59), None),  # 5 Farvardin 1404, 23:59 Tehran
        (2, ESFAND_1403, 16, at(2025, 3, 26, 0, 1), None),  # 6 Farvardin, 00:01
        (3, ESFAND_1403, 16, at(2025, 3, 20, 9, 0), None),  # 30 Esfand 1403: inside the month itself
    )
    s = states_of(rec, [ESFAND_1403], today=dt.date(2025, 5, 1))
    assert s.loc[(1, 1403, 12), "state"] == compliance.ON_TIME and s.loc[(1, 1403, 12), "days_late"] == 0
    assert s.loc[(2, 1403, 12), "state"] == compliance.LATE and s.loc[(2, 1403, 12), "days_late"] == 1
    assert s.loc[(3, 1403, 12), "state"] == compliance.ON_TIME


def test_esfand_1404_with_29_days_is_due_on_5_farvardin_1405():
    rec = record(
        (1, ESFAND_1404, 16, at(2026, 3, 25, 18, 0), None),  # 5 Farvardin 1405: on time
        (2, ESFAND_1404, 16, at(2026, 4, 4, 10, 0), None),  # 15 Farvardin 1405: ten days late
    )
    s = states_of(rec, [ESFAND_1404], today=dt.date(2026, 5, 1))
    assert s.loc[(1, 1404, 12), "state"] == compliance.ON_TIME
    assert (s.loc[(2, 1404, 12), "state"], s.loc[(2, 1404, 12), "days_late"]) == (compliance.LATE, 10)
    assert s.loc[(2, 1404, 12), "due"] == dt.date(2026, 3, 25)


def test_a_due_day_past_the_end_of_esfand_means_its_last_day():
    bahman_1404 = (1404, 11)
    rec = record(
        (1, bahman_1404, 16, at(2026, 3, 20, 22, 0), None),  # 29 Esfand 1404, the last day: on time
        (2, bahman_1404, 16, at(2026, 3, 21, 8, 0), None),  # 1 Farvardin 1405: a day late
    )
    s = states_of(rec, [bahman_1404], today=dt.date(2026, 5, 1), due_day=30)
    assert s.loc[(1, 1404, 11), "state"] == compliance.ON_TIME
    assert (s.loc[(2, 1404, 11), "state"], s.loc[(2, 1404, 11), "days_late"]) == (compliance.LATE, 1)


def test_fewer_metrics_than_the_catalog_is_partial_and_keeps_its_days_late():
    rec = record(
        (1, MEHR_1404, 12, at(2025, 10, 26), None),  # on time, 12 of 16
        (2, MEHR_1404, 15, at(2025, 11, 3), None),  # 7 days late, 15 of 16
    )
    s = states_of(rec, [MEHR_1404], today=dt.date(2025, 12, 1))
    assert s.loc[(1, 1404, 7), "state"] == compliance.PARTIAL and s.loc[(1, 1404, 7), "days_late"] == 0
    assert s.loc[(2, 1404, 7), "state"] == compliance.PARTIAL and s.loc[(2, 1404, 7), "days_late"] == 7
    assert s.loc[(2, 1404, 7), "metrics"] == 15 and s.loc[(2, 1404, 7), "expected"] == 16


def test_nothing_after_the_due_date_is_missing_and_overdue_nothing_before_it_is_not_yet_due():
    months = [MEHR_1404, (1404, 8)]  # Aban 1404 is due on 5 Azar 1404 = 2025-11-26
    today = dt.date(2025, 11, 20)
    s = states_of(record((1, MEHR_1404, 16, at(2025, 10, 25), None)), months, today)
    assert s.loc[(2, 1404, 7), "state"] == compliance.MISSING
    assert s.loc[(2, 1404, 7), "days_overdue"] == (today - dt.date(2025, 10, 27)).days == 24
    assert s.loc[(1, 1404, 8), "state"] == compliance.NOT_DUE and s.loc[(1, 1404, 8), "days_overdue"] == 0
    # on the due day itself nothing is overdue yet; the day after it is
    assert states_of(record(), months, dt.date(2025, 11, 26)).loc[(1, 1404, 8), "state"] == compliance.NOT_DUE
    after = states_of(record(), months, dt.date(2025, 11, 27)).loc[(1, 1404, 8)]
    assert (after["state"], after["days_overdue"]) == (compliance.MISSING, 1)


def test_a_correction_batch_does_not_move_the_first_report():
    # first sent on time, corrected three weeks later: the record's first load decides
    rec = record((1, MEHR_1404, 16, at(2025, 10, 24), at(2025, 11, 15)))
    s = states_of(rec, [MEHR_1404], today=dt.date(2025, 12, 1))
    assert s.loc[(1, 1404, 7), "state"] == compliance.ON_TIME and s.loc[(1, 1404, 7), "days_late"] == 0
    summary = compliance.district_summary(s.reset_index(), dt.date(2025, 12, 1)).set_index("district")
    assert summary.loc[1, "last_report"] == dt.date(2025, 11, 15)  # but it is the latest report
    assert summary.loc[1, "days_since"] == 16


def test_every_district_and_month_gets_exactly_one_state():
    months = compliance.window((1404, 8), 12)
    s = compliance.month_states(record(), range(1, 23), months, 16, dt.date(2025, 12, 1))
    assert len(s) == 22 * 12 and set(s["state"]) <= set(compliance.STATES)
    assert s.groupby("district").size().eq(12).all()


# ---------------------------------------------------------------- summaries and the overdue list


def test_district_summary_counts_completeness_over_due_months_only():
    months = [(1404, 6), MEHR_1404, (1404, 8)]
    today = dt.date(2025, 11, 20)  # Shahrivar and Mehr are due; Aban is not yet
    rec = record(
        (1, (1404, 6), 16, at(2025, 9, 25), None),
        (1, MEHR_1404, 8, at(2025, 11, 1), None),  # half, 5 days late
        (1, (1404, 8), 16, at(2025, 11, 18), None),  # early: not counted in completeness
    )
    s = compliance.month_states(rec, [1, 2], months, 16, today)
    summary = compliance.district_summary(s, today).set_index("district")
    assert summary.loc[1, "due"] == 2
    assert summary.loc[1, "completeness"] == pytest.approx(24 / 32)
    assert (summary.loc[1, "on_time"], summary.loc[1, "late"], summary.loc[1, "partial"]) == (2, 1, 1)
    assert summary.loc[1, "days_since"] == 2
    assert summary.loc[2, "completeness"] == 0 and summary.loc[2, "missing"] == 2
    assert summary.loc[2, "last_report"] is None and pd.isna(summary.loc[2, "days_since"])


def test_the_overdue_list_puts_the_longest_overdue_first():
    months = [(1404, 6), MEHR_1404]
    today = dt.date(2025, 11, 20)
    rec = record((1, (1404, 6), 16, at(2025, 9, 25), None), (1, MEHR_1404, 16, at(2025, 10, 25), None))
    s = compliance.month_states(rec, [1, 2, 3], months, 16, today)
    late = compliance.overdue(s)
    assert list(zip(late["district"], late["month"], late["days_overdue"], strict=True)) == [
        (2, 6, (today - dt.date(2025, 9, 27)).days),
        (3, 6, (today - dt.date(2025, 9, 27)).days),
        (2, 7, 24),
        (3, 7, 24),
    ]


def test_the_grid_ends_with_the_last_month_that_has_ended():
    today = dt.date(2026, 11, 26)  # 5 Azar 1405
    assert compliance.window_end(today) == (1405, 8)
    assert compliance.window_end(today, (1405, 12)) == (1405, 8)  # a year not over: up to now
    assert compliance.window_end(today, (1404, 12)) == (1404, 12)
    assert compliance.window((1405, 2), 3) == [(1404, 12), (1405, 1), (1405, 2)]
    first, last = compliance.months_to_today((dt.date(2022, 3, 21), dt.date(2026, 9, 23)), today)
    assert last == calendar.month_start(1405, 8)


def test_each_state_reads_as_a_persian_sentence():
    due = dt.date(2025, 10, 27)
    first = pd.Timestamp(at(2025, 11, 3))
    assert compliance.day_label(due) == "۵ آبان ۱۴۰۴"
    assert compliance.describe(compliance.LATE, 16, 16, due, first, 7, 0).startswith("با ۷ روز تأخیر")
    assert "۱۲ از ۱۶ شاخص" in compliance.describe(compliance.PARTIAL, 12, 16, due, first, 7, 0)
    assert "۲۴ روز از موعد" in compliance.describe(compliance.MISSING, 0, 16, due, pd.NaT, 0, 24)
    assert "سررسید نشده" in compliance.describe(compliance.NOT_DUE, 0, 16, due, pd.NaT, 0, 0)

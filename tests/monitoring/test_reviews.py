"""The review rules: a commitment's state (open, late, done, dropped) across Jalali month ends and the
leap Esfand of 1403, whether its metric moved (like for like), the follow-up list a meeting opens
with, the monthly meeting cycle and the districts not reviewed in N months."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import calendar, figures, reviews
from monitoring.calendar import Period
from monitoring.metrics import catalog
from monitoring.reviews import Commitment, Meeting

ESFAND_30_1403 = dt.date(2025, 3, 20)  # 1403 is a leap year: Esfand has 30 days
FARVARDIN_1_1404 = dt.date(2025, 3, 21)


def jalali(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def made(due: dt.date, status: str = "open", made_on: dt.date | None = None, **kw) -> Commitment:
    return Commitment(
        id=kw.pop("id", 1),
        district=kw.pop("district", 10),
        text="x",
        made_on=made_on or due - dt.timedelta(days=20),
        due_on=due,
        status=status,
        **kw,
    )  # type: ignore[arg-type]


# every day from 1399 to 1405, so that month ends and both leap Esfands (1399, 1403) are drawn often
days = st.dates(min_value=jalali(1399, 1, 1), max_value=jalali(1405, 12, 29))
month_ends = st.builds(
    lambda y, m: calendar.month_end(calendar.month_start(y, m)) - dt.timedelta(days=1),
    st.integers(1399, 1405),
    st.integers(1, 12),
)


# ---------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (ESFAND_30_1403, ESFAND_30_1403, "open"),  # the due day itself: on time
        (ESFAND_30_1403, FARVARDIN_1_1404, "late"),  # the next day, in the next Jalali year
        (jalali(1403, 12, 29), ESFAND_30_1403, "late"),  # Esfand 30 exists in 1403
        (jalali(1404, 6, 31), jalali(1404, 7, 1), "late"),  # Shahrivar's 31st, then Mehr
        (jalali(1404, 7, 30), jalali(1404, 7, 30), "open"),  # Mehr's last day
    ],
)
def test_an_open_commitment_is_late_from_the_day_after_its_due_day(due, today, expected):
    assert reviews.state(made(due), today) == expected


@given(
    due=st.one_of(days, month_ends), offset=st.integers(-400, 400), status=st.sampled_from(reviews.COMMITMENT_STATUSES)
)
def test_state_is_the_stored_status_except_an_open_one_past_due_is_late(due, offset, status):
    today = due + dt.timedelta(days=offset)
    item = made(due, status)
    got = reviews.state(item, today)
    if status == "open" and offset > 0:
        assert got == "late" and reviews.days_late(item, today) == offset
    else:
        assert got == status and reviews.days_late(item, today) == 0
    assert got in reviews.STATE_LABELS


@given(due=month_ends, status=st.sampled_from(reviews.COMMITMENT_STATUSES))
def test_a_commitment_due_on_a_month_end_turns_late_on_the_next_months_first_day(due, status):
    first = calendar.next_month_start(due)
    assert calendar.jalali_month_of(first) != calendar.jalali_month_of(due)
    assert reviews.state(made(due, status), due) == status
    assert reviews.is_late(made(due, status), first) == (status == "open")


def test_overdue_lists_only_late_ones_longest_overdue_first():
    today = FARVARDIN_1_1404
    items = [
        made(jalali(1403, 12, 1), id=1),
        made(jalali(1403, 11, 1), id=2),
        made(jalali(1403, 11, 1), "done", id=3),
        made(ESFAND_30_1403 + dt.timedelta(days=1), id=4),
        made(jalali(1403, 10, 1), "dropped", id=5),
    ]
    assert [c.id for c in reviews.overdue(items, today)] == [2, 1]


def test_the_follow_up_holds_the_last_meetings_commitments_and_every_other_open_one_late_first():
    meeting = Meeting(id=7, district=10, planned_on=jalali(1404, 6, 10), status="held", held_on=jalali(1404, 6, 10))
    today = jalali(1404, 7, 20)
    items = [
        made(jalali(1404, 8, 1), id=1, meeting_id=7, made_on=jalali(1404, 6, 10)),  # open
        made(jalali(1404, 7, 1), "done", id=2, meeting_id=7, made_on=jalali(1404, 6, 10)),  # closed at the last meeting
        made(jalali(1404, 7, 5), id=3, made_on=jalali(1404, 5, 1)),  # an older one still open, now late
        made(jalali(1404, 7, 5), "done", id=4, made_on=jalali(1404, 5, 1)),  # an older one done: not listed
        made(jalali(1404, 9, 5), id=5, made_on=jalali(1404, 8, 2)),  # made after the pack's month
    ]
    got = reviews.follow_up(items, meeting, until=Period.month(1404, 7).end, today=today)
    assert [c.id for c in got] == [3, 1, 2]
    assert reviews.follow_up(items, None, until=Period.month(1404, 7).end, today=today)[0].id == 3


def test_the_last_held_meeting_before_a_day_skips_planned_and_cancelled_ones():
    ms = [
        Meeting(1, 10, jalali(1404, 5, 2), "held", jalali(1404, 5, 3)),
        Meeting(2, 10, jalali(1404, 6, 2), "cancelled"),
        Meeting(3, 10, jalali(1404, 7, 2), "planned"),
        Meeting(4, 10, jalali(1404, 7, 9), "held", jalali(1404, 7, 9)),
    ]
    assert reviews.last_held(ms, jalali(1404, 7, 1)).id == 1
    assert reviews.last_held(ms, jalali(1404, 8, 1)).id == 4
    assert reviews.last_held(ms, jalali(1404, 5, 3)) is None


# ---------------------------------------------------------------- did the metric move


def monthly(rows: list[tuple[str, int, tuple[int, int], float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(m, d, calendar.month_start(*ym), v) for m, d, ym, v in rows],
        columns=["metric", "district", "period", "value"],
    )


def test_a_metric_moved_like_for_like_from_the_month_before_the_commitment_to_the_last_month_ended():
    item = made(jalali(1404, 9, 1), made_on=jalali(1404, 7, 10), metric="response_time_137_hours")
    data = monthly(
        [
            ("response_time_137_hours", 10, (1404, 6), 40.0),
            ("response_time_137_hours", 10, (1404, 8), 30.0),
            ("response_time_137_hours", 11, (1404, 8), 99.0),  # another district
        ]
    )
    got = reviews.movement(item, data, catalog(), today=jalali(1404, 9, 3))
    assert got is not None and got.before == Period.month(1404, 6) and got.after == Period.month(1404, 8)
    assert got.change == pytest.approx(-0.25) and got.better is True  # lower is better for a response time
    expected = figures.district_changes(data[data["district"] == 10], catalog(), got.after, got.before)
    assert got.value == expected.iloc[0]["value"] and got.base == expected.iloc[0]["base"]


def test_no_movement_without_a_metric_before_a_month_has_ended_or_without_both_months():
    data = monthly([("news_published", 10, (1404, 6), 10.0), ("news_published", 10, (1404, 7), 12.0)])
    item = made(jalali(1404, 9, 1), made_on=jalali(1404, 7, 10), metric="news_published")
    assert reviews.movement(item, data, catalog(), today=jalali(1404, 7, 29)) is None  # Mehr not ended
    assert reviews.movement(item, data, catalog(), today=jalali(1404, 9, 1)) is None  # Aban not reported
    assert reviews.movement(item, data, catalog(), today=jalali(1404, 8, 1)).better is True
    assert (
        reviews.movement(made(jalali(1404, 9, 1), made_on=jalali(1404, 7, 10)), data, catalog(), jalali(1404, 8, 1))
        is None
    )


@given(made_on=days, later=st.integers(0, 400))
def test_the_months_compared_end_before_the_commitment_and_by_today(made_on, later):
    today = made_on + dt.timedelta(days=later)
    months = reviews.movement_months(made(made_on + dt.timedelta(days=30), made_on=made_on), today)
    if months is None:
        assert calendar.last_complete_month(today) < calendar.jalali_month_of(made_on)
        return
    before, after = months
    assert before.end <= made_on < after.end <= today
    assert before.end > made_on - dt.timedelta(days=32)


# ---------------------------------------------------------------- the calendar


@given(year=st.integers(1399, 1406), month=st.integers(1, 12), taken=st.sets(st.integers(1, 22), max_size=22))
def test_the_monthly_cycle_gives_every_district_not_yet_planned_one_working_day_of_the_month(year, month, taken):
    plan = reviews.plan_month(year, month, list(range(1, 23)), taken)
    assert [d for d, _ in plan] == [d for d in range(1, 23) if d not in taken]
    period = Period.month(year, month)
    assert all(period.start <= day < period.end and day.weekday() != reviews.WEEKEND for _, day in plan)
    assert len({day for _, day in plan}) == len(plan)  # 22 districts fit in a month's working days


@given(today=st.one_of(days, month_ends), months=st.integers(1, 24))
def test_the_review_cutoff_is_the_same_jalali_day_months_back_or_that_months_last_day(today, months):
    cutoff = reviews.review_cutoff(today, months)
    j_today, j_cut = jdatetime.date.fromgregorian(date=today), jdatetime.date.fromgregorian(date=cutoff)
    assert (j_cut.year * 12 + j_cut.month) - (j_today.year * 12 + j_today.month) == -months
    assert j_cut.day == j_today.day or (
        j_cut.day < j_today.day and calendar.next_month_start(cutoff) == cutoff + dt.timedelta(days=1)
    )


def test_esfand_30_of_1403_less_twelve_months_is_esfand_29_of_1402():
    assert reviews.review_cutoff(ESFAND_30_1403, 12) == jalali(1402, 12, 29)
    assert reviews.review_cutoff(jalali(1404, 1, 30), 1) == ESFAND_30_1403


@given(today=days, months=st.integers(1, 12), offsets=st.dictionaries(st.integers(1, 22), st.integers(0, 800)))
def test_a_district_is_flagged_when_never_reviewed_or_last_reviewed_before_the_cutoff(today, months, offsets):
    last = {d: today - dt.timedelta(days=o) for d, o in offsets.items()}
    cutoff = reviews.review_cutoff(today, months)
    flagged = {g.district: g.last for g in reviews.unreviewed(last, range(1, 23), months, today)}
    assert set(flagged) == {d for d in range(1, 23) if d not in last or last[d] < cutoff}
    assert all(flagged[d] == last.get(d) for d in flagged)
    order = reviews.unreviewed(last, range(1, 23), months, today)
    assert [g.last is None for g in order] == sorted((g.last is None for g in order), reverse=True)


def test_late_turns_at_midnight_in_tehran_not_in_utc(monkeypatch):
    due = jalali(1404, 7, 30)
    item = made(due)
    before = dt.datetime.combine(due, dt.time(20, 0), tzinfo=dt.UTC)  # 23:30 in Tehran, the due day
    after = dt.datetime.combine(due, dt.time(20, 31), tzinfo=dt.UTC)  # 00:01 in Tehran, Aban 1st
    assert reviews.state(item, calendar.today_in_tehran(before)) == "open"
    assert reviews.state(item, calendar.today_in_tehran(after)) == "late"
    # without a day given, the rule asks Tehran's clock
    monkeypatch.setattr(calendar, "today_in_tehran", lambda now=None: jalali(1404, 8, 1))
    assert reviews.state(item) == "late" and reviews.days_late(item) == 1


# ---------------------------------------------------------------- coverage counts typed on a form


def test_a_count_is_read_in_persian_or_latin_digits_with_grouping_or_left_unknown():
    assert reviews.parse_count("۱۲", "خبر", "news items") == (12, None)
    assert reviews.parse_count(" 1,200 ", "خبر", "news items") == (1200, None)
    assert reviews.parse_count("۱٬۲۰۰", "خبر", "news items") == (1200, None)
    assert reviews.parse_count("", "خبر", "news items") == (None, None)
    assert reviews.parse_count(None, "خبر", "news items") == (None, None)


@pytest.mark.parametrize("typed", ["-3", "۲٫۵", "2.5", "ده", "12a", "1e3"])
def test_anything_but_a_whole_count_is_refused_naming_the_field_in_both_languages(typed):
    value, reason = reviews.parse_count(typed, "خبر", "news items")
    assert value is None and reason is not None
    assert "«خبر»" in reason.fa and reason.en.startswith("news items:")


@given(n=st.integers(0, 10**9 - 1))
def test_a_count_written_in_persian_digits_with_grouping_reads_back(n):
    written = calendar.format_number(n)  # Persian digits, «٬» between thousands
    assert reviews.parse_count(written, "خبر", "news items") == (n, None)

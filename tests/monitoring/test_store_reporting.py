"""The store's reporting record (``store.reporting_record``) on SQLite and PostgreSQL: what each
district-month holds now and when batches first and last brought it, in two GROUP BY statements."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_loaders import sample
from monitoring import calendar, compliance, store
from monitoring.store import queries
from tests.conftest import SAMPLE_TODAY

TEHRAN = calendar.TEHRAN
ESFAND_1403 = calendar.month_start(1403, 12)
FARVARDIN_1404 = calendar.month_start(1404, 1)
BAHMAN_1403 = calendar.month_start(1403, 11)


def rows(*items):
    return pd.DataFrame(items, columns=["district", "metric", "period", "value"])


def write(engine, df, loaded_at, name="test.csv"):
    return store.write_batch(engine, df, store.BatchInfo(name, "0" * 64, len(df), 0, "tester", loaded_at=loaded_at))


def exercise_reporting_record(engine):
    first = dt.datetime(2025, 3, 24, 10, 0, tzinfo=TEHRAN)  # 4 Farvardin 1404: before Esfand's due day
    correction = dt.datetime(2025, 4, 10, 9, 30, tzinfo=TEHRAN)
    write(
        engine,
        rows(
            (1, "reports_submitted", ESFAND_1403, 10.0),
            (1, "news_published", ESFAND_1403, 4.0),
            (2, "reports_submitted", ESFAND_1403, 7.0),
            (1, "reports_submitted", BAHMAN_1403, 9.0),
            (3, "reports_submitted", FARVARDIN_1404, 1.0),  # outside the span asked for
        ),
        first,
    )
    # a correction: district 1 changes a value, district 2 sends the metric it had left out
    write(
        engine,
        rows((1, "reports_submitted", ESFAND_1403, 11.0), (2, "news_published", ESFAND_1403, 3.0)),
        correction,
        "fix.csv",
    )
    got = store.reporting_record(engine, BAHMAN_1403, FARVARDIN_1404)
    assert list(got.columns) == ["district", "period", "metrics", "first_loaded_at", "last_loaded_at"]
    assert [(d, p) for d, p in zip(got["district"], got["period"], strict=True)] == [
        (1, BAHMAN_1403),
        (1, ESFAND_1403),
        (2, ESFAND_1403),
    ]
    by = got.set_index(["district", "period"])
    assert by.loc[(1, ESFAND_1403), "metrics"] == 2 and by.loc[(2, ESFAND_1403), "metrics"] == 2
    # the correction moves the last load, never the first
    assert by.loc[(1, ESFAND_1403), "first_loaded_at"] == pd.Timestamp(first)
    assert by.loc[(1, ESFAND_1403), "last_loaded_at"] == pd.Timestamp(correction)
    assert by.loc[(2, ESFAND_1403), "first_loaded_at"] == pd.Timestamp(first)
    assert by.loc[(1, BAHMAN_1403), "last_loaded_at"] == pd.Timestamp(first)
    assert str(got["first_loaded_at"].dt.tz) == "UTC"
    # and so the first report decides: on time, though the correction came after the due day
    states = compliance.month_states(got, [1, 2], [(1403, 12)], expected=2, today=dt.date(2025, 5, 1))
    assert states["state"].tolist() == [compliance.ON_TIME, compliance.ON_TIME]
    assert store.reporting_record(engine, dt.date(2020, 3, 20), dt.date(2020, 4, 20)).empty


def test_reporting_record_on_sqlite(engine):
    exercise_reporting_record(engine)


@pytest.mark.postgres
def test_reporting_record_on_postgresql(pg_engine):
    exercise_reporting_record(pg_engine)


def test_a_batch_without_a_load_time_is_stamped_now(engine):
    before = dt.datetime.now(dt.UTC)
    write(engine, rows((1, "reports_submitted", ESFAND_1403, 1.0)), None)
    got = store.reporting_record(engine, ESFAND_1403, FARVARDIN_1404)
    assert before - dt.timedelta(seconds=1) <= got["first_loaded_at"].iloc[0] <= dt.datetime.now(dt.UTC)


def test_reporting_record_runs_two_statements_whatever_the_span(sample_engine, monkeypatch):
    calls: list[str] = []
    original = queries._frame

    def counting(engine, name, *args, **kwargs):
        calls.append(name)
        return original(engine, name, *args, **kwargs)

    monkeypatch.setattr(queries, "_frame", counting)
    year = store.reporting_record(sample_engine, calendar.month_start(1404, 9), calendar.month_start(1405, 9))
    assert len(calls) == 2
    everything = store.reporting_record(sample_engine, calendar.month_start(1401, 1), calendar.month_start(1405, 9))
    assert len(calls) == 4
    assert len(year) <= 22 * 12 and len(everything) > 22 * 12 * 4


def test_the_sample_history_has_on_time_late_partial_and_missing_reports(sample_engine):
    months = compliance.window((1405, 8))
    start, end = calendar.month_start(*months[0]), calendar.month_start(1405, 9)
    record = store.reporting_record(sample_engine, start, end)
    states = compliance.month_states(record, range(1, 23), months, 16, SAMPLE_TODAY)
    counts = states["state"].value_counts()
    assert counts[compliance.ON_TIME] > 22 * 12 * 0.7  # most districts report on time
    assert 5 <= counts[compliance.LATE] <= 40 and 3 <= counts[compliance.PARTIAL] <= 40
    # on 5 Azar 1405 Aban is due today: its three absent districts are not yet overdue
    aban = states[(states["year"] == 1405) & (states["month"] == 8)]
    assert (aban["state"] == compliance.NOT_DUE).sum() == 3
    # one of them has not sent Mehr either, 30 days past its due date
    late = compliance.overdue(states)
    assert len(late) == 1 and (late["month"].iloc[0], late["days_overdue"].iloc[0]) == (7, 30)
    assert late["district"].iloc[0] in set(aban.loc[aban["state"] == compliance.NOT_DUE, "district"])
    # every stored load time lies before the sample's today (noon in Tehran)
    assert record["last_loaded_at"].max() <= pd.Timestamp(dt.datetime.combine(SAMPLE_TODAY, dt.time(12), TEHRAN))


def test_the_sample_history_is_deterministic_and_holds_every_generated_row_but_the_held_back_month():
    generated = sample.generate(SAMPLE_TODAY)
    first, second = sample.history(generated, SAMPLE_TODAY), sample.history(generated, SAMPLE_TODAY)
    assert [(len(p), t, n) for p, t, n in first] == [(len(p), t, n) for p, t, n in second]
    loaded = pd.concat([p for p, _, _ in first])
    assert not loaded.duplicated(["district", "metric", "period"]).any()
    assert 0 < len(generated) - len(loaded) <= 16  # one district's month, not yet sent
    assert [t for _, t, _ in first] == sorted(t for _, t, _ in first)


def exercise_last_news(engine):
    first = dt.datetime(2025, 3, 24, 10, 0, tzinfo=TEHRAN)
    again = dt.datetime(2025, 5, 1, 9, 0, tzinfo=TEHRAN)
    changed = dt.datetime(2025, 6, 1, 9, 0, tzinfo=TEHRAN)
    original = rows((1, "reports_submitted", BAHMAN_1403, 9.0), (2, "reports_submitted", BAHMAN_1403, 5.0))
    write(engine, original, first)
    # an old month loaded again with every value unchanged brings nothing new
    write(engine, original, again, "again.csv")
    news = store.last_news(engine).set_index("district")["last_changed_at"]
    assert calendar.tehran_date(news[1]) == first.date() and calendar.tehran_date(news[2]) == first.date()
    # a corrected value for district 2 in an old month is news for district 2 only
    fixed = write(engine, rows((2, "reports_submitted", BAHMAN_1403, 6.0)), changed, "fix.csv")
    news = store.last_news(engine).set_index("district")["last_changed_at"]
    assert calendar.tehran_date(news[1]) == first.date() and calendar.tehran_date(news[2]) == changed.date()
    # rolled back, it is news no more
    store.rollback_batch(engine, fixed, "tester")
    news = store.last_news(engine).set_index("district")["last_changed_at"]
    assert calendar.tehran_date(news[2]) == first.date()
    # the reporting table counts its days from it, whatever months it shows
    states = compliance.month_states(
        store.reporting_record(engine, FARVARDIN_1404, calendar.month_start(1404, 2)),
        [1, 2, 3],
        [(1404, 1)],
        2,
        dt.date(2025, 6, 11),
    )
    summary = compliance.district_summary(states, dt.date(2025, 6, 11), store.last_news(engine)).set_index("district")
    assert summary.loc[1, "days_since"] == (dt.date(2025, 6, 11) - first.date()).days
    assert pd.isna(summary.loc[3, "days_since"])


def test_last_news_counts_only_batches_that_brought_a_new_or_changed_value(engine):
    exercise_last_news(engine)


@pytest.mark.postgres
def test_last_news_on_postgresql(pg_engine):
    exercise_last_news(pg_engine)


def test_a_season_or_year_shows_its_own_months_and_a_month_the_twelve_before_it():
    today = dt.date(2026, 12, 4)  # 13 Azar 1405
    autumn = compliance.months_shown(calendar.Period.season(1405, 3), today)
    assert autumn == [(1405, 7), (1405, 8), (1405, 9)]
    states = compliance.month_states(pd.DataFrame(), [1], autumn, 3, today)
    # Mehr and Aban are past their due dates (5 Aban, 5 Azar); Azar is still running
    assert states["state"].tolist() == [compliance.MISSING, compliance.MISSING, compliance.NOT_DUE]
    assert len(compliance.months_shown(calendar.Period.whole_year(1405), today)) == 12
    assert compliance.months_shown(calendar.Period.month(1405, 8), today)[-1] == (1405, 8)
    assert len(compliance.months_shown(calendar.Period.month(1405, 8), today)) == 12

"""The store's reads for alerts: every observation of a span, and the targets, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from monitoring import store
from monitoring.calendar import Period
from monitoring.store.schema import batches, observations, submissions

MEHR, ABAN, AZAR = Period.month(1404, 7), Period.month(1404, 8), Period.month(1404, 9)


def frame(*items) -> pd.DataFrame:
    return pd.DataFrame(items, columns=["district", "metric", "period", "value"])


def info(name: str, n: int) -> store.BatchInfo:
    return store.BatchInfo(name, "0" * 64, n, 0, "tester")


def test_district_month_values_returns_every_observation_of_the_span_and_no_other(any_engine):
    rows = frame(
        (1, "news_published", MEHR.start, 5.0),
        (2, "news_published", ABAN.start, 6.0),
        (2, "citizen_satisfaction", ABAN.start, 14.5),
        (3, "news_published", AZAR.start, 7.0),
    )
    store.write_batch(any_engine, rows, info("figures.csv", 4))
    got = store.district_month_values(any_engine, MEHR.start, AZAR.start)  # the end is excluded
    assert list(got.columns) == ["metric", "district", "period", "value"]
    assert sorted(map(tuple, got.itertuples(index=False))) == [
        ("citizen_satisfaction", 2, ABAN.start, 14.5),
        ("news_published", 1, MEHR.start, 5.0),
        ("news_published", 2, ABAN.start, 6.0),
    ]
    assert all(type(p) is dt.date for p in got["period"])
    assert store.district_month_values(any_engine, Period.month(1403, 1).start, Period.month(1403, 2).start).empty


def test_targets_are_one_batch_read_back_by_span_with_the_city_as_district_zero(any_engine):
    rows = frame(
        (0, "news_published", MEHR.start, 500.0),
        (7, "news_published", MEHR.start, 40.0),
        (7, "response_time_137_hours", ABAN.start, 24.0),
        (7, "news_published", AZAR.start, 41.0),
    )
    batch = store.write_targets(any_engine, rows, info("targets.csv", 4))
    assert store.data_version(any_engine) == batch  # a page's caches notice new targets
    got = store.targets(any_engine, MEHR.start, AZAR.start)
    assert list(got.columns) == ["metric", "district", "period", "value"]
    assert got.values.tolist() == [
        ["news_published", 0, MEHR.start, 500.0],
        ["news_published", 7, MEHR.start, 40.0],
        ["response_time_137_hours", 7, ABAN.start, 24.0],
    ]
    with any_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(submissions)).scalar_one() == 0  # targets are no report
        assert conn.execute(select(batches.c.rows_loaded).where(batches.c.id == batch)).scalar_one() == 4


def test_a_later_target_for_the_same_month_replaces_the_earlier(any_engine):
    store.write_targets(any_engine, frame((7, "news_published", MEHR.start, 40.0)), info("a.csv", 1))
    store.write_targets(any_engine, frame((7, "news_published", MEHR.start, 45.0)), info("b.csv", 1))
    assert store.targets(any_engine, MEHR.start, MEHR.end)["value"].tolist() == [45.0]


def test_targets_of_an_unknown_metric_store_nothing_not_even_the_batch(any_engine):
    before = store.data_version(any_engine)
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error, per driver
        store.write_targets(
            any_engine,
            frame((7, "news_published", MEHR.start, 40.0), (7, "no_such_metric", MEHR.start, 1.0)),
            info("bad.csv", 2),
        )
    assert store.data_version(any_engine) == before
    assert store.targets(any_engine, MEHR.start, MEHR.end).empty

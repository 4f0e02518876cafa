import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import inspect, text

from data_loaders import sample
from monitoring import store
from monitoring.calendar import Period

MEHR_1404 = Period.month(1404, 7)
ABAN_1404 = Period.month(1404, 8)


def rows(*items):
    return pd.DataFrame(items, columns=["district", "metric", "period", "value"])


def write(engine, df, name="test.csv"):
    return store.write_batch(engine, df, store.BatchInfo(name, "0" * 64, len(df), 0, "tester"))


def exercise_store(engine):
    assert store.is_empty(engine) and store.data_version(engine) == 0
    v1 = write(
        engine,
        rows(
            (1, "reports_submitted", MEHR_1404.start, 10.0),
            (2, "reports_submitted", MEHR_1404.start, 30.0),
            (1, "reports_submitted", ABAN_1404.start, 5.0),
            (1, "citizen_satisfaction", MEHR_1404.start, 14.0),
            (2, "citizen_satisfaction", MEHR_1404.start, 16.0),
        ),
    )
    assert store.data_version(engine) == v1
    season = Period.season(1404, 3)
    got = store.district_values(engine, "reports_submitted", "sum", season.start, season.end)
    assert dict(zip(got["district"], got["value"], strict=True)) == {1: 15.0, 2: 30.0}
    assert dict(zip(got["district"], got["months"], strict=True)) == {1: 2, 2: 1}
    mean = store.district_values(engine, "citizen_satisfaction", "mean", season.start, season.end)
    assert sorted(mean["value"]) == [14.0, 16.0]
    series = store.city_series(engine, "reports_submitted", "sum", season.start, season.end)
    assert series["period"].tolist() == [MEHR_1404.start, ABAN_1404.start]
    assert series["value"].tolist() == [40.0, 5.0] and series["districts"].tolist() == [2, 1]
    by_metric = store.city_by_metric(engine, MEHR_1404.start, MEHR_1404.end).set_index("metric")
    assert by_metric.loc["reports_submitted", "total"] == 40.0
    assert by_metric.loc["citizen_satisfaction", "mean"] == 15.0
    assert store.period_range(engine) == (MEHR_1404.start, ABAN_1404.start)
    per = store.metric_district_values(engine, season.start, season.end).set_index(["metric", "district"])
    assert per.loc[("reports_submitted", 1), "total"] == 15.0 and per.loc[("reports_submitted", 1), "months"] == 2
    assert len(per) == 4
    assert store.reference_districts(engine)["district"].tolist() == list(range(1, 23))

    # a later batch replaces the value for the same district, metric and month
    v2 = write(engine, rows((1, "reports_submitted", MEHR_1404.start, 11.0)), "fix.csv")
    assert v2 > v1 and store.data_version(engine) == v2
    got = store.district_values(engine, "reports_submitted", "sum", MEHR_1404.start, MEHR_1404.end)
    assert dict(zip(got["district"], got["value"], strict=True)) == {1: 11.0, 2: 30.0}
    latest = store.latest_batch(engine)
    assert latest["source_name"] == "fix.csv" and latest["loaded_at"].tzinfo is not None


def test_store_round_trip_on_sqlite(engine):
    exercise_store(engine)


@pytest.mark.postgres
def test_store_round_trip_on_postgresql(pg_engine):
    exercise_store(pg_engine)


def test_a_failing_batch_leaves_nothing_behind(engine):
    bad = rows((1, "reports_submitted", MEHR_1404.start, 1.0), (99, "reports_submitted", MEHR_1404.start, 1.0))
    with pytest.raises(Exception):  # noqa: B017 - district 99 breaks the foreign key
        write(engine, bad)
    assert store.is_empty(engine) and store.data_version(engine) == 0


def test_migrations_create_the_tables_and_indexes_and_can_run_twice(engine):
    store.ensure_ready(engine)
    insp = inspect(engine)
    assert {"districts", "metrics", "batches", "observations", "alembic_version"} <= set(insp.get_table_names())
    assert {"ix_observations_period_metric", "ix_observations_batch"} <= {
        i["name"] for i in insp.get_indexes("observations")
    }
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from districts")).scalar_one() == 22
        assert conn.execute(text("select count(*) from metrics")).scalar_one() == 16


def test_sample_data_covers_every_district_and_metric_with_realistic_gaps():
    today = dt.date(2026, 11, 26)
    df = sample.generate(today)
    assert df["district"].nunique() == 22 and df["metric"].nunique() == 16
    assert df["period"].min() == dt.date(2022, 3, 21)  # 1 Farvardin 1401
    latest = df["period"].max()
    assert latest == Period.month(1405, 8).start
    assert df.loc[df["period"] == latest, "district"].nunique() < 22  # someone is late
    assert not df.duplicated(["district", "metric", "period"]).any()
    assert sample.generate(today).equals(df)  # deterministic
    # counts grow with population: district 4 (917k) reports more than district 22 (182k)
    news = df[df["metric"] == "news_published"].groupby("district")["value"].mean()
    assert news[4] > news[22]
    # Nowruz dip: Farvardin is quieter than Ordibehesht
    s = df[df["metric"] == "social_posts"].copy()
    s["month"] = [p.month for p in map(lambda d: __import__("jdatetime").date.fromgregorian(date=d), s["period"])]
    by_month = s.groupby("month")["value"].mean()
    assert by_month[1] < 0.8 * by_month[2]


def test_first_start_loads_the_sample_once(engine):
    assert sample.load_sample_if_empty(engine) is not None
    assert not store.is_empty(engine)
    assert sample.load_sample_if_empty(engine) is None


def big_batch_reports_progress_and_stores_every_row(engine, monkeypatch):
    monkeypatch.setattr("monitoring.store.writes.CHUNK", 5_000)
    df = sample.generate(dt.date(2026, 11, 26)).head(15_000)
    calls = []
    store.write_batch(
        engine, df, store.BatchInfo("big.csv", "0" * 64, len(df), 0, "t"), lambda d, t: calls.append((d, t))
    )
    assert calls == [(5_000, 15_000), (10_000, 15_000), (15_000, 15_000)]
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from observations")).scalar_one() == 15_000
    month = Period.month(1403, 7)
    got = store.district_values(engine, "news_published", "sum", month.start, month.end).set_index("district")
    want = df[(df["metric"] == "news_published") & (df["period"] == month.start)].set_index("district")["value"]
    assert got["value"].sort_index().tolist() == want.sort_index().tolist()


def test_a_big_batch_is_staged_in_chunks_on_sqlite(engine, monkeypatch):
    big_batch_reports_progress_and_stores_every_row(engine, monkeypatch)


@pytest.mark.postgres
def test_a_big_batch_is_copied_in_chunks_on_postgresql(pg_engine, monkeypatch):
    big_batch_reports_progress_and_stores_every_row(pg_engine, monkeypatch)


def test_write_metrics_adds_a_metric_definition(engine):
    from monitoring.metrics import Metric

    extra = Metric("extra_metric", "شاخص اضافه", "Extra", "مورد", "sum", "higher", 0, True)
    store.write_metrics(engine, [extra])
    with engine.connect() as conn:
        assert conn.execute(text("select name_fa from metrics where code='extra_metric'")).scalar_one() == "شاخص اضافه"


@pytest.mark.postgres
def test_replicas_starting_together_load_the_sample_once(pg_engine):
    import threading

    results = []
    engines = [store.make_engine(pg_engine.url.render_as_string(hide_password=False)) for _ in range(3)]
    threads = [threading.Thread(target=lambda e=e: results.append(sample.load_sample_if_empty(e))) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r is not None for r in results) == [False, False, True]
    with pg_engine.connect() as conn:  # the sample is its month-by-month history: each batch's name once
        loaded, names = conn.execute(text("select count(*), count(distinct source_name) from batches")).one()
    assert loaded == names > 1
    for e in engines:
        e.dispose()


@pytest.fixture
def blank_pg_url():
    """The address of a new, empty PostgreSQL database (nothing migrated), dropped afterwards."""
    from tests.conftest import scratch_postgres_database

    with scratch_postgres_database("dash_blank") as url:
        yield url


REPLICAS_AT_ONCE = 8


@pytest.mark.postgres
@pytest.mark.parametrize("migrated_first", [False, True], ids=["blank", "migrated"])
def test_replicas_preparing_an_empty_database_at_once_all_succeed(blank_pg_url, migrated_first):
    """Replicas (separate processes, as in production) started together all migrate and seed one
    empty database: none fails on a row another one wrote first, and each seed row is there once."""
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from monitoring import store\n"
        "engine = store.make_engine(sys.argv[1])\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"  # all start at the same instant
        "store.ensure_ready(engine)\n"
    )
    import time

    engine = store.make_engine(blank_pg_url)
    if migrated_first:  # the schema there, the seed not yet: the replicas meet on the seed's rows
        store.migrate(engine)
    at = str(time.time() + 4.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, blank_pg_url, at], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(REPLICAS_AT_ONCE)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [code for code, _ in outcomes] == [0] * REPLICAS_AT_ONCE, "\n".join(err for _, err in outcomes)
    with engine.connect() as conn:
        types, distinct_types = conn.execute(text("select count(*), count(distinct word_key) from event_types")).one()
        districts_stored = conn.execute(text("select count(*) from districts")).scalar_one()
    engine.dispose()
    assert types == distinct_types > 0
    assert districts_stored == 22


def district_months_month_by_month(engine):
    write(
        engine,
        rows(
            (1, "reports_submitted", MEHR_1404.start, 10.0),
            (2, "reports_submitted", MEHR_1404.start, 30.0),
            (1, "reports_submitted", ABAN_1404.start, 5.0),
            (1, "citizen_satisfaction", MEHR_1404.start, 14.0),
        ),
    )
    got = store.district_months(engine, "reports_submitted", MEHR_1404.start, ABAN_1404.end)
    assert list(got.itertuples(index=False, name=None)) == [
        (1, MEHR_1404.start, 10.0),
        (2, MEHR_1404.start, 30.0),
        (1, ABAN_1404.start, 5.0),
    ]  # district 2 did not report Aban: no row, never a zero
    assert store.district_months(engine, "reports_submitted", ABAN_1404.start, ABAN_1404.end)["district"].tolist() == [
        1
    ]
    assert store.district_months(engine, "news_published", MEHR_1404.start, ABAN_1404.end).empty


def test_district_months_returns_one_row_a_reported_district_month_on_sqlite(engine):
    district_months_month_by_month(engine)


@pytest.mark.postgres
def test_district_months_returns_one_row_a_reported_district_month_on_postgresql(pg_engine):
    district_months_month_by_month(pg_engine)

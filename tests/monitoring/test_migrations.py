"""Migrations bring a store that already holds data up to date without losing any of it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

from monitoring import metrics, store
from tests.conftest import scratch_postgres_database

MEHR_1404 = dt.date(2025, 9, 23)


@pytest.fixture
def blank_sqlite(tmp_path):
    eng = store.make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    yield eng
    eng.dispose()


@pytest.fixture
def blank_postgres():
    """An empty PostgreSQL database: no tables, no revision."""
    with scratch_postgres_database("dash_mig") as url:
        eng = store.make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_engine(request):
    return request.getfixturevalue("blank_sqlite" if request.param == "sqlite" else "blank_postgres")


def fill_as_at_0001(engine) -> None:
    """Districts, two metrics, a batch and observations, written as revision 0001 stored them."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO districts (district, name_fa, name_en, population, area_km2, tile_row, tile_col) "
                "VALUES (1, 'منطقه ۱', 'District 1', 493889, 46.2, 0, 3), (2, 'منطقه ۲', 'District 2', 692579, 46.7, 1, 2)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO metrics (code, name_fa, name_en, unit_fa, aggregation, direction, decimals, per_capita) "
                "VALUES ('reports_submitted', 'گزارش‌های ارسالی به مرکز', 'Reports', 'گزارش', 'sum', 'higher', 0, 1), "
                "('citizen_satisfaction', 'رضایت شهروندان (از ۲۰)', 'Satisfaction', 'از ۲۰', 'mean', 'higher', 2, 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO batches (id, source_name, sha256, rows_read, rows_loaded, rows_rejected, loaded_by, "
                "loaded_at) VALUES (1, 'old.csv', :sha, 3, 3, 0, 'tester', :at)"
            ),
            {"sha": "0" * 64, "at": dt.datetime(2025, 10, 1, tzinfo=dt.UTC)},
        )
        conn.execute(
            text("INSERT INTO observations (metric, period, district, value, batch_id) VALUES (:m, :p, :d, :v, 1)"),
            [
                {"m": "reports_submitted", "p": MEHR_1404, "d": 1, "v": 10.0},
                {"m": "reports_submitted", "p": MEHR_1404, "d": 2, "v": 30.0},
                {"m": "citizen_satisfaction", "p": MEHR_1404, "d": 1, "v": 14.5},
            ],
        )


def test_a_store_at_revision_0001_holding_data_is_upgraded_without_losing_it(blank_engine):
    store.migrate(blank_engine, "0001")
    assert "sort_order" not in {c["name"] for c in inspect(blank_engine).get_columns("metrics")}
    fill_as_at_0001(blank_engine)

    store.migrate(blank_engine)

    columns = {c["name"] for c in inspect(blank_engine).get_columns("metrics")}
    assert {"min_value", "max_value", "sort_order"} <= columns
    # the metrics stored before keep their definitions and get no limits; without a place yet, code order
    catalog = store.metric_catalog(blank_engine)
    assert list(catalog) == ["citizen_satisfaction", "reports_submitted"]
    assert catalog["reports_submitted"].name_en == "Reports" and catalog["reports_submitted"].per_capita is True
    assert catalog["citizen_satisfaction"].max_value is None
    # every observation is still there
    got = store.district_values(blank_engine, "reports_submitted", "sum", MEHR_1404, MEHR_1404 + dt.timedelta(days=31))
    assert dict(zip(got["district"], got["value"], strict=True)) == {1: 10.0, 2: 30.0}
    assert store.data_version(blank_engine) == 1


def test_the_seed_written_after_the_upgrade_gives_the_catalog_its_order_and_limits(blank_engine):
    store.migrate(blank_engine, "0001")
    fill_as_at_0001(blank_engine)

    store.ensure_ready(blank_engine)

    assert list(store.metric_catalog(blank_engine).values()) == list(metrics.read_catalog().values())
    assert store.metric_catalog(blank_engine)["citizen_satisfaction"].max_value == 20.0
    with blank_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM observations")).scalar_one() == 3


def test_submissions_keep_the_first_report_of_a_month_after_a_correction(engine):
    import datetime as dt

    import pandas as pd
    from sqlalchemy import text

    rows = pd.DataFrame(
        {
            "district": [1, 1],
            "metric": ["reports_submitted", "news_published"],
            "period": [dt.date(2025, 9, 23)] * 2,
            "value": [3.0, 4.0],
        }
    )
    info = store.BatchInfo("a.csv", "0" * 64, 2, 0, "tester")
    first = store.write_batch(engine, rows, info)
    second = store.write_batch(engine, rows.head(1).assign(value=5.0), info)
    with engine.connect() as conn:
        got = conn.execute(text("SELECT batch_id, district, metrics FROM submissions ORDER BY batch_id")).all()
    assert [tuple(r) for r in got] == [(first, 1, 2), (second, 1, 1)]


def test_revision_0008_marks_the_seeds_public_metrics_and_goes_back_down_cleanly(blank_engine):
    from alembic import command

    from monitoring.store.engine import _alembic_config

    store.migrate(blank_engine, "0007")
    store.seed_reference(blank_engine)  # a catalog as stores at 0007 held it, without the public mark
    store.migrate(blank_engine)
    tables = set(inspect(blank_engine).get_table_names())
    assert {"actions", "meetings", "commitments", "commitment_events"} <= tables
    assert set(store.public_metric_codes(blank_engine)) == {
        "news_published",
        "public_meetings",
        "requests_137_resolved_pct",
        "response_time_137_hours",
        "citizen_satisfaction",
    }
    cfg = _alembic_config()
    with blank_engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0007")
    after = inspect(blank_engine)
    assert not {"actions", "meetings", "commitments", "commitment_events"} & set(after.get_table_names())
    assert "public" not in {c["name"] for c in after.get_columns("metrics")}

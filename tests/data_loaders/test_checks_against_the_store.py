"""The loader checks files against the store's catalog and districts, not the seed files."""

from __future__ import annotations

from sqlalchemy import insert

from data_loaders.files import load_file
from monitoring import districts, metrics, store
from monitoring.metrics import Metric
from monitoring.store.schema import districts as district_table
from tests.data_loaders.helpers import MEHR_1404, TODAY, csv_bytes, stored, xlsx_bytes

# in the store's table only, never in sample_data/metrics.csv
PARKS = Metric("parks_opened", "بوستان‌های افتتاح‌شده", "Parks opened", "بوستان", "sum", "higher", 0, True, 0.0, 5.0)


def load(engine, data: bytes, name: str = "file.csv", **kw):
    return load_file(engine, data, name, today=TODAY, **kw)


def test_a_metric_only_in_the_store_is_accepted_by_the_loader(any_engine):
    assert "parks_opened" not in metrics.read_catalog()
    data = csv_bytes("district,metric,period,value", "3,parks_opened,1404/07,2", "4,بوستان‌های افتتاح‌شده,1404/07,1")
    refused = load(any_engine, data)
    assert refused.batch_id is None and [e.column for e in refused.errors] == ["metric", "metric"]

    store.write_metrics(any_engine, [PARKS])
    result = load(any_engine, data)

    assert result.ok, result.errors
    assert stored(any_engine) == {(3, "parks_opened", MEHR_1404): 2.0, (4, "parks_opened", MEHR_1404): 1.0}


def test_a_wide_file_may_head_a_column_with_a_metric_only_in_the_store(engine):
    store.write_metrics(engine, [PARKS])
    data = xlsx_bytes([["منطقه", "دوره", "بوستان‌های افتتاح‌شده", "news_published"], [7, "1404/07", 3, 12]])
    result = load(engine, data, "wide.xlsx")
    assert result.ok, (result.file_error, result.errors)
    assert stored(engine) == {(7, "parks_opened", MEHR_1404): 3.0, (7, "news_published", MEHR_1404): 12.0}


def test_the_limits_of_a_metric_come_from_the_store(engine):
    store.write_metrics(engine, [PARKS])  # at most 5 parks a month
    result = load(engine, csv_bytes("district,metric,period,value", "3,parks_opened,1404/07,6"))
    assert result.batch_id is None
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]
    assert "above the maximum 5" in str(result.errors[0].reason)


def test_a_district_only_in_the_store_is_accepted_by_the_loader(engine):
    data = csv_bytes("district,metric,period,value", "23,news_published,1404/07,4")
    assert [e.column for e in load(engine, data).errors] == ["district"]
    with engine.begin() as conn:  # a new district, as a future reference might hold
        conn.execute(
            insert(district_table).values(
                district=23,
                name_fa="منطقه ۲۳",
                name_en="District 23",
                population=100,
                area_km2=1.0,
                tile_row=9,
                tile_col=9,
            )
        )
    result = load(engine, data)
    assert result.ok, result.errors
    assert stored(engine) == {(23, "news_published", MEHR_1404): 4.0}


def test_loading_a_file_never_reads_the_seed_files(engine, monkeypatch):
    def no_seed():
        raise AssertionError("the loader read a seed file")

    monkeypatch.setattr(metrics, "catalog", no_seed)
    monkeypatch.setattr(districts, "reference", no_seed)
    result = load(engine, csv_bytes("district,metric,period,value", "1,news_published,1404/07,5"))
    assert result.ok

"""The store is the one source of the metric catalog and the districts; the seed files only fill it."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from monitoring import districts, metrics, store
from monitoring.metrics import CatalogError, Metric

EXTRA = Metric("extra_metric", "شاخص اضافه", "Extra metric", "مورد", "sum", "lower", 1, False, 2.0, 50.0)


def test_catalog_read_back_from_the_store_equals_the_seed_file_field_for_field_and_in_order(any_engine):
    seed = metrics.read_catalog()
    assert any(m.max_value is not None for m in seed.values())  # the limits are part of what is compared
    got = store.metric_catalog(any_engine)
    assert list(got) == list(seed)
    assert list(got.values()) == list(seed.values())  # every field: names, unit, direction, limits...


def test_district_reference_read_back_from_the_store_equals_the_seed_file(any_engine):
    seed = districts.reference().reset_index(drop=True)[districts.COLUMNS]
    got = store.reference_districts(any_engine)
    assert list(got.columns) == districts.COLUMNS
    pd.testing.assert_frame_equal(got, seed, check_dtype=False)


def test_a_metric_written_to_the_store_comes_after_the_catalog_and_keeps_its_place(any_engine):
    store.write_metrics(any_engine, [EXTRA])
    assert list(store.metric_catalog(any_engine))[-1] == "extra_metric"
    assert store.metric_catalog(any_engine)["extra_metric"] == EXTRA

    # a restart writes the seed again: the store-only metric stays, still last
    store.ensure_ready(any_engine)
    catalog = store.metric_catalog(any_engine)
    assert list(catalog) == [*metrics.read_catalog(), "extra_metric"]

    # rewriting a seed metric changes its definition, not its place
    first = next(iter(catalog.values()))
    renamed = Metric(**{**first.__dict__, "name_en": "Reports sent", "max_value": 999.0})
    store.write_metrics(any_engine, [renamed])
    catalog = store.metric_catalog(any_engine)
    assert next(iter(catalog.values())) == renamed


def test_a_metric_whose_persian_name_folds_onto_a_stored_one_is_refused_and_nothing_is_written(engine):
    twin = Metric("reports_twin", "گزارشهاي ارسالی به مرکز", "Twin", "گزارش", "sum", "higher", 0, True)
    with pytest.raises(CatalogError, match="repeats"):
        store.write_metrics(engine, [twin, EXTRA])
    assert "reports_twin" not in store.metric_catalog(engine)
    assert "extra_metric" not in store.metric_catalog(engine)


def test_a_metric_with_an_unknown_aggregation_is_refused(engine):
    odd = Metric("odd_metric", "شاخص عجیب", "Odd", "مورد", "median", "higher", 0, True)  # type: ignore[arg-type]
    with pytest.raises(CatalogError, match="aggregation"):
        store.write_metrics(engine, [odd])


def test_the_metrics_table_is_read_by_the_store_not_the_seed_file(engine, monkeypatch):
    """Once seeded, reading the catalog and districts never goes back to the files."""

    def no_seed():
        raise AssertionError("the seed file was read at run time")

    monkeypatch.setattr(metrics, "catalog", no_seed)
    monkeypatch.setattr(districts, "reference", no_seed)
    with engine.connect() as conn:
        conn.execute(text("UPDATE metrics SET name_en = 'Changed in the store' WHERE code = 'news_published'"))
        conn.commit()
    assert store.metric_catalog(engine)["news_published"].name_en == "Changed in the store"
    assert len(store.reference_districts(engine)) == 22


def test_a_metric_changed_on_the_catalog_page_survives_the_next_start(engine):
    import dataclasses

    catalog = store.metric_catalog(engine)
    changed = dataclasses.replace(catalog["news_published"], name_fa="خبرهای منتشرشده", max_value=5000.0)
    store.write_metrics(engine, [changed], actor="admin")
    store.ensure_ready(engine)  # what every start does: the seed is written again
    again = store.metric_catalog(engine)
    assert again["news_published"].name_fa == "خبرهای منتشرشده" and again["news_published"].max_value == 5000.0
    assert again["citizen_satisfaction"].max_value == 20.0  # the seed's own metrics are still refreshed


def test_a_catalog_change_moves_the_data_version_so_the_pages_read_it(engine):
    import dataclasses

    before = store.data_version(engine)
    metric = store.metric_catalog(engine)["news_published"]
    store.write_metrics(engine, [dataclasses.replace(metric, unit_fa="خبر منتشرشده")], actor="admin")
    assert store.data_version(engine) > before

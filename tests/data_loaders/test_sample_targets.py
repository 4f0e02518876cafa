"""The demo's targets: a demo targets file for the loader, and targets the sample data stores."""

from __future__ import annotations

from sqlalchemy import select

from data_loaders import demo_files, sample
from data_loaders.files import load_file
from monitoring import alerts, store
from monitoring.calendar import Period
from monitoring.store.schema import batches
from tests.data_loaders.helpers import TODAY


def test_the_demo_targets_file_loads_cleanly(engine):
    data = (demo_files.DEMO_DIR / demo_files.TARGETS).read_bytes()
    result = load_file(engine, data, demo_files.TARGETS, today=TODAY)
    assert result.ok and result.kind == "targets" and result.rows_loaded == 60
    got = store.targets(engine, Period.month(1404, 10).start, Period.month(1404, 12).end)
    assert set(got["district"]) == {0, 3, 7, 12, 18} and got["period"].nunique() == 3


def test_the_sample_stores_targets_met_and_missed_for_the_city_and_a_few_districts(sample_engine):
    catalog = store.metric_catalog(sample_engine)
    last = Period.month(1405, 8)  # the sample's last complete month (tests' SAMPLE_TODAY)
    year = store.targets(sample_engine, Period.month(1404, 9).start, last.end)
    assert year["period"].nunique() == 12 and 0 in set(year["district"]) and year["district"].nunique() >= 4
    assert store.targets(sample_engine, Period.month(1404, 8).start, Period.month(1404, 8).end).empty
    lights = set()
    for k in range(12):
        month = Period.month(1405, 8 - k) if k < 8 else Period.month(1404, 20 - k)
        values = store.district_month_values(sample_engine, month.start, month.end)
        goals = store.targets(sample_engine, month.start, month.end)
        lights |= set(alerts.target_attainment(goals, values, catalog)["light"])
    assert {"green", "amber", "red"} <= lights
    with sample_engine.connect() as conn:
        names = conn.execute(select(batches.c.source_name)).scalars().all()
    assert sample.TARGETS_SOURCE_NAME in names

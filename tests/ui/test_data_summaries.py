"""The overview's cached summaries (ui/data.py) say what the domain functions say, and the server's
heap is settled once a process."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
import streamlit as st

from monitoring import alerts, calendar, compliance, figures, overview
from monitoring.calendar import Period
from ui import attention, data

PERIOD = Period.month(1405, 8)  # the sample's last complete month
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def sample_store(sample_db_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_db_path))
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield data.version()
    st.cache_data.clear()
    st.cache_resource.clear()


def _frames(version: int, period: Period):
    return data.metric_district_values(version, period.start, period.end)


def test_city_cards_are_the_cards_built_from_the_three_periods(sample_store):
    version = sample_store
    expected = overview.build_cards(
        data.catalog(version),
        _frames(version, PERIOD),
        data.district_month_values(version, *figures.comparison_span(PERIOD)),
        PERIOD,
        districts_total=len(data.districts(version)),
        today=calendar.today_in_tehran(),
    )
    assert data.city_cards(version, PERIOD) == expected
    assert data.city_cards(version, PERIOD) == expected  # from the cache, the same


def test_reporting_status_counts_overdue_days_from_the_day_given(sample_store):
    version = sample_store
    status = overview.reporting_status(
        data.districts(version), _frames(version, PERIOD), expected=len(data.catalog(version))
    )
    late_day = TODAY + dt.timedelta(days=40)
    expected = compliance.days_overdue(status, PERIOD, 5, late_day)
    cached = data.reporting_status(version, PERIOD, 5, late_day)
    assert cached["days_overdue"].tolist() == list(expected)
    assert cached.drop(columns="days_overdue").equals(status)


def test_overview_attention_is_what_attention_find_finds_over_that_status(sample_store):
    version = sample_store
    status = data.reporting_status(version, PERIOD, 5, TODAY)
    values = data.district_month_values(version, *alerts.alert_span(PERIOD))
    aims = data.targets(version, PERIOD.start, PERIOD.end)
    expected = attention.find(PERIOD, data.catalog(version), data.district_names(version), values, aims, status)
    found = data.overview_attention(version, PERIOD, 5, TODAY)
    assert found.totals == expected.totals
    assert found.items.equals(expected.items)


def test_a_changed_status_mutated_by_a_page_does_not_change_the_cached_one(sample_store):
    version = sample_store
    first = data.reporting_status(version, PERIOD, 5, TODAY)
    first["state"] = "tampered"
    assert "tampered" not in set(data.reporting_status(version, PERIOD, 5, TODAY)["state"])


def test_the_heap_is_settled_once_a_process(monkeypatch):
    monkeypatch.setattr(data, "_heap_settled", type(data._heap_settled)())
    gc.unfreeze()
    try:
        data.settle_heap()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        made_later = [[i] for i in range(1000)]
        data.settle_heap()  # the second call freezes nothing more
        assert gc.get_freeze_count() == frozen
        assert made_later
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("measure", ["raw", "per10k"])
def test_ranked_districts_carry_each_districts_move_since_the_period_before(sample_store, measure):
    from monitoring import rankings

    version = sample_store
    metric = data.catalog(version)["news_published"]
    first = data.period_range(version)[0]
    reference = data.districts(version)
    values = data.district_values(version, metric.code, metric.aggregation, PERIOD.start, PERIOD.end)
    expected = rankings.rank_districts(values, reference, metric, measure, PERIOD.month_count)
    periods = rankings.recent_periods(PERIOD, 12, first=first)
    monthly = data.district_months(version, metric.code, periods[0].start, PERIOD.end)
    before = rankings.previous_ranking(monthly, reference, metric, PERIOD.previous(), measure)
    expected["change"] = rankings.rank_changes(expected, before)
    ranked = data.ranked_districts(version, metric, measure, PERIOD, first)
    assert ranked.equals(expected)
    assert ranked["change"].notna().any()  # the sample's districts do move

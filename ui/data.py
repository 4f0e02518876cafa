"""Cached accessors over the store. Each cache is keyed on the store's data version, so a
new batch shows up on the next rerun without a restart."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_loaders import sample
from monitoring import store
from monitoring.config import settings_from_env


class StoreUnavailable(RuntimeError):
    """The database could not be opened or prepared."""


def engine() -> Engine:
    """One engine per server process and database: migrated, reference written, sample data
    on a first start."""
    settings = settings_from_env()
    return _engine(settings.database_url, settings.load_sample_when_empty)


@st.cache_resource(show_spinner="در حال آماده‌سازی پایگاه داده… / preparing the database…")
def _engine(url: str, load_sample: bool) -> Engine:
    try:
        eng = store.make_engine(url)
        store.ensure_ready(eng)
        if load_sample:
            sample.load_sample_if_empty(eng)
    except Exception as exc:  # shown to the user by the page shell, never as a traceback
        raise StoreUnavailable(store.short_reason(exc)) from exc
    return eng


def version() -> int:
    """The store's data version: one cheap query a rerun."""
    return store.data_version(engine())


@st.cache_data(max_entries=64, show_spinner=False)
def period_range(data_version: int) -> tuple[dt.date, dt.date] | None:
    return store.period_range(engine())


@st.cache_data(max_entries=8, show_spinner=False)
def districts(data_version: int) -> pd.DataFrame:
    return store.reference_districts(engine())


@st.cache_data(max_entries=64, show_spinner=False)
def latest_batch(data_version: int) -> dict | None:
    return store.latest_batch(engine())


@st.cache_data(max_entries=256, show_spinner=False)
def metric_district_values(data_version: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.metric_district_values(engine(), start, end)


@st.cache_data(max_entries=256, show_spinner=False)
def district_values(data_version: int, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.district_values(engine(), metric, aggregation, start, end)


@st.cache_data(max_entries=256, show_spinner=False)
def city_series(data_version: int, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.city_series(engine(), metric, aggregation, start, end)


@st.cache_data(max_entries=16, show_spinner=False)
def batch_history(data_version: int, limit: int = 20) -> pd.DataFrame:
    return store.batch_history(engine(), limit)


NO_DATA = "هنوز داده‌ای بارگذاری نشده است؛ از صفحهٔ «بارگذاری داده» فایلی بارگذاری کنید. / No data yet: load a file."


def bounds_or_stop(data_version: int) -> tuple[dt.date, dt.date]:
    """The first and last month holding data; with none, say so and end the page here."""
    bounds = period_range(data_version)
    if bounds is None:
        st.info(NO_DATA)
        st.stop()
    return bounds

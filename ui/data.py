"""Cached accessors over the store. Each cache is keyed on the store's data version, so a
new batch shows up on the next rerun without a restart. The store is the one source of truth
for the metric catalog and the districts (seeded from ``sample_data/`` when it is created)."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from monitoring import alerts, calendar, compliance, config, figures, logs, overview, rankings, store
from monitoring import district as district_figures
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.text import plain
from ui import attention, load_job, messages

logger = logging.getLogger(__name__)


class StoreUnavailable(RuntimeError):
    """The database could not be opened or prepared (``reference``: where the log has its traceback)."""

    def __init__(self, reason: str, reference: str = "") -> None:
        super().__init__(reason)
        self.reference = reference


# ---------------------------------------------------------------- the one engine of this process
# Not in ``st.cache_resource``: any websocket client may send ``clear_cache``, which empties every
# resource cache; an engine kept there was built again (and migrated) after each such message and the
# old pool's connections were never closed. The registry below lives as long as the process; an engine
# is replaced only when the database's address changes, and the one it replaces is disposed.

RETRY_SECONDS = 3.0  # a store that failed to open is tried again no more often than this


@dataclass(frozen=True)
class _Ready:
    engine: Engine
    sample_failure: str | None


_ready: dict[str, _Ready] = {}
_failed: dict[str, tuple[float, StoreUnavailable]] = {}
_ready_lock = threading.Lock()


def engine() -> Engine:
    """One engine per server process and database: migrated, reference written, sample data
    on a first start. Raises ``StoreUnavailable`` while the database cannot be opened; the next
    call after ``RETRY_SECONDS`` tries again, so the dashboard comes back by itself."""
    settings = config.settings()
    return _prepared(settings.database_url, settings.load_sample_when_empty).engine


def sample_failure() -> str | None:
    """The reference under which a failed first load of the sample data was logged, if it failed."""
    settings = config.settings()
    return _prepared(settings.database_url, settings.load_sample_when_empty).sample_failure


def _prepared(url: str, load_sample: bool) -> _Ready:
    ready = _ready.get(url)
    if ready is not None:
        return ready
    # a first start migrates the store and loads the sample data (several seconds): said, not a blank page
    with (
        st.spinner("پایگاه داده آماده می‌شود (در نخستین اجرا، داده‌های نمونه هم بارگذاری می‌شوند)…"),
        _ready_lock,  # one session prepares the store; the others wait for it, then share it
    ):
        ready = _ready.get(url)
        if ready is not None:
            return ready
        failed = _failed.get(url)
        if failed is not None and time.monotonic() - failed[0] < RETRY_SECONDS:
            # a new exception each time: one raised again and again would grow its traceback
            raise StoreUnavailable(str(failed[1]), failed[1].reference)
        try:
            ready = _prepare(url, load_sample)
        except StoreUnavailable as exc:
            _failed[url] = (time.monotonic(), exc)
            raise
        _failed.pop(url, None)
        for old_url in list(_ready):  # replaced: another database now; the old pool is closed
            _ready.pop(old_url).engine.dispose()
        _ready[url] = ready
        return ready


def _prepare(url: str, load_sample: bool) -> _Ready:
    eng = None
    try:
        eng = store.make_engine(url)
        store.ensure_ready(eng)
    except Exception as exc:  # the page says so with a reference; the log has the traceback
        reference = logs.report_unexpected(exc, f"opening the store at {url.split('@')[-1]}")
        if eng is not None:
            eng.dispose()
        raise StoreUnavailable(store.short_reason(exc), reference) from exc
    failure = None
    if load_sample:
        try:
            load_job.load_sample_if_empty(eng)
        except Exception as exc:  # a fault of the generator, not of the database
            failure = logs.report_unexpected(exc, "loading the sample data on a first start")
    return _Ready(eng, failure)


def forget_engines() -> None:
    """Dispose of every engine of this process (tests that replace a database file in place)."""
    with _ready_lock:
        for url in list(_ready):
            _ready.pop(url).engine.dispose()
        _failed.clear()


def show_sample_failure() -> None:
    reference = sample_failure()
    if reference:
        messages.warning(
            f"دادهٔ نمونه بارگذاری نشد (کد پیگیری در گزارش کارگزار: {reference})؛ داشبورد با داده‌های موجود کار می‌کند.",
            f"The sample data could not be loaded (logged as {reference}); the dashboard runs on the data it has.",
        )


def version() -> int:
    """The store's data version: one cheap query a rerun."""
    return store.data_version(engine())


@st.cache_data(max_entries=8, ttl=300, show_spinner=False)
def catalog(data_version: int) -> dict[str, Metric]:
    """The metric catalog as the store holds it, in its order (a metric added to the store without
    a new batch shows within five minutes)."""
    return {code: _shown(metric) for code, metric in store.metric_catalog(engine()).items()}


def _shown(metric: Metric) -> Metric:
    """A metric with its names as every page shows them (``monitoring.text.plain``: no bidi controls)."""
    return replace(metric, name_fa=plain(metric.name_fa), name_en=plain(metric.name_en), unit_fa=plain(metric.unit_fa))


@st.cache_data(max_entries=64, show_spinner=False)
def period_range(data_version: int) -> tuple[dt.date, dt.date] | None:
    return store.period_range(engine())


@st.cache_data(max_entries=8, show_spinner=False)
def districts(data_version: int) -> pd.DataFrame:
    ref = store.reference_districts(engine())
    for column in ("name_fa", "name_en"):
        if column in ref.columns:
            ref[column] = [plain(v) for v in ref[column]]
    return ref


def district_names(data_version: int) -> dict[int, str]:
    ref = districts(data_version)
    return dict(zip(ref["district"].astype(int), ref["name_fa"], strict=True))


@st.cache_data(max_entries=64, show_spinner=False)
def latest_batch(data_version: int) -> dict | None:
    return store.latest_batch(engine())


@st.cache_data(max_entries=256, show_spinner=False)
def metric_district_values(data_version: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.metric_district_values(engine(), start, end)


@st.cache_data(max_entries=256, show_spinner=False)
def district_values(data_version: int, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.district_values(engine(), metric, aggregation, start, end)


@st.cache_data(max_entries=64, show_spinner=False)
def district_months(data_version: int, metric: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.district_months(engine(), metric, start, end)


@st.cache_data(max_entries=256, show_spinner=False)
def city_series(data_version: int, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.city_series(engine(), metric, aggregation, start, end)


@st.cache_data(max_entries=32, show_spinner=False)
def district_month_values(data_version: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    return store.district_month_values(engine(), start, end)


@st.cache_data(max_entries=32, show_spinner=False)
def targets(data_version: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The targets set for the months of the span (district 0: the whole city); alerts weigh them."""
    return store.targets(engine(), start, end)


@st.cache_data(max_entries=64, show_spinner=False)
def reporting_record(data_version: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """What each district sent for each month of the span, and when (the reporting page)."""
    return store.reporting_record(engine(), start, end)


@st.cache_data(max_entries=16, show_spinner=False)
def batch_history(data_version: int, limit: int = 20) -> pd.DataFrame:
    return store.batch_history(engine(), limit)


def bounds_or_stop(data_version: int) -> tuple[dt.date, dt.date]:
    """The first and last month holding data; with none, say so and end the page here."""
    bounds = period_range(data_version)
    if bounds is None:
        messages.info(
            "هنوز داده‌ای بارگذاری نشده است؛ از صفحهٔ «بارگذاری داده» فایلی بارگذاری کنید.",
            "No data yet: load a file on the upload page.",
        )
        st.stop()
    return bounds


@st.cache_data(max_entries=4, show_spinner=False)
def boundaries(data_version: int) -> dict[int, dict]:
    """The district boundaries loaded (optional): district -> GeoJSON Polygon or MultiPolygon; empty
    without a boundaries file (loading one is a batch, so the version moves and this follows)."""
    return store.boundaries(engine())


@st.cache_data(max_entries=4, show_spinner=False)
def boundaries_batch(data_version: int) -> dict | None:
    """Where the stored boundaries came from (file, who, when, how many districts); None without any."""
    return store.boundaries_batch(engine())


# ---------------------------------------------------------------- the overview's summaries
# Pure functions of the store's data version and the period (and, for lateness, of today): worked
# out once and kept, keyed on those small values, not on the frames they are computed from.


@st.cache_data(max_entries=64, show_spinner=False)
def reporting_status(data_version: int, period: Period, due_day: int, today: dt.date) -> pd.DataFrame:
    """Per district, how many catalog metrics it reported for ``period`` and its state
    (``overview.reporting_status``), with the days it is overdue by ``today``."""
    now = metric_district_values(data_version, period.start, period.end)
    status = overview.reporting_status(districts(data_version), now, expected=len(catalog(data_version)))
    status["days_overdue"] = compliance.days_overdue(status, period, due_day, today)
    return status


@st.cache_data(max_entries=64, show_spinner=False)
def period_attention(data_version: int, period: Period) -> alerts.Attention:
    """Every missed target, anomaly and big change of the city for ``period`` (``ui.attention.find``,
    every line kept): worked out once a period, read by the overview and by each district's page."""
    values = district_month_values(data_version, *alerts.alert_span(period))
    aims = targets(data_version, period.start, period.end)
    return attention.find(period, catalog(data_version), district_names(data_version), values, aims)


@st.cache_data(max_entries=64, show_spinner=False)
def overview_attention(data_version: int, period: Period, due_day: int, today: dt.date) -> alerts.Attention:
    """What needs attention for ``period`` across the city: the lines above and the districts whose
    report is missing or partial by ``today`` (``reporting_status``)."""
    status = reporting_status(data_version, period, due_day, today)
    return alerts.with_missing_reports(
        period_attention(data_version, period), status, period, len(catalog(data_version)), district_names(data_version)
    )


def city_cards(data_version: int, period: Period) -> list[overview.Card]:
    """The city's card of every catalog metric for ``period``, changes like for like against the period
    before and the same period a year earlier (``overview.build_cards``), by today in Tehran."""
    return _city_cards(data_version, period, calendar.today_in_tehran())


@st.cache_data(max_entries=64, show_spinner=False)
def _city_cards(data_version: int, period: Period, today: dt.date) -> list[overview.Card]:
    return overview.build_cards(
        catalog(data_version),
        metric_district_values(data_version, period.start, period.end),
        district_month_values(data_version, *figures.comparison_span(period)),
        period,
        districts_total=len(districts(data_version)),
        today=today,
    )


def ranked_districts(data_version: int, metric: Metric, measure: str, period: Period, first: dt.date) -> pd.DataFrame:
    """The 22 districts ranked on ``metric`` for ``period`` by ``measure`` (``rankings.rank_districts``,
    complete districts only, by the months due today in Tehran), with each one's move since the
    period before in ``change``; ``first`` is the first month holding data."""
    return _ranked_districts(data_version, metric, measure, period, first, calendar.today_in_tehran())


@st.cache_data(max_entries=128, show_spinner=False)
def _ranked_districts(
    data_version: int, metric: Metric, measure: str, period: Period, first: dt.date, today: dt.date
) -> pd.DataFrame:
    reference = districts(data_version)
    values = district_values(data_version, metric.code, metric.aggregation, period.start, period.end)
    ranked = rankings.rank_districts(values, reference, metric, measure, figures.months_due(period, today))
    periods = rankings.recent_periods(period, 12, first=first)
    monthly = district_months(data_version, metric.code, periods[0].start, period.end)
    before = rankings.previous_ranking(monthly, reference, metric, period.previous(), measure, today)
    ranked["change"] = rankings.rank_changes(ranked, before)
    return ranked


def district_summaries(data_version: int, period: Period, measure: str = "raw") -> pd.DataFrame:
    """Every district's every metric over ``period`` (``monitoring.district.summaries``): value, rank,
    percentile, like-for-like changes against the period before and a year earlier, the districts'
    median. Worked out once a period for all 22 districts, whichever of them a reader picks."""
    return _district_summaries(data_version, period, measure, calendar.today_in_tehran())


@st.cache_data(max_entries=64, show_spinner=False)
def _district_summaries(data_version: int, period: Period, measure: str, today: dt.date) -> pd.DataFrame:
    return district_figures.summaries(
        metric_district_values(data_version, period.start, period.end),
        district_month_values(data_version, *figures.comparison_span(period)),
        period,
        districts(data_version),
        catalog(data_version),
        measure,
        today=today,
    )


def district_profiles(data_version: int, period: Period, measure: str = "raw") -> pd.DataFrame:
    """Where each district stands on every metric over ``period`` (``rankings.district_profiles``),
    ranked once a period for whichever district a reader picks."""
    return _district_profiles(data_version, period, measure, calendar.today_in_tehran())


@st.cache_data(max_entries=64, show_spinner=False)
def _district_profiles(data_version: int, period: Period, measure: str, today: dt.date) -> pd.DataFrame:
    return rankings.district_profiles(
        metric_district_values(data_version, period.start, period.end),
        districts(data_version),
        catalog(data_version),
        measure,
        due=figures.months_due(period, today),
    )


def district_profile(data_version: int, period: Period, district: int, measure: str = "raw") -> pd.DataFrame:
    """One district's rows of ``district_profiles`` (``rankings.district_profile``'s columns)."""
    every = district_profiles(data_version, period, measure)
    return every[every["district"].to_numpy() == district].drop(columns="district").reset_index(drop=True)


@st.cache_data(max_entries=256, show_spinner=False)
def district_tiles(data_version: int, period: Period, metric: Metric) -> pd.DataFrame:
    """Every district's tile and its figure for ``metric`` over ``period`` (``overview.district_tiles``)."""
    return overview.district_tiles(
        districts(data_version), metric_district_values(data_version, period.start, period.end), metric
    )


def district_summary(data_version: int, period: Period, district: int, measure: str = "raw") -> pd.DataFrame:
    """One district's rows of ``district_summaries`` (``monitoring.district.summary``'s columns)."""
    every = district_summaries(data_version, period, measure)
    return every[every["district"].to_numpy() == district].drop(columns="district").reset_index(drop=True)


@st.cache_data(max_entries=256, show_spinner=False)
def district_attention(data_version: int, period: Period, district: int) -> alerts.Attention:
    """``district``'s own missed targets, anomalies and big changes for ``period``."""
    return alerts.for_district(period_attention(data_version, period), district)


@st.cache_data(max_entries=64, show_spinner=False)
def reporting_states(
    data_version: int,
    months: tuple[tuple[int, int], ...],
    due_day: int,
    today: dt.date,
    district: int | None = None,
) -> pd.DataFrame:
    """Each district's (or only ``district``'s) state for each Jalali month of ``months``, by ``today``
    (``compliance.month_states`` over what the store holds for them)."""
    first, last = months[0], months[-1]
    record = reporting_record(
        data_version, calendar.month_start(*first), calendar.month_start(*calendar.add_months(*last, 1))
    )
    which = [district] if district is not None else list(district_names(data_version))
    return compliance.month_states(record, which, list(months), len(catalog(data_version)), today, due_day)


@st.cache_data(max_entries=64, show_spinner=False)
def reporting_summary(
    data_version: int, months: tuple[tuple[int, int], ...], due_day: int, today: dt.date
) -> pd.DataFrame:
    """Per district over ``months``: due, on time, late, partial, missing, completeness, last report
    (``compliance.district_summary``)."""
    states = reporting_states(data_version, months, due_day, today)
    return compliance.district_summary(states, today, last_news(data_version))


@st.cache_data(max_entries=8, show_spinner=False)
def last_news(data_version: int) -> pd.DataFrame:
    """Per district, when a batch last brought it a new or changed value (``store.last_news``)."""
    return store.last_news(engine())


# ---------------------------------------------------------------- the server's heap

_heap_settled = threading.Event()
_heap_lock = threading.Lock()


def settle_heap() -> None:
    """Once a server process: collect, then move what is alive (libraries, the engine, the first
    run's caches) out of the cyclic garbage collector's sight (``gc.freeze``).

    Python's oldest-generation collections (and Streamlit's collection after every run, when
    ``runner.postScriptGC`` is on; the project's config turns it off) otherwise walk every object of
    pandas, plotly and SQLAlchemy: a tenth of a second of CPU each. Objects made later are collected
    as before; what is frozen is still freed when nothing refers to it."""
    if _heap_settled.is_set():
        return
    with _heap_lock:
        if _heap_settled.is_set():
            return
        gc.collect()
        gc.freeze()
        _heap_settled.set()

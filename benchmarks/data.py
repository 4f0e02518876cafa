"""The benchmark's data: 44 synthetic metrics beside the catalog's, a big store, a long CSV file."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from monitoring import calendar, districts, metrics, store
from monitoring.metrics import Metric

SYNTHETIC_COUNT = 44
TODAY = dt.date(2026, 11, 26)  # fixed, so every run builds the same data: last complete month is Aban 1405


def synthetic_metrics(count: int = SYNTHETIC_COUNT) -> list[Metric]:
    """``count`` made-up metrics, half counts (sum) and half means, none clashing with the catalog."""
    out = []
    for i in range(1, count + 1):
        is_count = i % 2 == 1
        out.append(
            Metric(
                code=f"bench_metric_{i:02d}",
                name_fa=f"شاخص آزمایشی {calendar.to_persian_digits(i)}",
                name_en=f"Benchmark metric {i}",
                unit_fa="مورد" if is_count else "درصد",
                aggregation="sum" if is_count else "mean",
                direction="higher",
                decimals=0 if is_count else 1,
                per_capita=is_count,
                min_value=0.0,
                max_value=None if is_count else 100.0,
            )
        )
    return out


def all_metrics(extra: Sequence[Metric]) -> dict[str, Metric]:
    return {**metrics.catalog(), **{m.code: m for m in extra}}


def register_metrics(engine: Engine, extra: Sequence[Metric]) -> None:
    """Write ``extra`` into the store's catalog, which the loader checks files against."""
    store.write_metrics(engine, list(extra))


def fresh_store(path: Path, extra: Sequence[Metric]) -> Engine:
    """A migrated SQLite store at ``path`` holding the districts, the catalog and ``extra``."""
    engine = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(engine)
    register_metrics(engine, extra)
    return engine


def recent_months(count: int, today: dt.date = TODAY) -> list[tuple[int, int]]:
    """The ``count`` Jalali months that end with the last complete month before ``today``."""
    last = calendar.last_complete_month(today)
    return [calendar.add_months(*last, -k) for k in range(count - 1, -1, -1)]


def observations(months: Sequence[tuple[int, int]], catalog: dict[str, Metric], seed: int = 1405) -> pd.DataFrame:
    """Every district × metric × month: district, metric, period (Jalali (year, month) index), value.

    Values respect each metric's limits; counts are whole numbers.
    """
    codes = list(catalog)
    numbers = districts.reference()["district"].to_numpy()
    n_months, n_codes, n_districts = len(months), len(codes), len(numbers)
    per_month = n_codes * n_districts
    rng = np.random.default_rng(seed)
    low = np.array([catalog[c].min_value or 0.0 for c in codes])
    high = np.array([catalog[c].max_value if catalog[c].max_value is not None else 500.0 for c in codes])
    decimals = np.array([catalog[c].decimals for c in codes])
    # one draw a row, scaled into its metric's range
    code_index = np.tile(np.repeat(np.arange(n_codes), n_districts), n_months)
    raw = rng.random(n_months * per_month)
    value = low[code_index] + raw * (high[code_index] - low[code_index])
    whole = decimals[code_index] == 0
    value = np.where(whole, np.floor(value), np.round(value, 1))
    return pd.DataFrame(
        {
            "district": np.tile(numbers, n_months * n_codes),
            "metric": np.asarray(codes, dtype=object)[code_index],
            "month": np.repeat(np.arange(n_months), per_month),
            "value": value,
        }
    )


def build_store(path: Path, years: int, extra: Sequence[Metric]) -> tuple[Engine, int]:
    """A store with ``years`` of monthly figures for 22 districts and every metric; returns (engine, rows)."""
    engine = fresh_store(path, extra)
    months = recent_months(12 * years)
    frame = observations(months, all_metrics(extra))
    starts = np.asarray([calendar.month_start(y, m) for y, m in months], dtype=object)
    rows = frame.assign(period=starts[frame["month"].to_numpy()])[["district", "metric", "period", "value"]]
    digest = hashlib.sha256(f"benchmark store {years} years {len(rows)} rows".encode()).hexdigest()
    store.write_batch(engine, rows, store.BatchInfo("benchmark store", digest, len(rows), 0, "benchmark"))
    return engine, len(rows)


def long_csv(rows: int, extra: Sequence[Metric]) -> tuple[bytes, pd.DataFrame]:
    """A long-format CSV (district, metric, period, value) of ``rows`` distinct figures, periods as 1404/07.

    Returns the file's bytes and the same rows ready for the store (period as a Gregorian date).
    """
    catalog = all_metrics(extra)
    per_month = len(catalog) * len(districts.reference())
    months = recent_months(-(-rows // per_month))
    frame = observations(months, catalog, seed=1404).head(rows)
    labels = np.asarray([f"{y}/{m:02d}" for y, m in months], dtype=object)
    starts = np.asarray([calendar.month_start(y, m) for y, m in months], dtype=object)
    index = frame["month"].to_numpy()
    csv_frame = pd.DataFrame(
        {
            "district": frame["district"],
            "metric": frame["metric"],
            "period": labels[index],
            "value": frame["value"],
        }
    )
    data = csv_frame.to_csv(index=False, float_format="%g", lineterminator="\n").encode("utf-8")
    rows_frame = pd.DataFrame(
        {"district": frame["district"], "metric": frame["metric"], "period": starts[index], "value": frame["value"]}
    )
    return data, rows_frame

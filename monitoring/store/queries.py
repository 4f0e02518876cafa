"""Named reads. Each aggregates in SQL and returns a small DataFrame."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, distinct, func, select

from monitoring.store.schema import batches, districts, observations

_AGG = {"sum": func.sum, "mean": func.avg}


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    if not rows:
        return pd.DataFrame({c: [] for c in columns})
    return pd.DataFrame(dict(zip(columns, zip(*rows, strict=True), strict=True)))


def data_version(engine: Engine) -> int:
    """A number that changes whenever a batch lands: caches key on it."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(batches.c.id), 0))).scalar_one())


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(observations.c.metric).limit(1)).first() is None


def latest_batch(engine: Engine) -> dict | None:
    """The most recent batch: id, source_name, rows_loaded, loaded_by, loaded_at."""
    stmt = select(batches).order_by(batches.c.id.desc()).limit(1)
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    out = dict(row)
    if out["loaded_at"] is not None and out["loaded_at"].tzinfo is None:  # SQLite drops the zone
        out["loaded_at"] = out["loaded_at"].replace(tzinfo=dt.UTC)
    return out


def batch_history(engine: Engine, limit: int = 20) -> pd.DataFrame:
    cols = ["id", "source_name", "rows_read", "rows_loaded", "rows_rejected", "loaded_by", "loaded_at"]
    stmt = select(*[batches.c[c] for c in cols]).order_by(batches.c.id.desc()).limit(limit)
    df = _frame(engine, stmt, cols)
    df["loaded_at"] = pd.to_datetime(df["loaded_at"], utc=True)  # SQLite drops the zone; the store keeps UTC
    return df


def reference_districts(engine: Engine) -> pd.DataFrame:
    cols = ["district", "name_fa", "name_en", "population", "area_km2", "tile_row", "tile_col"]
    stmt = select(*[districts.c[c] for c in cols]).order_by(districts.c.district)
    return _frame(engine, stmt, cols)


def period_range(engine: Engine) -> tuple[dt.date, dt.date] | None:
    """First and last month (Gregorian first days) that hold any observation."""
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(observations.c.period), func.max(observations.c.period))).one()
    if low is None:
        return None
    return pd.Timestamp(low).date(), pd.Timestamp(high).date()


def district_values(engine: Engine, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row a reporting district: district, value (sum or mean over the months), months reported.

    Months are those from ``start`` (included) to ``end`` (excluded). Districts that did not
    report are absent: the caller shows them as not reported, never as zero.
    """
    o = observations.c
    stmt = (
        select(o.district, _AGG[aggregation](o.value), func.count())
        .where(o.metric == metric, o.period >= start, o.period < end)
        .group_by(o.district)
    )
    return _frame(engine, stmt, ["district", "value", "months"])


def city_series(engine: Engine, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The city figure month by month: period, value (sum or mean over districts), districts reported."""
    o = observations.c
    stmt = (
        select(o.period, _AGG[aggregation](o.value), func.count())
        .where(o.metric == metric, o.period >= start, o.period < end)
        .group_by(o.period)
        .order_by(o.period)
    )
    df = _frame(engine, stmt, ["period", "value", "districts"])
    df["period"] = pd.to_datetime(df["period"]).dt.date
    return df


def city_by_metric(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every metric over a span: metric, total, mean, observations, districts reporting."""
    o = observations.c
    stmt = (
        select(o.metric, func.sum(o.value), func.avg(o.value), func.count(), func.count(distinct(o.district)))
        .where(o.period >= start, o.period < end)
        .group_by(o.metric)
    )
    return _frame(engine, stmt, ["metric", "total", "mean", "observations", "districts"])


def metric_district_values(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every metric and district over a span: metric, district, total, months reported."""
    o = observations.c
    stmt = (
        select(o.metric, o.district, func.sum(o.value), func.count())
        .where(o.period >= start, o.period < end)
        .group_by(o.metric, o.district)
    )
    return _frame(engine, stmt, ["metric", "district", "total", "months"])

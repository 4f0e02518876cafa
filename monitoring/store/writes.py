"""Writes: the reference tables and atomic batches of observations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from monitoring import districts as district_ref
from monitoring import metrics as metric_catalog
from monitoring.store.schema import batches, districts, metrics, observations

CHUNK = 20_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchInfo:
    source_name: str
    sha256: str
    rows_read: int
    rows_rejected: int
    loaded_by: str


def _upsert(conn: Connection, table: Table, rows: list[dict], keys: Iterable[str]) -> None:
    if not rows:
        return
    keys = list(keys)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        stmt = sqlite.insert(table)
    elif dialect == "postgresql":
        stmt = postgresql.insert(table)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database: {dialect}")
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates), rows)


def seed_reference(engine: Engine) -> None:
    """Write (or refresh) the 22 districts and the metric catalog."""
    ref = district_ref.reference()
    district_rows = [
        {
            "district": int(r.district),
            "name_fa": r.name_fa,
            "name_en": r.name_en,
            "population": int(r.population),
            "area_km2": float(r.area_km2),
            "tile_row": int(r.tile_row),
            "tile_col": int(r.tile_col),
        }
        for r in ref.itertuples(index=False)
    ]
    metric_rows = [
        {
            "code": m.code,
            "name_fa": m.name_fa,
            "name_en": m.name_en,
            "unit_fa": m.unit_fa,
            "aggregation": m.aggregation,
            "direction": m.direction,
            "decimals": m.decimals,
            "per_capita": int(m.per_capita),
        }
        for m in metric_catalog.catalog().values()
    ]
    with engine.begin() as conn:
        _upsert(conn, districts, district_rows, ["district"])
        _upsert(conn, metrics, metric_rows, ["code"])


def write_batch(
    engine: Engine,
    rows: pd.DataFrame,
    info: BatchInfo,
    progress: Progress | None = None,
) -> int:
    """Store ``rows`` (district, metric, period, value) as one batch, in one transaction.

    A later value for the same district, metric and month replaces the earlier one.
    Either every row is stored with its batch record, or nothing is. Returns the batch id.
    """
    total = len(rows)
    district = rows["district"].astype("int64").tolist()
    metric = rows["metric"].astype(str).tolist()
    period = [p if isinstance(p, dt.date) else pd.Timestamp(p).date() for p in rows["period"]]
    value = rows["value"].astype("float64").tolist()
    with engine.begin() as conn:
        batch_id = conn.execute(
            insert(batches).returning(batches.c.id),
            {
                "source_name": info.source_name[:500],
                "sha256": info.sha256,
                "rows_read": info.rows_read,
                "rows_loaded": total,
                "rows_rejected": info.rows_rejected,
                "loaded_by": info.loaded_by[:200],
                "loaded_at": dt.datetime.now(dt.UTC),
            },
        ).scalar_one()
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            chunk = [
                {
                    "metric": metric[i],
                    "period": period[i],
                    "district": district[i],
                    "value": value[i],
                    "batch_id": batch_id,
                }
                for i in range(start, stop)
            ]
            _upsert(conn, observations, chunk, ["metric", "period", "district"])
            if progress:
                progress(stop, total)
        if total == 0 and progress:
            progress(0, 0)
    return int(batch_id)


def known_codes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(metrics.c.code)).scalars())

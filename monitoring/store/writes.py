"""Writes: the reference tables and atomic batches of observations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from monitoring import districts as district_ref
from monitoring import metrics as metric_defs
from monitoring.store.queries import metric_catalog_on
from monitoring.store.schema import batches, boundaries, districts, metrics, targets

CHUNK = 20_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchInfo:
    source_name: str
    sha256: str
    rows_read: int
    rows_rejected: int
    loaded_by: str
    # when the batch reached the centre (aware; naive is read as UTC); None: now. The sample's history
    # and tests set it: a report's load time decides whether it was on time (monitoring.compliance)
    loaded_at: dt.datetime | None = None

    def loaded_at_utc(self) -> dt.datetime:
        moment = self.loaded_at or dt.datetime.now(dt.UTC)
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


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


def _metric_row(m: metric_defs.Metric, sort_order: int) -> dict:
    return {
        "code": m.code,
        "name_fa": m.name_fa,
        "name_en": m.name_en,
        "unit_fa": m.unit_fa,
        "aggregation": m.aggregation,
        "direction": m.direction,
        "decimals": m.decimals,
        "per_capita": int(m.per_capita),
        "min_value": m.min_value,
        "max_value": m.max_value,
        "sort_order": sort_order,
    }


def write_metrics(engine: Engine, metric_list: Iterable[metric_defs.Metric]) -> None:
    """Write (or refresh) metric definitions in the store's catalog.

    A metric already stored keeps its place in the catalog; a new one goes after the last, in
    the order given. The catalog that results is checked first (``metrics.check_catalog``): a
    code or Persian name that clashes with another metric's raises CatalogError, storing nothing.
    """
    metric_list = list(metric_list)
    with engine.begin() as conn:
        stored = metric_catalog_on(conn)
        places = dict(conn.execute(select(metrics.c.code, metrics.c.sort_order)).all())
        metric_defs.check_catalog({**stored, **{m.code: m for m in metric_list}}.values())
        following = max(places.values(), default=-1) + 1
        rows = []
        for m in metric_list:
            if m.code not in places:
                places[m.code], following = following, following + 1
            rows.append(_metric_row(m, places[m.code]))
        _upsert(conn, metrics, rows, ["code"])


def seed_reference(engine: Engine) -> None:
    """Write (or refresh) the seed files in the store: the districts and the metric catalog.

    The seed file's order is the catalog's order; metrics and districts present only in the
    store are left as they are. From here on, the store is the one source of both.
    """
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
    seed = metric_defs.catalog()
    with engine.begin() as conn:
        _upsert(conn, districts, district_rows, ["district"])
        _upsert(conn, metrics, [_metric_row(m, place) for place, m in enumerate(seed.values())], ["code"])


def _iso_periods(periods: pd.Series) -> list[str]:
    """ISO dates for the period column, converting each distinct value once."""
    mapping = {p: pd.Timestamp(p).date().isoformat() for p in pd.unique(periods)}
    return periods.map(mapping).tolist()


_STAGE_COLUMNS = "metric, period, district, value"
_MERGE = (
    "INSERT INTO observations (metric, period, district, value, batch_id) "
    "SELECT metric, {period}, district, value, {batch} FROM obs_stage WHERE true "
    "ON CONFLICT (metric, period, district) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id"
)

# what the batch brought per district and month, kept after later batches replace its values
_SUBMISSIONS = (
    "INSERT INTO submissions (batch_id, district, period, metrics) "
    "SELECT {batch}, district, period, count(*) FROM obs_stage GROUP BY district, period"
)


def _stage_sqlite(conn: Connection, columns: tuple[list, ...], total: int, progress: Progress | None) -> None:
    raw = conn.connection.driver_connection
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS obs_stage (metric TEXT, period TEXT, district INTEGER, value REAL)")
    raw.execute("DELETE FROM obs_stage")
    for start in range(0, total, CHUNK):
        stop = min(start + CHUNK, total)
        raw.executemany(
            f"INSERT INTO obs_stage ({_STAGE_COLUMNS}) VALUES (?, ?, ?, ?)",
            zip(*(c[start:stop] for c in columns), strict=True),
        )
        if progress:
            progress(stop, total)


def _stage_postgresql(conn: Connection, columns: tuple[list, ...], total: int, progress: Progress | None) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS obs_stage "
            "(metric text, period date, district integer, value double precision) ON COMMIT DROP"
        )
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            with cur.copy(f"COPY obs_stage ({_STAGE_COLUMNS}) FROM STDIN") as copy:
                for row in zip(*(c[start:stop] for c in columns), strict=True):
                    copy.write_row(row)
            if progress:
                progress(stop, total)


def _insert_batch(conn: Connection, info: BatchInfo, rows_loaded: int) -> int:
    return int(
        conn.execute(
            insert(batches).returning(batches.c.id),
            {
                "source_name": info.source_name[:500],
                "sha256": info.sha256,
                "rows_read": info.rows_read,
                "rows_loaded": rows_loaded,
                "rows_rejected": info.rows_rejected,
                "loaded_by": info.loaded_by[:200],
                "loaded_at": info.loaded_at_utc(),
            },
        ).scalar_one()
    )


def write_targets(engine: Engine, rows: pd.DataFrame, info: BatchInfo) -> int:
    """Store ``rows`` (district, metric, period, value; district 0 = the whole city) as one batch of
    targets, in one transaction: every target with its batch record, or nothing.

    A later target for the same metric, month and district replaces the earlier one. Targets are
    not reports: they add nothing to ``submissions``. ``rows`` must not repeat a (district, metric,
    period); the loader refuses such files. Returns the batch id.
    """
    periods = _iso_periods(rows["period"]) if len(rows) else []
    with engine.begin() as conn:
        batch_id = _insert_batch(conn, info, len(rows))
        records = [
            {"metric": m, "period": dt.date.fromisoformat(p), "district": d, "value": v, "batch_id": batch_id}
            for m, p, d, v in zip(
                rows["metric"].astype(str).tolist(),
                periods,
                rows["district"].astype("int64").tolist(),
                rows["value"].astype("float64").tolist(),
                strict=True,
            )
        ]
        for start in range(0, len(records), CHUNK):
            _upsert(conn, targets, records[start : start + CHUNK], ["metric", "period", "district"])
    return batch_id


def write_boundaries(engine: Engine, shapes: dict[int, dict], info: BatchInfo) -> int:
    """Replace the stored district boundaries with ``shapes`` (district -> GeoJSON Polygon or
    MultiPolygon, already checked by the loader), as one batch in one transaction: the whole new set
    with its batch record, or nothing (the old set stays). A district absent from ``shapes`` has no
    boundary afterwards. Returns the batch id."""
    with engine.begin() as conn:
        batch_id = _insert_batch(conn, info, len(shapes))
        conn.execute(delete(boundaries))
        if shapes:
            loaded_at = info.loaded_at_utc()
            conn.execute(
                insert(boundaries),
                [
                    {
                        "district": int(d),
                        "geometry": json.dumps(g, separators=(",", ":")),
                        "batch_id": batch_id,
                        "loaded_at": loaded_at,
                    }
                    for d, g in sorted(shapes.items())
                ],
            )
    return batch_id


def write_batch(
    engine: Engine,
    rows: pd.DataFrame,
    info: BatchInfo,
    progress: Progress | None = None,
) -> int:
    """Store ``rows`` (district, metric, period, value) as one batch, in one transaction.

    Rows are staged in a temporary table (COPY on PostgreSQL), then merged with one
    INSERT ... SELECT: a later value for the same district, metric and month replaces the
    earlier one. Either every row is stored with its batch record, or nothing is.
    ``rows`` must not repeat a (district, metric, period); the loaders refuse such files.
    Returns the batch id.
    """
    with engine.begin() as conn:
        return _write_batch_on(conn, rows, info, progress)


def write_batches(engine: Engine, items: Iterable[tuple[pd.DataFrame, BatchInfo]]) -> list[int]:
    """Store several batches, in order, in one transaction (the sample's month-by-month history):
    every batch is stored or none is. Returns the batch ids."""
    with engine.begin() as conn:
        return [_write_batch_on(conn, rows, info) for rows, info in items]


def _write_batch_on(conn: Connection, rows: pd.DataFrame, info: BatchInfo, progress: Progress | None = None) -> int:
    total = len(rows)
    columns = (
        rows["metric"].astype(str).tolist(),
        _iso_periods(rows["period"]),
        rows["district"].astype("int64").tolist(),
        rows["value"].astype("float64").tolist(),
    )
    batch_id = _insert_batch(conn, info, total)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        _stage_sqlite(conn, columns, total, progress)
    elif dialect == "postgresql":
        _stage_postgresql(conn, columns, total, progress)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database: {dialect}")
    conn.exec_driver_sql(_MERGE.format(period="period", batch=int(batch_id)))
    conn.exec_driver_sql(_SUBMISSIONS.format(batch=int(batch_id)))
    conn.exec_driver_sql("DELETE FROM obs_stage")  # the next batch of the same transaction stages afresh
    if total == 0 and progress:
        progress(0, 0)
    return int(batch_id)

"""Named reads. Each aggregates in SQL and returns a small DataFrame."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import BindParameter, ColumnElement, Connection, Engine, bindparam, distinct, func, select, text

from monitoring.metrics import Metric
from monitoring.store.schema import (
    audit_log,
    batches,
    districts,
    driver_connection,
    metrics,
    observations,
    period_dates,
    period_param,
    source_files,
    submissions,
    utc_moments,
)
from monitoring.store.schema import batch_rejections as batch_rejections_table
from monitoring.store.schema import boundaries as boundaries_table
from monitoring.store.schema import targets as targets_table

_AGG: dict[str, Callable[[ColumnElement[float]], ColumnElement[float]]] = {"sum": func.sum, "mean": func.avg}


# compiled once per dialect and statement (the module's statements are constants): the cursor below
# skips SQLAlchemy's per-call work, which costs the small reads of a page more than their SQL
_compiled_cache: dict[tuple[str, str, object], tuple[str, tuple[str, ...] | None]] = {}


def _compiled(engine: Engine, stmt) -> tuple[str, tuple[str, ...] | None]:
    """SQL text of a statement for this engine's dialect, compiled once per process and keyed on the
    statement itself, so no two statements can share an entry.

    Returns the SQL and, for positional drivers (SQLite), the order of its parameters.
    """
    key = (engine.dialect.name, engine.dialect.paramstyle, stmt)
    hit = _compiled_cache.get(key)
    if hit is None:
        compiled = stmt.compile(dialect=engine.dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        hit = _compiled_cache[key] = (compiled.string, order)
    return hit


def _frame(
    engine: Engine, stmt, columns: list[str], params: dict | None = None, dates: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Run a statement and return its rows as a DataFrame, column by column.

    The statement is a SQLAlchemy construct with ``bindparam`` placeholders; it is compiled once
    and run on the driver's cursor, so the many small reads of a page cost little more than the
    bare SQL they need. Parameters and the columns named in ``dates`` (periods, ``date``) are
    converted by the store's column types (``schema.period_param``, ``schema.period_dates``).
    """
    sql, order = _compiled(engine, stmt)
    values = {k: period_param(v, engine.dialect.name) for k, v in (params or {}).items()}
    args = tuple(values[k] for k in order) if order is not None else values
    with engine.connect() as conn:
        cursor = driver_connection(conn.connection).cursor()
        try:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    if not rows:
        return pd.DataFrame({c: [] for c in columns})
    # from the row tuples in one go: transposing them in Python first made half a million rows wait
    # on the garbage collector (2 s at the district page's 24 months of 1,020 metrics; 0.4 s so)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in dates:
        frame[column] = period_dates(frame[column].to_numpy(dtype=object))
    return frame


_o = observations.c
_METRIC: BindParameter[str] = bindparam("metric")
_START: BindParameter[dt.date] = bindparam("start")
_END: BindParameter[dt.date] = bindparam("end")
_IN_SPAN = (_o.period >= _START, _o.period < _END)
_DISTRICT_VALUES = {
    agg: select(_o.district, fn(_o.value), func.count()).where(_o.metric == _METRIC, *_IN_SPAN).group_by(_o.district)
    for agg, fn in _AGG.items()
}
_CITY_SERIES = {
    agg: select(_o.period, fn(_o.value), func.count())
    .where(_o.metric == _METRIC, *_IN_SPAN)
    .group_by(_o.period)
    .order_by(_o.period)
    for agg, fn in _AGG.items()
}
_CITY_BY_METRIC = (
    select(_o.metric, func.sum(_o.value), func.avg(_o.value), func.count(), func.count(distinct(_o.district)))
    .where(*_IN_SPAN)
    .group_by(_o.metric)
)
_METRIC_DISTRICT_VALUES = (
    select(_o.metric, _o.district, func.sum(_o.value), func.count()).where(*_IN_SPAN).group_by(_o.metric, _o.district)
)
_DISTRICT_MONTHS = (
    select(_o.district, _o.period, _o.value).where(_o.metric == _METRIC, *_IN_SPAN).order_by(_o.period, _o.district)
)
_DISTRICT_MONTH_VALUES = select(_o.metric, _o.district, _o.period, _o.value).where(*_IN_SPAN)
_t = targets_table.c
_TARGETS = (
    select(_t.metric, _t.district, _t.period, _t.value)
    .where(_t.period >= _START, _t.period < _END)
    .order_by(_t.metric, _t.district, _t.period)
)
# reporting: what the store holds per district-month now, and when batches first and last brought any of it
_HELD = select(_o.district, _o.period, func.count()).where(*_IN_SPAN).group_by(_o.district, _o.period)
_s = submissions.c
_LOADS = (
    select(_s.district, _s.period, func.min(batches.c.loaded_at), func.max(batches.c.loaded_at))
    .select_from(submissions.join(batches, batches.c.id == _s.batch_id))
    .where(_s.period >= _START, _s.period < _END)
    .group_by(_s.district, _s.period)
)
# per district, the latest batch that owns a value the store holds now: a value's owner is the batch
# that wrote it new or changed it (an unchanged write keeps the first owner; a rollback restores the
# previous one), so this is the last batch still standing that brought the district something new
_LAST_NEWS = (
    select(observations.c.district, func.max(batches.c.loaded_at))
    .select_from(observations.join(batches, batches.c.id == observations.c.batch_id))
    .group_by(observations.c.district)
)
_REFERENCE_COLUMNS = ["district", "name_fa", "name_en", "population", "area_km2", "tile_row", "tile_col"]
_REFERENCE = select(*[districts.c[c] for c in _REFERENCE_COLUMNS]).order_by(districts.c.district)
_METRIC_FIELDS = [
    "code",
    "name_fa",
    "name_en",
    "unit_fa",
    "aggregation",
    "direction",
    "decimals",
    "per_capita",
    "min_value",
    "max_value",
    "public",
]
_CATALOG = select(*[metrics.c[c] for c in _METRIC_FIELDS]).order_by(metrics.c.sort_order, metrics.c.code)


# two scalar subqueries: each end is one step down the (period, metric) index on either engine;
# SQLite answers MIN and MAX in one SELECT by reading the whole table (0.7 s at 2.7 M rows)
_PERIOD_RANGE = select(
    select(func.min(observations.c.period)).scalar_subquery(),
    select(func.max(observations.c.period)).scalar_subquery(),
)


_ROLLED_BACK = select(func.count()).select_from(batches).where(batches.c.status == "rolled_back").scalar_subquery()
_CATALOG_CHANGES = select(func.count()).select_from(audit_log).where(audit_log.c.action == "catalog").scalar_subquery()
_DATA_VERSION = select(func.coalesce(func.max(batches.c.id), 0) + _ROLLED_BACK + _CATALOG_CHANGES)


def data_version(engine: Engine) -> int:
    """A number that grows whenever a batch lands or is rolled back, or the catalog changes: caches
    key on it.

    The newest batch id plus the number of batches rolled back plus the number of catalog changes,
    in one statement; while neither happened it is the newest batch id."""
    with engine.connect() as conn:
        return int(conn.execute(_DATA_VERSION).scalar_one())


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
    return dict(row)


def batch_history(engine: Engine, limit: int = 20) -> pd.DataFrame:
    cols = ["id", "source_name", "rows_read", "rows_loaded", "rows_rejected", "loaded_by", "loaded_at"]
    stmt = select(*[batches.c[c] for c in cols]).order_by(batches.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=cols)
    df["loaded_at"] = pd.to_datetime(df["loaded_at"], utc=True)  # SQLite drops the zone; the store keeps UTC
    return df


def reference_districts(engine: Engine) -> pd.DataFrame:
    """The district reference, one row a district in number order: district, name_fa, name_en,
    population, area_km2, tile_row, tile_col."""
    return _frame(engine, _REFERENCE, _REFERENCE_COLUMNS)


def metric_catalog(engine: Engine) -> dict[str, Metric]:
    """The metric catalog, code -> Metric, in catalog order: the one the loader checks files
    against and the pages show."""
    with engine.connect() as conn:
        return metric_catalog_on(conn)


def metric_catalog_on(conn: Connection) -> dict[str, Metric]:
    """``metric_catalog`` on an open connection (a writer checks a change inside its transaction)."""
    out: dict[str, Metric] = {}
    for (
        code,
        name_fa,
        name_en,
        unit_fa,
        aggregation,
        direction,
        decimals,
        per_capita,
        low,
        high,
        public,
    ) in conn.execute(_CATALOG):
        out[code] = Metric(
            code=code,
            name_fa=name_fa,
            name_en=name_en,
            unit_fa=unit_fa,
            aggregation=aggregation,
            direction=direction,
            decimals=int(decimals),
            per_capita=bool(per_capita),
            min_value=None if low is None else float(low),
            max_value=None if high is None else float(high),
            public=bool(public),
        )
    return out


def period_range(engine: Engine) -> tuple[dt.date, dt.date] | None:
    """First and last month (Gregorian first days) that hold any observation."""
    with engine.connect() as conn:
        low, high = conn.execute(_PERIOD_RANGE).one()
    if low is None:
        return None
    return pd.Timestamp(low).date(), pd.Timestamp(high).date()


def district_values(engine: Engine, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row a reporting district: district, value (sum or mean over the months), months reported.

    Months are those from ``start`` (included) to ``end`` (excluded). Districts that did not
    report are absent: the caller shows them as not reported, never as zero.
    """
    params = {"metric": metric, "start": start, "end": end}
    stmt = _DISTRICT_VALUES[aggregation]
    return _frame(engine, stmt, ["district", "value", "months"], params)


def district_months(engine: Engine, metric: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One metric, district by district and month by month: district, period (first day), value.

    One row a reported district-month from ``start`` (included) to ``end`` (excluded): at most
    22 × the months in the span (a rank history over 12 years is 3,168 rows). The domain groups
    the months into Jalali seasons or years (``rankings.period_values``); a district-month that
    was not reported is absent, never a zero.
    """
    params = {"metric": metric, "start": start, "end": end}
    columns = ["district", "period", "value"]
    return _frame(engine, _DISTRICT_MONTHS, columns, params, dates=("period",))


def city_series(engine: Engine, metric: str, aggregation: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The city figure month by month: period, value (sum or mean over districts), districts reported."""
    params = {"metric": metric, "start": start, "end": end}
    columns = ["period", "value", "districts"]
    return _frame(engine, _CITY_SERIES[aggregation], columns, params, dates=("period",))


def city_by_metric(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every metric over a span: metric, total, mean, observations, districts reporting."""
    columns = ["metric", "total", "mean", "observations", "districts"]
    return _frame(engine, _CITY_BY_METRIC, columns, {"start": start, "end": end})


def metric_district_values(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every metric and district over a span: metric, district, total, months reported."""
    columns = ["metric", "district", "total", "months"]
    return _frame(engine, _METRIC_DISTRICT_VALUES, columns, {"start": start, "end": end})


def district_month_values(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every observation in a span: metric, district, period (Gregorian first day of the Jalali
    month), value. Bounded by the span: a year of the 22 districts × the catalog is a few thousand rows."""
    columns = ["metric", "district", "period", "value"]
    params = {"start": start, "end": end}
    return _frame(engine, _DISTRICT_MONTH_VALUES, columns, params, dates=("period",))


def targets(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every target set for a month in the span: metric, district (0 = the whole city), period
    (Gregorian first day of the Jalali month), value. A few hundred rows a year at most."""
    columns = ["metric", "district", "period", "value"]
    return _frame(engine, _TARGETS, columns, {"start": start, "end": end}, dates=("period",))


def reporting_record(engine: Engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Each district-month that anything was ever reported for, from ``start`` (included) to ``end``
    (excluded): district, period (first day), metrics (values the store holds now), first_loaded_at
    (the earliest batch that brought anything for it: a later correction does not move it),
    last_loaded_at (the latest such batch), both UTC timestamps. Two GROUP BY statements, whatever
    the span; a district-month never reported is absent, and the caller says «گزارش نشده».
    """
    params = {"start": start, "end": end}
    held = _frame(engine, _HELD, ["district", "period", "metrics"], params, dates=("period",))
    columns = ["district", "period", "first_loaded_at", "last_loaded_at"]
    loads = _frame(engine, _LOADS, columns, params, dates=("period",))
    out = loads.merge(held, on=["district", "period"], how="outer")
    out["district"] = out["district"].astype("int64")
    out["metrics"] = out["metrics"].fillna(0).astype("int64")
    for column in ("first_loaded_at", "last_loaded_at"):
        out[column] = utc_moments(out[column]).to_numpy()
    return out[["district", "period", "metrics", "first_loaded_at", "last_loaded_at"]].sort_values(
        ["district", "period"], ignore_index=True
    )


def last_news(engine: Engine) -> pd.DataFrame:
    """Per district, when a batch last brought it a new or changed value, from all time: district,
    last_changed_at (UTC). A batch that only repeated stored values, or that was rolled back, does not
    count; a district that never brought anything is absent."""
    out = _frame(engine, _LAST_NEWS, ["district", "last_changed_at"])
    out["district"] = out["district"].astype("int64")
    out["last_changed_at"] = utc_moments(out["last_changed_at"]).to_numpy()
    return out


def boundaries(engine: Engine) -> dict[int, dict]:
    """The district boundaries loaded (optional): district -> GeoJSON Polygon or MultiPolygon
    (longitude, latitude), in district order; empty when no boundaries file was ever loaded."""
    stmt = select(boundaries_table.c.district, boundaries_table.c.geometry).order_by(boundaries_table.c.district)
    with engine.connect() as conn:
        return {int(d): json.loads(g) for d, g in conn.execute(stmt)}


def boundaries_batch(engine: Engine) -> dict | None:
    """Where the stored boundaries came from: batch_id, source_name, loaded_by, loaded_at (UTC) and
    districts (how many have a shape); None when none is stored."""
    b = boundaries_table.c
    stmt = (
        select(b.batch_id, batches.c.source_name, batches.c.loaded_by, func.max(b.loaded_at), func.count())
        .select_from(boundaries_table.join(batches, batches.c.id == b.batch_id))
        .group_by(b.batch_id, batches.c.source_name, batches.c.loaded_by)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    batch_id, source_name, loaded_by, loaded_at, count = row  # loaded_at: UTC-aware (schema.UtcDateTime)
    return {
        "batch_id": int(batch_id),
        "source_name": source_name,
        "loaded_by": loaded_by,
        "loaded_at": loaded_at,
        "districts": int(count),
    }


# ---------------------------------------------------------------- batch history and audit


_BATCH_LIST_COLUMNS = [
    "id",
    "kind",
    "source_name",
    "sha256",
    "sheet",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "rows_new",
    "rows_changed",
    "rows_unchanged",
    "lenient",
    "loaded_by",
    "loaded_at",
    "status",
    "rolled_back_at",
    "rolled_back_by",
    "notes",
]


def batch_list(engine: Engine, limit: int = 100) -> pd.DataFrame:
    """The latest ``limit`` batches, newest first: id, kind, source_name, sha256, sheet, rows_read,
    rows_loaded, rows_rejected, rows_new, rows_changed, rows_unchanged (NULL for a batch stored before
    the store kept its history), lenient (bool), loaded_by, loaded_at (UTC), status ('active' or
    'rolled_back'), rolled_back_at (UTC or NaT), rolled_back_by, notes (a list of Message)."""
    stmt = select(*[batches.c[c] for c in _BATCH_LIST_COLUMNS]).order_by(batches.c.id.desc()).limit(int(limit))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=_BATCH_LIST_COLUMNS)
    df["loaded_at"] = utc_moments(df["loaded_at"])
    df["rolled_back_at"] = utc_moments(df["rolled_back_at"])
    df["lenient"] = df["lenient"].astype(bool)
    for column in ("rows_new", "rows_changed", "rows_unchanged"):
        df[column] = df[column].astype("Int64")
    return df


def _json_dict(raw: object) -> dict:
    """A JSON object column read whatever the store returns (None, NaN, text, bytes, a dict)."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str) or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# the keys a batch changed (with the value it met), and those it added: still held, or replaced since
_BATCH_CHANGES = text(
    "SELECT district, metric, period, old_value, new_value, state FROM ("
    "SELECT rv.district, rv.metric, rv.period, rv.old_value, rv.new_value, 'changed' AS state "
    "FROM revisions rv WHERE rv.batch_id = :batch AND rv.changed = 1 "
    "UNION "
    "SELECT o.district, o.metric, o.period, NULL, o.value, 'new' FROM observations o WHERE o.batch_id = :batch "
    "AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.batch_id = :batch AND r.kind = 'observation' "
    "AND r.metric = o.metric AND r.period = o.period AND r.district = o.district) "
    "UNION "
    "SELECT t.district, t.metric, t.period, NULL, t.value, 'new' FROM targets t WHERE t.batch_id = :batch "
    "AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.batch_id = :batch AND r.kind = 'target' "
    "AND r.metric = t.metric AND r.period = t.period AND r.district = t.district) "
    "UNION "
    "SELECT rv.district, rv.metric, rv.period, NULL, rv.old_value, 'new' FROM revisions rv "
    "WHERE rv.old_batch_id = :batch AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.batch_id = :batch "
    "AND r.kind = rv.kind AND r.metric = rv.metric AND r.period = rv.period AND r.district = rv.district)"
    ") AS brought ORDER BY district, metric, period LIMIT :limit"
)
_BATCH_CHANGE_COLUMNS = ["district", "metric", "period", "old_value", "new_value", "state"]


def batch_changes(engine: Engine, batch_id: int, limit: int = 500) -> pd.DataFrame:
    """What a batch brought, key by key (at most ``limit``, ordered by district, metric, period):
    district (0 = the whole city, for targets), metric, period (Gregorian first day), old_value (the
    value it replaced; NaN for a key it added), new_value, state ('new' or 'changed'). Keys it met
    unchanged are not listed. A new key that a rollback of this batch removed is no longer listed."""
    with engine.connect() as conn:
        rows = conn.execute(_BATCH_CHANGES, {"batch": int(batch_id), "limit": int(limit)}).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=_BATCH_CHANGE_COLUMNS)
    if len(df):
        df["period"] = period_dates(df["period"])
        df["district"] = df["district"].astype("int64")
    df["old_value"] = df["old_value"].astype("float64")
    df["new_value"] = df["new_value"].astype("float64")
    return df


_REJECTION_COLUMNS = ["seq", "sheet", "row", "column", "value", "reason"]


def batch_rejections(engine: Engine, batch_id: int) -> pd.DataFrame:
    """The rows a lenient load rejected and kept with its batch, in the loader's order: seq, sheet,
    row, column, value, reason (a Message)."""
    r = batch_rejections_table.c
    stmt = select(*[r[c] for c in _REJECTION_COLUMNS]).where(r.batch_id == int(batch_id)).order_by(r.seq)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame([tuple(x) for x in rows], columns=_REJECTION_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df


_AUDIT_COLUMNS = ["id", "at", "actor", "action", "batch_id", "detail"]


SIGN_IN_FAILURES = ("login_failed",)  # what the audit view keeps apart from the administrators' actions


def _audit_filter(
    actions: Sequence[str] | None, exclude: Sequence[str] | None, actor: str | None, since: dt.datetime | None
) -> list[ColumnElement[bool]]:
    a = audit_log.c
    where: list[ColumnElement[bool]] = []
    if actions is not None:
        where.append(a.action.in_(list(actions)))
    if exclude:
        where.append(a.action.not_in(list(exclude)))
    if actor:
        where.append(a.actor == actor)
    if since is not None:
        where.append(a.at >= since)
    return where


def audit_entries(
    engine: Engine,
    limit: int = 200,
    offset: int = 0,
    actions: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
) -> pd.DataFrame:
    """Rows of the audit log, newest first, ``limit`` of them after the first ``offset``: id, at (UTC),
    actor, action ('load', 'rollback', 'catalog', 'sample', 'boundaries', 'login', 'login_failed' ...),
    batch_id (or <NA>), detail (a dict). Only ``actions`` (when given), none of ``exclude``, only
    ``actor``'s, only from ``since`` on."""
    a = audit_log.c
    stmt = (
        select(*[a[c] for c in _AUDIT_COLUMNS])
        .where(*_audit_filter(actions, exclude, actor, since))
        .order_by(a.id.desc())
        .limit(int(limit))
        .offset(max(int(offset), 0))
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame([tuple(x) for x in rows], columns=_AUDIT_COLUMNS)
    df["at"] = utc_moments(df["at"])
    df["batch_id"] = df["batch_id"].astype("Int64")
    df["detail"] = [_json_dict(d) for d in df["detail"]]
    return df


def audit_count(
    engine: Engine,
    actions: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    actor: str | None = None,
    since: dt.datetime | None = None,
) -> int:
    """How many audit rows :func:`audit_entries` would page through with the same filters."""
    stmt = select(func.count()).select_from(audit_log).where(*_audit_filter(actions, exclude, actor, since))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def audit_actors(
    engine: Engine, actions: Sequence[str] | None = None, exclude: Sequence[str] | None = None
) -> list[str]:
    """The names in the audit log (of those actions), in order."""
    a = audit_log.c
    stmt = select(a.actor).where(*_audit_filter(actions, exclude, None, None)).distinct().order_by(a.actor)
    with engine.connect() as conn:
        return [str(x) for x in conn.execute(stmt).scalars()]


def source_file(engine: Engine, sha256: str) -> bytes | None:
    """The original bytes of a file loaded, by its sha256; None when they were never kept."""
    with engine.connect() as conn:
        content = conn.execute(select(source_files.c.content).where(source_files.c.sha256 == sha256)).scalar()
    return None if content is None else bytes(content)

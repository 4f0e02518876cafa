"""Writes: the reference tables, atomic batches of observations and targets, and their undoing.

Every batch write and every rollback is one transaction that first takes the store's write lock
(``_claim``): on PostgreSQL a transaction-level advisory lock, so two loads whose keys overlap queue
instead of deadlocking; on SQLite a write as the first statement, so a second writer waits for the
busy timeout instead of failing at once. A PostgreSQL deadlock or serialization failure reruns the
whole transaction (``RETRIES`` times at most, each logged as a warning).

History. A batch records how its keys stood against the store (new, changed, unchanged). For every
key it wrote over a value the store already held, ``revisions`` keeps the value and the batch it met
(``old_value``, ``old_batch_id``) and whether it changed it; a changed key passes to the batch, an
unchanged one keeps the batch that first wrote that value (its *owner*). Rollback (``rollback_batch``)
walks these rows back, so that after any sequence of loads and rollbacks each key holds the value of
the newest batch that wrote it and is not rolled back (an unchanged write counts as a write), and a
key no such batch wrote is absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Engine,
    Executable,
    FromClause,
    Integer,
    String,
    Table,
    Update,
    and_,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy import table as table_clause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from monitoring import districts as district_ref
from monitoring import faults
from monitoring import metrics as metric_defs
from monitoring.message import Message, MessageError
from monitoring.store.queries import metric_catalog_on
from monitoring.store.schema import actions as actions_table
from monitoring.store.schema import (
    as_utc,
    audit_log,
    batch_rejections,
    batches,
    boundaries,
    districts,
    driver_connection,
    metrics,
    observations,
    period_dates,
    revisions,
    source_files,
    submissions,
    targets,
)

CHUNK = 20_000
Progress = Callable[[int, int], None]
T = TypeVar("T")
log = logging.getLogger(__name__)

# the PostgreSQL advisory lock every batch write and rollback holds for its transaction
WRITE_LOCK = 7304003
RETRIES = 3  # times a transaction is run again after a PostgreSQL deadlock or serialization failure
BATCH_KINDS = ("observations", "targets", "boundaries", "sample", "actions")


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
    # 'observations' | 'targets' | 'boundaries' | 'sample' | 'actions'; write_targets and write_boundaries set their
    # own kind when this is left at its default, write_batches (the sample's history) 'sample'
    kind: str = "observations"
    lenient: bool = False  # loaded with its bad rows skipped (they are in ``rejections``)
    content: bytes | None = None  # the file's original bytes, kept in source_files under ``sha256``
    notes: tuple[Message, ...] = ()  # the loader's notes ("Gregorian dates converted" ...)
    sheet: str | None = None  # the Excel sheet read
    # the rows a lenient load rejected: dicts of sheet, row, column, value, reason (a few hundred at most)
    rejections: tuple[dict, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in BATCH_KINDS:
            raise ValueError(f"unknown batch kind {self.kind!r}; one of {', '.join(BATCH_KINDS)}")

    def loaded_at_utc(self) -> dt.datetime:
        return as_utc(self.loaded_at or dt.datetime.now(dt.UTC))


def _upsert(conn: Connection, table: Table, rows: list[dict], keys: Iterable[str]) -> None:
    if not rows:
        return
    keys = list(keys)
    dialect = conn.dialect.name
    stmt: sqlite.Insert | postgresql.Insert
    if dialect == "sqlite":
        stmt = sqlite.insert(table)
    elif dialect == "postgresql":
        stmt = postgresql.insert(table)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database: {dialect}")
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys and c.name in rows[0]}
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
        "public": int(m.public),
    }


def write_metrics(engine: Engine, metric_list: Iterable[metric_defs.Metric], actor: str = "") -> None:
    """Write (or refresh) metric definitions in the store's catalog, with an audit row ('catalog')
    naming ``actor`` and the codes written.

    A metric already stored keeps its place in the catalog; a new one goes after the last, in
    the order given. The catalog that results is checked first (``metrics.check_catalog``): a
    code or Persian name that clashes with another metric's raises CatalogError, storing nothing.
    """
    metric_list = list(metric_list)

    def work(conn: Connection) -> None:
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
        added = [m.code for m in metric_list if m.code not in stored]
        detail = {"metrics": [m.code for m in metric_list], "added": added}
        audit_on(conn, actor, "catalog", None, detail)

    in_transaction(engine, work)


def seed_reference(engine: Engine) -> None:
    """Write (or refresh) the seed files in the store: the districts and the metric catalog.

    The seed file's order is the catalog's order. A metric an administrator changed on the catalog
    page (``write_metrics``, recorded in the audit log) keeps the store's definition; metrics and
    districts present only in the store are left as they are. From here on, the store is the one
    source of both.
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
        rows = [_metric_row(m, place) for place, m in enumerate(seed.values())]
        if "public" not in {c["name"] for c in inspect(conn).get_columns(metrics.name)}:
            rows = [{k: v for k, v in r.items() if k != "public"} for r in rows]  # a store before revision 0008
        edited = _edited_metrics(conn)
        # the seed refreshes its own metrics (a new release's limits and order), but a metric an
        # administrator changed on the catalog page keeps the store's definition
        _upsert(conn, metrics, [r for r in rows if r["code"] not in edited], ["code"])
        _insert_missing(conn, metrics, [r for r in rows if r["code"] in edited], ["code"])


def _edited_metrics(conn: Connection) -> set[str]:
    """The codes of the metrics changed through ``write_metrics`` (its audit rows say which)."""
    edited: set[str] = set()
    if not inspect(conn).has_table(audit_log.name):  # a store not yet at revision 0005 (tests of old stores)
        return edited
    for (detail,) in conn.execute(select(audit_log.c.detail).where(audit_log.c.action == "catalog")):
        try:
            edited.update(str(code) for code in json.loads(detail or "{}").get("metrics", []))
        except (ValueError, AttributeError):
            log.warning("an audit row of a catalog change cannot be read: %r", detail)
    return edited


def _insert_missing(conn: Connection, table: Table, rows: list[dict], keys: Iterable[str]) -> None:
    if not rows:
        return
    stmt = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(table)
    conn.execute(stmt.on_conflict_do_nothing(index_elements=list(keys)), rows)


def _iso_periods(periods: pd.Series) -> list[str]:
    """ISO dates for the period column, converting each distinct value once."""
    mapping = {p: pd.Timestamp(p).date().isoformat() for p in pd.unique(periods)}
    return periods.map(mapping).tolist()


# ---------------------------------------------------------------- transactions, lock, audit


def _claim(conn: Connection) -> None:
    """Take the store's write lock as the transaction's first statement (see the module's doc)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
    else:  # a write that changes nothing: SQLite takes its write lock now, waiting out the busy timeout
        conn.exec_driver_sql("UPDATE batches SET id = id WHERE 0")


def in_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """``work(conn)`` in one transaction holding the write lock; run again after a PostgreSQL
    deadlock or serialization failure, at most ``RETRIES`` times."""
    attempt = 0
    while True:
        try:
            with engine.begin() as conn:
                _claim(conn)
                return work(conn)
        except DBAPIError as exc:
            if attempt >= RETRIES or not faults.is_retryable_conflict(exc):
                raise
            attempt += 1
            log.warning(
                "store write met another transaction (SQLSTATE %s); running it again (%d of %d)",
                getattr(exc.orig, "sqlstate", None),
                attempt,
                RETRIES,
            )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit_on(conn: Connection, actor: str, action: str, batch_id: int | None, detail: dict) -> None:
    conn.execute(
        insert(audit_log),
        {
            "at": utc_now(),
            "actor": (actor or "")[:200],
            "action": action[:32],
            "batch_id": batch_id,
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
        },
    )


def record_audit(
    engine: Engine, actor: str, action: str, detail: dict | None = None, batch_id: int | None = None
) -> None:
    """Add one row to the audit log (``action`` such as 'login_failed'; ``detail`` a JSON-able dict)."""
    with engine.begin() as conn:
        audit_on(conn, actor, action, batch_id, detail or {})


# ---------------------------------------------------------------- staging


_STAGE_COLUMNS = ("metric", "period", "district", "value")
_KEY = ("metric", "period", "district")
# the store's table and the revision kind for each batch table
_TABLES = {"observations": "observation", "targets": "target"}
_STORE = {"observations": observations, "targets": targets}
# the temporary stage table a batch is staged in (created by _stage_sqlite and _stage_postgresql, never
# by metadata.create_all); its columns are untyped here: the driver hands the values back as it holds
# them (a period as ISO text on SQLite, a date on PostgreSQL)
obs_stage = table_clause("obs_stage", *(column(name) for name in _STAGE_COLUMNS))
# the statements' parameters: the batch written or rolled back, and its revision kind
_BATCH = bindparam("batch", type_=Integer)
_KIND = bindparam("kind", type_=String)


def _same_key(a: FromClause, b: FromClause) -> ColumnElement[bool]:
    """``a`` and ``b`` name the same key (metric, period, district)."""
    return and_(*(a.c[name] == b.c[name] for name in _KEY))


def _per_table(build: Callable[[Table], T]) -> dict[str, T]:
    """``build(table)`` for each batch table, by name."""
    return {name: build(t) for name, t in _STORE.items()}


def _changed(o: Table) -> ColumnElement[int]:
    """1 when the staged value differs from the stored one, else 0."""
    return case((o.c.value == obs_stage.c.value, 0), else_=1)


# what the batch meets: the value and owner of every key it writes that the store already holds
_REVISIONS = _per_table(
    lambda o: insert(revisions).from_select(
        ["batch_id", "kind", "metric", "period", "district", "old_value", "old_batch_id", "new_value", "changed"],
        select(
            _BATCH,
            _KIND,
            o.c.metric,
            o.c.period,
            o.c.district,
            o.c.value,
            o.c.batch_id,
            obs_stage.c.value,
            _changed(o),
        ).select_from(obs_stage.join(o, _same_key(o, obs_stage))),
    )
)
_REVISION_COUNTS = (
    select(revisions.c.changed, func.count())
    .where(revisions.c.batch_id == _BATCH, revisions.c.kind == _KIND)
    .group_by(revisions.c.changed)
)


def _merge(dialect_insert: Callable[[Table], sqlite.Insert | postgresql.Insert], o: Table) -> Executable:
    stmt = dialect_insert(o).from_select(
        [*_STAGE_COLUMNS, "batch_id"],
        # the WHERE keeps SQLite's parser from reading ON CONFLICT as the join's ON
        select(*obs_stage.c, _BATCH).where(true()),
    )
    return stmt.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={"value": stmt.excluded.value, "batch_id": stmt.excluded.batch_id},
        where=o.c.value != stmt.excluded.value,
    )


# new and changed keys only: an unchanged key keeps the batch that first wrote its value (per dialect)
_MERGE = {
    (dialect, name): _merge(dialect_insert, o)
    for dialect, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
    for name, o in _STORE.items()
}
# what the batch brought per district and month, kept after later batches replace its values
_SUBMISSIONS = insert(submissions).from_select(
    ["batch_id", "district", "period", "metrics"],
    select(_BATCH, obs_stage.c.district, obs_stage.c.period, func.count()).group_by(
        obs_stage.c.district, obs_stage.c.period
    ),
)


@dataclass(frozen=True)
class _Staged:
    """A batch's rows as columns ready for the stage table (periods as ISO text)."""

    metric: list[str]
    period: list[str]
    district: list[int]
    value: list[float]

    @classmethod
    def of(cls, rows: pd.DataFrame) -> _Staged:
        if not len(rows):
            return cls([], [], [], [])
        return cls(
            rows["metric"].astype(str).tolist(),
            _iso_periods(rows["period"]),
            rows["district"].astype("int64").tolist(),
            rows["value"].astype("float64").tolist(),
        )

    def __len__(self) -> int:
        return len(self.metric)

    def only_periods(self, periods: set[str]) -> _Staged:
        """The rows whose period is one of ``periods`` (ISO)."""
        if len(periods) == len(set(self.period)):
            return self
        keep = [i for i, p in enumerate(self.period) if p in periods]
        return _Staged(*([column[i] for i in keep] for column in self.columns()))

    def columns(self) -> tuple[list, ...]:
        return self.metric, self.period, self.district, self.value


def _stage_sqlite(conn: Connection, columns: tuple[list, ...], total: int, progress: Progress | None) -> None:
    raw = driver_connection(conn.connection)
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS obs_stage (metric TEXT, period TEXT, district INTEGER, value REAL)")
    raw.execute("DELETE FROM obs_stage")
    for start in range(0, total, CHUNK):
        stop = min(start + CHUNK, total)
        raw.executemany(
            "INSERT INTO obs_stage (metric, period, district, value) VALUES (?, ?, ?, ?)",
            zip(*(c[start:stop] for c in columns), strict=True),
        )
        if progress:
            progress(stop, total)


def _stage_postgresql(conn: Connection, columns: tuple[list, ...], total: int, progress: Progress | None) -> None:
    raw = driver_connection(conn.connection)
    with raw.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS obs_stage "
            "(metric text, period date, district integer, value double precision) ON COMMIT DROP"
        )
        cur.execute("DELETE FROM obs_stage")
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            with cur.copy("COPY obs_stage (metric, period, district, value) FROM STDIN") as copy:
                for row in zip(*(c[start:stop] for c in columns), strict=True):
                    copy.write_row(row)
            if progress:
                progress(stop, total)
        cur.execute("ANALYZE obs_stage")  # a fresh temp table has no statistics: the joins need them


def _stage(conn: Connection, staged: _Staged, progress: Progress | None = None) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        _stage_sqlite(conn, staged.columns(), len(staged), progress)
    elif dialect == "postgresql":
        _stage_postgresql(conn, staged.columns(), len(staged), progress)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database: {dialect}")
    if not len(staged) and progress:
        progress(0, 0)


# ---------------------------------------------------------------- batches


@dataclass(frozen=True)
class _Counts:
    new: int
    changed: int
    unchanged: int


def insert_batch(conn: Connection, info: BatchInfo, kind: str, rows_loaded: int) -> int:
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
                "kind": kind,
                "status": "active",
                "rows_new": 0,
                "rows_changed": 0,
                "rows_unchanged": 0,
                "lenient": int(bool(info.lenient)),
                "notes": list(info.notes),
                "sheet": info.sheet[:200] if info.sheet else None,
            },
        ).scalar_one()
    )


def store_source(conn: Connection, info: BatchInfo) -> None:
    """Keep the file's bytes under its sha256, once per distinct content."""
    if info.content is None:
        return
    digest = hashlib.sha256(info.content).hexdigest()
    if info.sha256 != digest:
        raise ValueError(f"BatchInfo.sha256 {info.sha256!r} is not the sha256 of its content ({digest})")
    dialect = conn.dialect.name
    stmt = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(source_files)
    row = {"sha256": digest, "size": len(info.content), "content": info.content, "stored_at": utc_now()}
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]), row)


def store_rejections(conn: Connection, batch_id: int, rejections: Iterable[dict]) -> None:
    rows = []
    for seq, item in enumerate(rejections, start=1):
        row = item.get("row")
        value = item.get("value")
        rows.append(
            {
                "batch_id": batch_id,
                "seq": seq,
                "sheet": None if item.get("sheet") is None else str(item["sheet"])[:200],
                "row": None if row is None else int(row),
                "column": None if item.get("column") is None else str(item["column"])[:200],
                "value": None if value is None else str(value),
                "reason": item["reason"],
            }
        )
    if rows:
        conn.execute(insert(batch_rejections), rows)


def _write_rows_on(
    conn: Connection, table: str, staged: _Staged, info: BatchInfo, kind: str, progress: Progress | None = None
) -> tuple[int, _Counts]:
    """Steps (2)-(8) of a batch write on a connection that holds the write lock (see write_batch)."""
    rev_kind = _TABLES[table]
    batch_id = insert_batch(conn, info, kind, len(staged))
    store_source(conn, info)
    _stage(conn, staged, progress)
    conn.execute(_REVISIONS[table], {"batch": batch_id, "kind": rev_kind})
    met: dict[int, int] = dict(conn.execute(_REVISION_COUNTS, {"batch": batch_id, "kind": rev_kind}).all())
    counts = _Counts(
        new=len(staged) - int(met.get(0, 0)) - int(met.get(1, 0)),
        changed=int(met.get(1, 0)),
        unchanged=int(met.get(0, 0)),
    )
    conn.execute(_MERGE[conn.dialect.name, table], {"batch": batch_id})
    if table == "observations":
        conn.execute(_SUBMISSIONS, {"batch": batch_id})
    conn.execute(delete(obs_stage))  # the next batch of the same transaction stages afresh
    conn.execute(
        update(batches)
        .where(batches.c.id == batch_id)
        .values(rows_new=counts.new, rows_changed=counts.changed, rows_unchanged=counts.unchanged)
    )
    store_rejections(conn, batch_id, info.rejections)
    return batch_id, counts


def _load_detail(info: BatchInfo, kind: str, counts: _Counts) -> dict:
    return {
        "file": info.source_name,
        "sha256": info.sha256,
        "kind": kind,
        "sheet": info.sheet,
        "lenient": bool(info.lenient),
        "rows_read": info.rows_read,
        "rows_rejected": info.rows_rejected,
        "new": counts.new,
        "changed": counts.changed,
        "unchanged": counts.unchanged,
    }


def _write_one(
    engine: Engine, table: str, rows: pd.DataFrame, info: BatchInfo, kind: str, progress: Progress | None
) -> int:
    staged = _Staged.of(rows)

    def work(conn: Connection) -> int:
        batch_id, counts = _write_rows_on(conn, table, staged, info, kind, progress)
        action = "sample" if kind == "sample" else "load"
        audit_on(conn, info.loaded_by, action, batch_id, _load_detail(info, kind, counts))
        return batch_id

    return in_transaction(engine, work)


def write_batch(
    engine: Engine,
    rows: pd.DataFrame,
    info: BatchInfo,
    progress: Progress | None = None,
) -> int:
    """Store ``rows`` (district, metric, period, value) as one batch of observations, in one transaction.

    Under the write lock: the batch record and the file's bytes (``info.content``, kept once per
    content); the rows staged in a temporary table (COPY on PostgreSQL, in chunks of ``CHUNK``,
    ``progress(done, total)`` after each); the keys counted against the store (new, changed,
    unchanged: on the batch record); the old value and batch of every key it meets in ``revisions``;
    new and changed keys merged (an unchanged key keeps its batch); what the batch brought per
    district and month in ``submissions`` (unchanged or not: a report is a report); the lenient
    load's rejected rows; one audit row ('load', or 'sample' for kind 'sample').
    Either all of it is stored, or nothing is. ``rows`` must not repeat a (district, metric,
    period); the loaders refuse such files. Returns the batch id.
    """
    kind = info.kind if info.kind in ("observations", "sample") else "observations"
    return _write_one(engine, "observations", rows, info, kind, progress)


def write_targets(engine: Engine, rows: pd.DataFrame, info: BatchInfo) -> int:
    """Store ``rows`` (district, metric, period, value; district 0 = the whole city) as one batch of
    targets, in one transaction, with the same history as ``write_batch``: every target with its
    batch record, or nothing.

    A later target for the same metric, month and district replaces the earlier one. Targets are
    not reports: they add nothing to ``submissions``. ``rows`` must not repeat a (district, metric,
    period); the loader refuses such files. The batch's kind is 'targets' (or 'sample'). Returns
    the batch id.
    """
    kind = "sample" if info.kind == "sample" else "targets"
    return _write_one(engine, "targets", rows, info, kind, None)


def write_batches(engine: Engine, items: Iterable[tuple[pd.DataFrame, BatchInfo]]) -> list[int]:
    """Store several batches of observations, in order, in one transaction (the sample's month-by-month
    history): every batch is stored or none is. Each is a batch of kind 'sample' (unless its info says
    otherwise) with its own history; one audit row ('sample') covers them all. Returns the batch ids."""
    items = [(_Staged.of(rows), info) for rows, info in items]

    def work(conn: Connection) -> list[int]:
        ids, actor, total = [], "", _Counts(0, 0, 0)
        for staged, info in items:
            kind = "sample" if info.kind == "observations" else info.kind
            batch_id, counts = _write_rows_on(conn, "observations", staged, info, kind)
            ids.append(batch_id)
            actor = info.loaded_by
            total = _Counts(total.new + counts.new, total.changed + counts.changed, total.unchanged + counts.unchanged)
        if ids:
            detail = {"batches": len(ids), "first": ids[0], "last": ids[-1], **vars(total)}
            audit_on(conn, actor, "sample", ids[-1], detail)
        return ids

    return in_transaction(engine, work)


def write_boundaries(engine: Engine, shapes: dict[int, dict], info: BatchInfo) -> int:
    """Replace the stored district boundaries with ``shapes`` (district -> GeoJSON Polygon or
    MultiPolygon, already checked by the loader), as one batch (kind 'boundaries', with an audit row
    'boundaries') in one transaction: the whole new set with its batch record, or nothing (the old set
    stays). A district absent from ``shapes`` has no boundary afterwards. Returns the batch id.
    A boundaries batch cannot be rolled back: loading the earlier file again restores it."""

    def work(conn: Connection) -> int:
        batch_id = insert_batch(conn, info, "boundaries", len(shapes))
        store_source(conn, info)
        conn.execute(update(batches).where(batches.c.id == batch_id).values(rows_new=len(shapes)))
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
        detail = {"file": info.source_name, "sha256": info.sha256, "districts": sorted(int(d) for d in shapes)}
        audit_on(conn, info.loaded_by, "boundaries", batch_id, detail)
        return batch_id

    return in_transaction(engine, work)


# ---------------------------------------------------------------- what a batch would change


@dataclass(frozen=True)
class BatchDiff:
    """How a batch's keys stand against the store: ``new`` (absent), ``changed`` (another value),
    ``unchanged`` (the same value); ``changes`` is a sample of the changed keys (district, metric,
    period, old_value, new_value), ordered by district, metric and period."""

    new: int
    changed: int
    unchanged: int
    changes: pd.DataFrame


_DIFF_COUNTS = _per_table(
    lambda o: select(func.count(), func.coalesce(func.sum(_changed(o)), 0)).select_from(
        obs_stage.join(o, _same_key(o, obs_stage))
    )
)
_DIFF_SAMPLE = _per_table(
    lambda o: (
        select(obs_stage.c.district, obs_stage.c.metric, obs_stage.c.period, o.c.value, obs_stage.c.value)
        .select_from(obs_stage.join(o, _same_key(o, obs_stage)))
        .where(o.c.value != obs_stage.c.value)
        .order_by(obs_stage.c.district, obs_stage.c.metric, obs_stage.c.period)
        .limit(bindparam("limit", type_=Integer))
    )
)
_CHANGE_COLUMNS = ["district", "metric", "period", "old_value", "new_value"]


_HOLDS_PERIOD = {
    name: select(literal(1)).select_from(t).where(t.c.period == bindparam("period")).limit(1)
    for name, t in (("observations", observations), ("targets", targets))
}


def _occupied_periods(conn: Connection, table: str, periods: list[str]) -> set[str]:
    """The periods (ISO) among ``periods`` for which ``table`` holds at least one row (one indexed
    probe a period)."""
    return {p for p in periods if conn.execute(_HOLDS_PERIOD[table], {"period": p}).first() is not None}


def diff_batch(engine: Engine, rows: pd.DataFrame, kind: str = "observations", sample: int = 50) -> BatchDiff:
    """What storing ``rows`` (district, metric, period, value, as ``write_batch`` takes them) would do,
    without storing anything: how many keys are new, changed and unchanged against the observations
    (or the targets, for ``kind`` 'targets'), and up to ``sample`` of the changed keys.

    The rows of months the store already holds something for are staged in a temporary table as a
    write stages them (COPY on PostgreSQL), joined with the store and thrown away; rows of months it
    holds nothing for are new without asking (one indexed probe a month), so a batch of new months
    costs next to nothing and a million rows the store holds cost about what staging them costs."""
    table = "targets" if kind == "targets" else "observations"
    staged = _Staged.of(rows)
    with engine.connect() as conn:
        try:
            occupied = _occupied_periods(conn, table, sorted(set(staged.period)))
            met = staged.only_periods(occupied)
            if len(met):
                _stage(conn, met)
                matched, changed = conn.execute(_DIFF_COUNTS[table]).one()
                found = conn.execute(_DIFF_SAMPLE[table], {"limit": max(int(sample), 0)}).all()
            else:
                matched, changed, found = 0, 0, []
        finally:
            conn.rollback()
    changes = pd.DataFrame([tuple(r) for r in found], columns=_CHANGE_COLUMNS)
    if len(changes):
        changes["period"] = period_dates(changes["period"])
        changes["district"] = changes["district"].astype("int64")
    matched, changed = int(matched or 0), int(changed or 0)
    return BatchDiff(new=len(staged) - matched, changed=changed, unchanged=matched - changed, changes=changes)


# ---------------------------------------------------------------- rollback


class RollbackRefused(MessageError):
    """A rollback the store refuses; :attr:`message` is what to tell the user."""


class BatchNotFound(RollbackRefused):
    def __init__(self, batch_id: int) -> None:
        super().__init__(
            f"دسته‌ی شماره‌ی {batch_id} در پایگاه داده نیست؛ شماره را در فهرست بارگذاری‌ها بررسی کنید",
            f"there is no batch {batch_id} in the store; check the number in the list of loads",
        )


class BatchAlreadyRolledBack(RollbackRefused):
    def __init__(self, batch_id: int, when: dt.datetime | None, who: str | None) -> None:
        at = when.strftime("%Y-%m-%d %H:%M UTC") if when else "?"
        super().__init__(
            f"دسته‌ی شماره‌ی {batch_id} پیش‌تر ({at}، {who or '؟'}) برگردانده شده است؛ کاری لازم نیست",
            f"batch {batch_id} was already rolled back ({at}, by {who or '?'}); nothing to do",
        )


class BatchNotUndoable(RollbackRefused):
    pass


@dataclass(frozen=True)
class RollbackOutcome:
    """What a rollback did to the keys: ``restored`` to an earlier batch's value, ``removed`` (no
    batch left that wrote them), ``kept_newer`` (the batch's new or changed keys whose value now
    comes from a later batch, left as they are)."""

    restored: int
    removed: int
    kept_newer: int


_RB_CREATE = {
    "sqlite": (
        "CREATE TEMP TABLE IF NOT EXISTS rb_keys (metric TEXT, period TEXT, district INTEGER, cur INTEGER, "
        "prev INTEGER, val REAL, owner INTEGER, state TEXT, PRIMARY KEY (metric, period, district))"
    ),
    "postgresql": (
        "CREATE TEMP TABLE IF NOT EXISTS rb_keys (metric text, period date, district integer, cur integer, "
        "prev integer, val double precision, owner integer, state text, PRIMARY KEY (metric, period, district)) "
        "ON COMMIT DROP"
    ),
}
# the rollback's temporary table (created by _RB_CREATE, never by metadata.create_all): a key the batch
# holds, the batch ``cur`` the walk stands at, the batch ``prev`` and value ``val`` that batch met, the
# batch ``owner`` that owns the value the key gets, and its ``state`` (pending, kept, removed, restored)
rb_keys = table_clause(
    "rb_keys", *(column(name) for name in ("metric", "period", "district", "cur", "prev", "val", "owner", "state"))
)
_rv = revisions.alias("rv")
_b = batches.alias("b")
# the revision of the batch's kind for the rb_keys key
_RB_KEY = and_(_rv.c.kind == _KIND, _same_key(_rv, rb_keys))


def _active_writer(*also: ColumnElement[bool]) -> ColumnElement[int | None]:
    """The oldest batch not rolled back with a revision of the rb_keys key (and ``also``)."""
    return (
        select(func.min(_rv.c.batch_id))
        .select_from(_rv.join(_b, _b.c.id == _rv.c.batch_id))
        .where(_RB_KEY, _b.c.status == "active", *also)
        .scalar_subquery()
    )


def _rb_set(in_state: str, /, *where: ColumnElement[bool], **values: object) -> Update:
    """UPDATE rb_keys SET ``values`` for its keys in state ``in_state`` (and ``where``)."""
    return update(rb_keys).where(rb_keys.c.state == in_state, *where).values(**values)


def _rb_met(column_name: str) -> ColumnElement[object]:
    """What the batch at ``cur`` met for the rb_keys key (a column of its revision; none: it added the key)."""
    return select(_rv.c[column_name]).where(_rv.c.batch_id == rb_keys.c.cur, _RB_KEY).scalar_subquery()


_RB_STEPS_FIRST: tuple[dict[str, Executable], ...] = (
    # every key whose value the batch holds now
    _per_table(
        lambda o: insert(rb_keys).from_select(
            ["metric", "period", "district", "cur", "state"],
            select(o.c.metric, o.c.period, o.c.district, _BATCH, literal("pending")).where(o.c.batch_id == _BATCH),
        )
    ),
    # a later batch that is not rolled back wrote the same value since: the value stays, that batch owns it
    dict.fromkeys(_TABLES, _rb_set("pending", owner=_active_writer(_rv.c.batch_id > _BATCH))),
    dict.fromkeys(_TABLES, _rb_set("pending", rb_keys.c.owner.is_not(None), state="kept")),
)
_RB_STEPS_WALK: tuple[Executable, ...] = (
    # one step back: the value and owner the batch at ``cur`` met (none: it added the key)
    _rb_set("pending", prev=_rb_met("old_batch_id"), val=_rb_met("old_value")),
    _rb_set("pending", rb_keys.c.prev.is_(None), state="removed"),
    # that value stands if its owner, or a batch that wrote it unchanged before ``cur``, is not rolled back
    _rb_set(
        "pending",
        owner=case(
            (exists().where(_b.c.id == rb_keys.c.prev, _b.c.status == "active"), rb_keys.c.prev),
            else_=_active_writer(_rv.c.batch_id > rb_keys.c.prev, _rv.c.batch_id < rb_keys.c.cur),
        ),
    ),
    _rb_set("pending", rb_keys.c.owner.is_not(None), state="restored"),
    # else its owner was rolled back too: step back from it
    _rb_set("pending", cur=rb_keys.c.prev, prev=None),
)


def _rb_apply(o: Table) -> tuple[Update, Update, Delete]:
    return (
        update(o)
        .where(_same_key(rb_keys, o), rb_keys.c.state == "restored")
        .values(value=rb_keys.c.val, batch_id=rb_keys.c.owner),
        update(o).where(_same_key(rb_keys, o), rb_keys.c.state == "kept").values(batch_id=rb_keys.c.owner),
        delete(o).where(o.c.batch_id == _BATCH),
    )


_RB_APPLY = _per_table(_rb_apply)
_RB_PENDING = select(func.count()).select_from(rb_keys).where(rb_keys.c.state == "pending")
_RB_STATES = select(rb_keys.c.state, func.count()).group_by(rb_keys.c.state)
_RB_CLEAR = delete(rb_keys)
# keys the batch holds that it only met unchanged (it came to own them when their owner was rolled back)
_RB_OWNED_UNCHANGED = select(func.count()).select_from(
    rb_keys.join(_rv, and_(_rv.c.batch_id == _BATCH, _rv.c.changed == 0, _RB_KEY))
)


def _rollback_table(conn: Connection, table: str, batch_id: int) -> dict[str, int]:
    """Undo ``batch_id`` in one table (observations or targets); counts of keys by outcome."""
    kind = _TABLES[table]
    conn.exec_driver_sql(_RB_CREATE[conn.dialect.name])
    conn.execute(_RB_CLEAR)
    params = {"batch": batch_id, "kind": kind}
    for step in _RB_STEPS_FIRST:
        conn.execute(step[table], params)
    while conn.execute(_RB_PENDING).scalar_one():
        for walk in _RB_STEPS_WALK:  # each round steps every pending key back to an older batch
            conn.execute(walk, params)
    counts: dict[str, int] = dict(conn.execute(_RB_STATES).all())
    counts["owned_unchanged"] = conn.execute(_RB_OWNED_UNCHANGED, params).scalar_one()
    for apply in _RB_APPLY[table]:
        conn.execute(apply, params)
    return {k: int(v) for k, v in counts.items()}


def rollback_batch(engine: Engine, batch_id: int, actor: str) -> RollbackOutcome:
    """Undo a batch of observations or targets, in one transaction under the write lock.

    Each key whose current value belongs to the batch gets back the value of the newest batch that
    wrote it and is not rolled back (following ``revisions`` back past batches rolled back too), or
    is removed when there is none; a key a later batch has written since keeps that batch's value.
    Afterwards every key holds the value of the newest batch that wrote it (unchanged writes count)
    and is not rolled back, and a key no such batch wrote is absent; a later rollback of a later
    batch never brings this batch's values back. The batch's submissions are deleted (the reporting
    record forgets it); the batch stays listed, marked rolled back with when and by whom; one audit
    row 'rollback'.

    Raises ``BatchNotFound``, ``BatchAlreadyRolledBack``, or ``BatchNotUndoable`` for a boundaries
    batch (load the earlier file again) and for a batch stored before the store kept its history.
    """
    batch_id = int(batch_id)

    def work(conn: Connection) -> RollbackOutcome:
        row = conn.execute(select(batches).where(batches.c.id == batch_id)).mappings().first()
        if row is None:
            raise BatchNotFound(batch_id)
        if row["status"] == "rolled_back":
            raise BatchAlreadyRolledBack(batch_id, row["rolled_back_at"], row["rolled_back_by"])
        if row["kind"] == "boundaries":
            raise BatchNotUndoable(
                f"دسته‌ی شماره‌ی {batch_id} فایل مرزهای مناطق است و برگرداندنی نیست؛ برای بازگشت، فایل مرزهای پیشین را دوباره بارگذاری کنید",
                f"batch {batch_id} is a district boundaries file and cannot be rolled back; to go back, load the earlier boundaries file again",
            )
        if row["rows_new"] is None:
            raise BatchNotUndoable(
                f"دسته‌ی شماره‌ی {batch_id} پیش از نگه‌داری تاریخچه‌ی تغییرات بارگذاری شده و برگرداندنی نیست؛ "
                "مقادیر درست را در فایلی تازه بارگذاری کنید",
                f"batch {batch_id} was loaded before the store kept the history of changes and cannot be rolled "
                "back; load the correct values in a new file",
            )
        at = utc_now()
        conn.execute(
            update(batches)
            .where(batches.c.id == batch_id)
            .values(status="rolled_back", rolled_back_at=at, rolled_back_by=(actor or "")[:200])
        )
        restored = removed = kept = owned_brought = 0
        for table in _TABLES:
            counts = _rollback_table(conn, table, batch_id)
            restored += counts.get("restored", 0)
            removed += counts.get("removed", 0)
            kept += counts.get("kept", 0)
            owned = counts.get("restored", 0) + counts.get("removed", 0) + counts.get("kept", 0)
            owned_brought += owned - counts["owned_unchanged"]
        conn.execute(delete(submissions).where(submissions.c.batch_id == batch_id))
        # a file of notable actions (monitoring.store.reviews): its actions go with it
        removed += int(conn.execute(delete(actions_table).where(actions_table.c.batch_id == batch_id)).rowcount or 0)
        brought = int(row["rows_new"] or 0) + int(row["rows_changed"] or 0)
        outcome = RollbackOutcome(restored=restored, removed=removed, kept_newer=kept + max(brought - owned_brought, 0))
        detail = {"file": row["source_name"], "sha256": row["sha256"], "kind": row["kind"], **vars(outcome)}
        audit_on(conn, actor, "rollback", batch_id, detail)
        return outcome

    return in_transaction(engine, work)


def active_batch_with_sha256(engine: Engine, sha256: str) -> dict | None:
    """The newest batch holding the same file bytes that is not rolled back: id, source_name, loaded_at
    (UTC), loaded_by, kind; None when there is none (so a loader can say "already loaded as batch N")."""
    b = batches.c
    stmt = (
        select(b.id, b.source_name, b.loaded_at, b.loaded_by, b.kind)
        .where(b.sha256 == sha256, b.status == "active")
        .order_by(b.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    return dict(row)

"""Big stores, on SQLite and PostgreSQL: each page's reads beside the bare SQL that returns the same rows.

``python -m benchmarks bigstore [--quick]``. Two stores are built on each engine:

* the decade store: 120 months × 22 districts × 60 metrics (158,400 figures);
* the neighbourhood-scale store: the rows 374 neighbourhoods × 60 metrics × 120 months would hold
  (2,692,800), kept as 120 months × 22 districts × 1,020 metrics (the catalog's 16 and 1,004 made-up
  ones), since the store keeps one value per (metric, month, district). A month of it is 22,440
  figures, as a month of 374 neighbourhoods would be.

For each page (overview, rankings, district) every named query it runs on a new data version (every
``ui.data`` cache missing) is timed on its engine, then the simplest SELECT that returns the same rows
on the driver's raw cursor; a page's figure is the sum of its queries' medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from benchmarks import cases, data
from benchmarks.report import Result, median_time, table, write_json
from monitoring import alerts, calendar, compliance, districts, metrics, rankings, store
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.store.schema import driver_connection
from monitoring.store.schema import observations as observations_table

CATALOG_SIZE = 16  # the metrics sample_data/ defines; the rest of a store's catalog is made up
NEIGHBOURHOODS = 374
# under this a floor is a lookup: the named read's pool checkout and DataFrame cost more than the SQL
SMALL_FLOOR_S = 0.002
SMALL_NOTE = "floor under 2 ms: not judged by ratio (a pool checkout and a DataFrame cost more than the SQL)"


@dataclass(frozen=True)
class Shape:
    """A store's size: ``months`` monthly figures for 22 districts and ``metric_count`` metrics."""

    label: str
    months: int
    metric_count: int
    repeat: int  # timed runs of each query

    @property
    def rows(self) -> int:
        return self.months * self.metric_count * 22


DECADE = Shape("decade store", 120, 60, 15)
# 374 neighbourhoods × 60 metrics × 120 months of rows = 22 districts × (17 × 60) metrics × 120 months
NEIGHBOURHOOD = Shape("neighbourhood-scale store", 120, 60 * NEIGHBOURHOODS // 22, 5)
QUICK = (Shape("decade store", 120, 60, 5), Shape("neighbourhood-scale store (quick: 1/4)", 120, 255, 3))


def describe(shape: Shape) -> str:
    return f"{shape.label}: {shape.months} months × 22 districts × {shape.metric_count:,} metrics = {shape.rows:,} rows"


# ---------------------------------------------------------------- building


def _rows(shape: Shape, catalog: dict[str, Metric], months: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """Every metric × month × district in primary-key order (metric, period, district), values inside
    each metric's limits; counts whole."""
    codes = list(catalog)
    numbers = districts.reference()["district"].to_numpy()
    per_metric = len(months) * len(numbers)
    rng = np.random.default_rng(1405)
    low = np.array([catalog[c].min_value or 0.0 for c in codes])
    high = np.array([catalog[c].max_value if catalog[c].max_value is not None else 500.0 for c in codes])
    whole = np.array([catalog[c].decimals == 0 for c in codes])
    code_index = np.repeat(np.arange(len(codes)), per_metric)
    value = low[code_index] + rng.random(len(code_index)) * (high[code_index] - low[code_index])
    value = np.where(whole[code_index], np.floor(value), np.round(value, 1))
    starts = np.asarray([calendar.month_start(y, m).isoformat() for y, m in months], dtype=object)
    return pd.DataFrame(
        {
            "metric": np.asarray(codes, dtype=object)[code_index],
            "period": np.tile(np.repeat(starts, len(numbers)), len(codes)),
            "district": np.tile(numbers, len(codes) * len(months)),
            "value": value,
        }
    )


def _prepare(engine: Engine, shape: Shape) -> tuple[int, pd.DataFrame]:
    """The catalog grown to ``shape.metric_count``, an empty batch to own the rows, and the rows."""
    extra = data.synthetic_metrics(shape.metric_count - CATALOG_SIZE)
    data.register_metrics(engine, extra)
    catalog = store.metric_catalog(engine)
    if len(catalog) != shape.metric_count:
        raise AssertionError(f"the store's catalog holds {len(catalog)} metrics, not {shape.metric_count}")
    batch_id = cases._empty_batch(engine, shape.label)
    months = data.recent_months(shape.months)
    return batch_id, _rows(shape, catalog, months)


def _submissions(engine: Engine, batch_id: int, frame: pd.DataFrame, metric_count: int) -> None:
    """One submission a district-month, as a load of the whole store would leave (the reporting strip)."""
    keys = frame[["district", "period"]].drop_duplicates()
    params = [
        {"b": batch_id, "d": int(d), "p": dt.date.fromisoformat(p), "m": metric_count}
        for d, p in keys.itertuples(index=False)
    ]
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO submissions (batch_id, district, period, metrics) VALUES (:b, :d, :p, :m)"), params
        )


@contextmanager
def _indexes_after(engine: Engine) -> Iterator[None]:
    """Drop the observations' secondary indexes for a bulk write and build them again after it:
    one sort each instead of an index update a row."""
    indexes = list(observations_table.indexes)
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    try:
        yield
    finally:
        with engine.begin() as conn:
            for index in indexes:
                index.create(conn)


def build_sqlite(path: Path, shape: Shape) -> tuple[Engine, float]:
    """A migrated SQLite store holding ``shape``'s rows, written by one executemany in key order
    (secondary indexes built after)."""
    engine = data.fresh_store(path, [])
    start = time.perf_counter()
    batch_id, frame = _prepare(engine, shape)
    params = zip(
        frame["metric"].tolist(),
        frame["period"].tolist(),
        frame["district"].tolist(),
        frame["value"].tolist(),
        [batch_id] * len(frame),
        strict=True,
    )
    with _indexes_after(engine):
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA foreign_keys=OFF")  # the rows are made for this catalog and batch
            # SQLAlchemy's DBAPI cursor protocol asks for a Sequence; sqlite3's executemany takes any
            # iterable, so the rows stream from the zip instead of being held in a list first
            raw.cursor().executemany(cases.INSERT_SQL, cast("Sequence[Sequence[Any]]", params))
            raw.commit()
        finally:
            raw.cursor().execute("PRAGMA foreign_keys=ON")
            raw.close()
    _submissions(engine, batch_id, frame, shape.metric_count)
    return engine, time.perf_counter() - start


def build_postgres(url: str, shape: Shape) -> tuple[Engine, float]:
    """A migrated PostgreSQL store holding ``shape``'s rows, written by one COPY (foreign-key triggers
    off, secondary indexes built after), then ANALYZEd as autovacuum would within a minute."""
    engine = store.make_engine(url)
    store.ensure_ready(engine)
    start = time.perf_counter()
    batch_id, frame = _prepare(engine, shape)
    buffer = io.StringIO()
    frame.assign(batch_id=batch_id).to_csv(buffer, sep="\t", header=False, index=False, float_format="%.1f")
    payload = buffer.getvalue().encode()
    del buffer
    with _indexes_after(engine):
        raw = engine.raw_connection()
        try:
            with driver_connection(raw).cursor() as cur:
                # the rows are made for this catalog, these districts and this batch: no per-row key checks
                cur.execute("SET LOCAL session_replication_role = replica")
                with cur.copy("COPY observations (metric, period, district, value, batch_id) FROM STDIN") as copy:
                    for at in range(0, len(payload), 1 << 20):
                        copy.write(payload[at : at + (1 << 20)])
            raw.commit()  # before the indexes are built again, on another connection
        finally:
            raw.close()
    _submissions(engine, batch_id, frame, shape.metric_count)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    return engine, time.perf_counter() - start


# ---------------------------------------------------------------- what each page reads


@dataclass(frozen=True)
class Query:
    """One named read and the bare SQL (qmark placeholders) that returns the same rows."""

    name: str
    named: Callable[[], object]
    sql: str
    params: tuple


PAGE_READS: dict[str, list[str]] = {
    # ui/data.py calls on a new data version, in the order the page script makes them
    "overview": [
        "data_version",
        "metric_catalog",
        "period_range",
        "reference_districts",
        "latest_batch",
        "metric_district_values (month)",
        "district_month_values (alert span: 13 months)",
        "targets (month)",
        "city_series (every month)",
        "metric_district_values (month before)",
        "metric_district_values (a year before)",
    ],
    "rankings": [
        "data_version",
        "metric_catalog",
        "period_range",
        "reference_districts",
        "district_values (month)",
        "district_months (12 months)",
        "metric_district_values (month)",
    ],
    "district": [
        "data_version",
        "metric_catalog",
        "period_range",
        "reference_districts",
        "metric_district_values (month)",
        "metric_district_values (month before)",
        "metric_district_values (a year before)",
        "district_month_values (24 months)",
        "reporting_record (12 months)",
    ],
}


def queries(engine: Engine) -> dict[str, Query]:
    """Every read the three pages make, for the last month held, with its floor."""
    first, last = cases.held_span(engine)
    period = Period.month(*calendar.jalali_month_of(last))
    before, year_ago = period.previous(), period.year_before()
    metric = metrics.get("reports_submitted")
    end = calendar.next_month_start(last)
    alert = alerts.alert_span(period)
    ranked = rankings.recent_periods(period, 12, first=first)[0].start
    shown = calendar.month_start(*calendar.add_months(*calendar.jalali_month_of(last), -23))
    grid = compliance.window(calendar.jalali_month_of(last))
    grid_span = (calendar.month_start(*grid[0]), calendar.month_start(*calendar.add_months(*grid[-1], 1)))
    columns = ", ".join(["code", "name_fa", "name_en", "unit_fa", "aggregation", "direction", "decimals"])
    columns += ", per_capita, min_value, max_value"

    def mdv(p: Period) -> Query:
        return Query(
            "",
            lambda: store.metric_district_values(engine, p.start, p.end),
            "SELECT metric, district, SUM(value), COUNT(*) FROM observations "
            "WHERE period >= ? AND period < ? GROUP BY metric, district",
            (p.start, p.end),
        )

    def dmv(start: dt.date, stop: dt.date) -> Query:
        return Query(
            "",
            lambda: store.district_month_values(engine, start, stop),
            "SELECT metric, district, period, value FROM observations WHERE period >= ? AND period < ?",
            (start, stop),
        )

    out = {
        "data_version": Query("", lambda: store.data_version(engine), "SELECT MAX(id) FROM batches", ()),
        "metric_catalog": Query(
            "", lambda: store.metric_catalog(engine), f"SELECT {columns} FROM metrics ORDER BY sort_order, code", ()
        ),
        "period_range": Query(
            "",
            lambda: store.period_range(engine),
            "SELECT (SELECT MIN(period) FROM observations), (SELECT MAX(period) FROM observations)",
            (),
        ),
        "reference_districts": Query(
            "",
            lambda: store.reference_districts(engine),
            "SELECT district, name_fa, name_en, population, area_km2, tile_row, tile_col FROM districts",
            (),
        ),
        "latest_batch": Query(
            "", lambda: store.latest_batch(engine), "SELECT * FROM batches ORDER BY id DESC LIMIT 1", ()
        ),
        "metric_district_values (month)": mdv(period),
        "metric_district_values (month before)": mdv(before),
        "metric_district_values (a year before)": mdv(year_ago),
        "district_month_values (alert span: 13 months)": dmv(*alert),
        "district_month_values (24 months)": dmv(shown, end),
        "targets (month)": Query(
            "",
            lambda: store.targets(engine, period.start, period.end),
            "SELECT metric, district, period, value FROM targets WHERE period >= ? AND period < ?",
            (period.start, period.end),
        ),
        "city_series (every month)": Query(
            "",
            lambda: store.city_series(engine, metric.code, metric.aggregation, first, end),
            "SELECT period, SUM(value), COUNT(*) FROM observations "
            "WHERE metric = ? AND period >= ? AND period < ? GROUP BY period",
            (metric.code, first, end),
        ),
        "district_values (month)": Query(
            "",
            lambda: store.district_values(engine, metric.code, metric.aggregation, period.start, period.end),
            "SELECT district, SUM(value), COUNT(*) FROM observations "
            "WHERE metric = ? AND period >= ? AND period < ? GROUP BY district",
            (metric.code, period.start, period.end),
        ),
        "district_months (12 months)": Query(
            "",
            lambda: store.district_months(engine, metric.code, ranked, period.end),
            "SELECT district, period, value FROM observations WHERE metric = ? AND period >= ? AND period < ?",
            (metric.code, ranked, period.end),
        ),
        # the rows it returns are the district-months held; their counts are the floor's GROUP BY
        "reporting_record (12 months)": Query(
            "",
            lambda: store.reporting_record(engine, *grid_span),
            "SELECT district, period, COUNT(*) FROM observations WHERE period >= ? AND period < ? "
            "GROUP BY district, period",
            grid_span,
        ),
    }
    return {name: Query(name, q.named, q.sql, q.params) for name, q in out.items()}


def _floor(engine: Engine, query: Query) -> cases.FloorQuery:
    """The query's bare SQL on the driver's own cursor, on one connection kept open."""
    sql, params = query.sql, query.params
    if engine.dialect.name == "sqlite":
        params = tuple(p.isoformat() if isinstance(p, dt.date) else p for p in params)
    else:
        sql = sql.replace("?", "%s")
    return cases.FloorQuery(engine, sql, params)


def _length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return 1
    assert isinstance(value, Sized)  # a frame, a list of rows or a (first, last) pair
    return len(value)


def time_reads(engine: Engine, shape: Shape, engine_label: str, log: Callable[[str], None]) -> list[Result]:
    """Each read beside its floor, then each page as the sum of its reads."""
    found = queries(engine)
    timed: dict[str, tuple[float, float, int]] = {}
    results: list[Result] = []
    for name, query in found.items():
        floor = _floor(engine, query)
        try:
            floor_rows = _length(floor())
            named_rows = _length(query.named())
            if name not in ("period_range", "latest_batch", "data_version") and floor_rows != named_rows:
                raise AssertionError(f"{name}: the named read returns {named_rows} rows, the floor {floor_rows}")
            floor_s, _ = median_time(floor, shape.repeat)
            named_s, samples = median_time(query.named, shape.repeat)
        finally:
            floor.close()
        timed[name] = (named_s, floor_s, named_rows)
        small = floor_s < SMALL_FLOOR_S
        results.append(
            Result(
                f"bigstore {engine_label}",
                f"{shape.label}: {name}, {named_rows:,} rows",
                named_s,
                "s",
                baseline=floor_s,
                baseline_name="bare SQL",
                aim=None if small else ("<=", 3.0),
                note=SMALL_NOTE if small else "",
                samples=samples,
            )
        )
    pages = []
    for page, reads in PAGE_READS.items():
        named_s = sum(timed[r][0] for r in reads)
        floor_s = sum(timed[r][1] for r in reads)
        judged = [r for r in reads if timed[r][1] >= SMALL_FLOOR_S] or reads
        worst = max(judged, key=lambda r: timed[r][0] / max(timed[r][1], 1e-9))
        note = (
            f"{len(reads)} reads; the furthest from its floor (of those over 2 ms): {worst} "
            f"({timed[worst][0] * 1000:.1f} ms vs {timed[worst][1] * 1000:.1f} ms)"
        )
        pages.append(
            Result(
                f"bigstore {engine_label}",
                f"{shape.label}: {page} page, every read (caches miss)",
                named_s,
                "s",
                baseline=floor_s,
                baseline_name="bare SQL",
                aim=("<=", 3.0),
                note=note,
            )
        )
    log(
        f"{engine_label} {shape.label}: "
        + "; ".join(f"{p} {r.value:.3f} s" for p, r in zip(PAGE_READS, pages, strict=True))
    )
    return pages + results


# ---------------------------------------------------------------- the run


@contextmanager
def _sqlite(work: Path, shape: Shape, log: Callable[[str], None]) -> Iterator[tuple[Engine, float]]:
    path = work / f"{shape.metric_count}.sqlite"
    engine, seconds = build_sqlite(path, shape)
    log(f"SQLite: {describe(shape)} built in {seconds:.1f} s ({path.stat().st_size / 2**20:,.0f} MiB)")
    try:
        yield engine, seconds
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


@contextmanager
def _postgres(shape: Shape, log: Callable[[str], None]) -> Iterator[tuple[Engine, float]]:
    with cases._postgres_database("bigstore") as url:
        engine, seconds = build_postgres(url, shape)
        log(f"PostgreSQL: {describe(shape)} built in {seconds:.1f} s")
        try:
            yield engine, seconds
        finally:
            engine.dispose()


def run(shapes: Sequence[Shape], log: Callable[[str], None], engines: Sequence[str] = ("sqlite", "postgresql")):
    """Build each store on each engine, time the pages' reads, drop it; returns the results."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="dashboard-bigstore-") as tmp:
        for shape in shapes:
            for name in engines:
                label = "SQLite" if name == "sqlite" else "PostgreSQL"
                try:
                    opened = _sqlite(Path(tmp), shape, log) if name == "sqlite" else _postgres(shape, log)
                    with opened as (engine, seconds):
                        results.append(
                            Result(
                                f"bigstore {label}",
                                f"{shape.label}: built, {shape.rows:,} rows",
                                shape.rows / seconds,
                                "rows/s",
                                note=describe(shape)
                                + (
                                    "; one COPY, key checks off, indexes built after, ANALYZE"
                                    if name != "sqlite"
                                    else "; one executemany in key order, indexes built after"
                                ),
                                samples=[seconds],
                            )
                        )
                        results += time_reads(engine, shape, label, log)
                except Exception as exc:  # one engine that does not answer must not hide the other's figures
                    log(f"{label} {shape.label} did not run: {type(exc).__name__}: {exc}")
                    note = f"{type(exc).__name__}: {str(exc)[:200]}"
                    results.append(Result(f"bigstore {label}", f"{shape.label}", None, "s", note=note))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks bigstore",
        description="The decade and neighbourhood-scale stores on SQLite and PostgreSQL: each page's reads "
        "beside the bare SQL returning the same rows.",
    )
    parser.add_argument("--quick", action="store_true", help="the neighbourhood-scale store at a quarter of its rows")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append", help="only this engine")
    parser.add_argument("--out", type=Path, default=None, help="where to write the JSON (out/bigstore.json)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a read is over 3× its floor")
    args = parser.parse_args(argv)
    shapes = QUICK if args.quick else (DECADE, NEIGHBOURHOOD)
    began = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    results = run(shapes, log, args.engine or ("sqlite", "postgresql"))
    meta: dict[str, Any] = {
        "stores": [describe(s) for s in shapes],
        "neighbourhood_rows": f"{NEIGHBOURHOODS} neighbourhoods × 60 metrics × 120 months = "
        f"{NEIGHBOURHOODS * 60 * 120:,} rows",
        "seconds": round(time.perf_counter() - began, 1),
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    print()
    for line in meta["stores"]:
        print(line)
    print(f"(a neighbourhood-scale store holds the rows of {meta['neighbourhood_rows']})")
    print(f"run took {meta['seconds']} s; each page's figure is the sum of its reads' medians\n")
    print(table(results))
    path = write_json(results, meta, args.out or (Path(__file__).resolve().parent / "out" / "bigstore.json"))
    print(f"\nresults: {path}")
    missed = [r for r in results if r.verdict in ("MISS", "N/A")]
    return 1 if args.strict and missed else 0

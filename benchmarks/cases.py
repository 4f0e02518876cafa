"""The four measurements: loading a file, the store's queries, the overview script, the page in a browser."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import statistics
import time
from collections.abc import Callable, Sequence, Sized
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from benchmarks import data
from benchmarks.report import Result, median_time
from monitoring import calendar, config, metrics, store
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.store.schema import driver_connection
from tools.streamlit_server import PROJECT_ROOT, serve

INSERT_SQL = "INSERT INTO observations (metric, period, district, value, batch_id) VALUES (?, ?, ?, ?, ?)"
EMPTY_PAGE = 'import streamlit as st\n\nst.write("صفحهٔ خالی / an empty page")\n'
# not an aim's baseline: shows how much of a chart page's time is plotly's own
ONE_CHART_PAGE = (
    "import plotly.graph_objects as go\nimport streamlit as st\n\n"
    'st.write("یک نمودار / one chart")\nst.plotly_chart(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))\n'
)


def _empty_batch(engine: Engine, label: str) -> int:
    """A batch record with no rows: the floor's foreign key target, or a new data version for the caches."""
    rows = pd.DataFrame({"district": [], "metric": [], "period": [], "value": []})
    digest = hashlib.sha256(f"{label} {time.time_ns()}".encode()).hexdigest()
    return store.write_batch(engine, rows, store.BatchInfo(label, digest, 0, 0, "benchmark"))


def _stored_rows(result: Any) -> int | None:
    """How many rows a loader result says it stored, whatever its shape."""
    facts = result.to_dict() if hasattr(result, "to_dict") else vars(result) if hasattr(result, "__dict__") else {}
    for key in ("rows_loaded", "loaded", "rows_stored", "stored"):
        value = facts.get(key, getattr(result, key, None))
        if isinstance(value, int):
            return value
    return None


def _first_errors(result: Any, limit: int = 3) -> str:
    facts = result.to_dict() if hasattr(result, "to_dict") else {}
    errors = facts.get("errors") or []
    text = "; ".join(str(e)[:120] for e in errors[:limit])
    if facts.get("file_error"):
        text = f"{facts['file_error'][:200]} {text}".strip()
    return text


# ---------------------------------------------------------------- a. loading a file


def bench_load(work: Path, rows: int, extra: Sequence[Metric], log: Callable[[str], None]) -> list[Result]:
    """data_loaders loading a long CSV of ``rows`` figures vs a bare executemany of the same rows."""
    log(f"load: writing a {rows:,}-row CSV")
    csv_bytes, frame = data.long_csv(rows, extra)
    (work / "long.csv").write_bytes(csv_bytes)

    log("load: floor, a bare executemany INSERT into a fresh store")
    floor_engine = data.fresh_store(work / "floor.sqlite", extra)
    batch_id = _empty_batch(floor_engine, "floor")
    periods = {p: p.isoformat() for p in frame["period"].unique()}  # SQLite keeps a Date as ISO text
    params = list(
        zip(
            frame["metric"].tolist(),
            frame["period"].map(periods).tolist(),
            frame["district"].tolist(),
            frame["value"].tolist(),
            [batch_id] * len(frame),
            strict=True,
        )
    )
    raw = floor_engine.raw_connection()
    try:
        start = time.perf_counter()
        cursor = raw.cursor()
        cursor.executemany(INSERT_SQL, params)
        raw.commit()
        floor_s = time.perf_counter() - start
    finally:
        raw.close()
        floor_engine.dispose()
    del params
    floor = Result("load", "floor: executemany INSERT", rows / floor_s, "rows/s", samples=[floor_s])

    try:
        from data_loaders.files import load_file
    except ImportError as exc:
        note = f"data_loaders.files.load_file is not there yet ({exc}); only the floor was measured"
        return [
            floor,
            Result("load", f"data_loaders.load_file, {rows:,} rows", None, "rows/s", aim=(">=", 0.5), note=note),
        ]

    log("load: data_loaders.files.load_file into a fresh store")
    engine = data.fresh_store(work / "load.sqlite", extra)
    try:
        start = time.perf_counter()
        result = load_file(engine, csv_bytes, "benchmark-long.csv")
        load_s = time.perf_counter() - start
        history = _bench_history(engine, frame, floor, log)
    finally:
        engine.dispose()
    stored = _stored_rows(result)
    note = f"{rows:,} rows in {load_s:.1f} s; floor {floor_s:.1f} s"
    value: float | None = rows / load_s
    if stored is not None and stored != rows:
        note = f"the loader stored {stored:,} of {rows:,} rows ({_first_errors(result)}); " + note
        value = stored / load_s if stored else None
    loaded = Result(
        "load",
        f"data_loaders.load_file, {rows:,} rows",
        value,
        "rows/s",
        baseline=floor.value,
        baseline_name="executemany",
        aim=(">=", 0.5),
        note=note,
        samples=[load_s],
    )
    return [floor, loaded, *history, *bench_load_postgres(csv_bytes, frame, extra, log)]


def _bench_history(engine: Engine, frame: pd.DataFrame, floor: Result, log: Callable[[str], None]) -> list[Result]:
    """With the rows loaded: a preview of the same rows with every value changed (``diff_batch``),
    then storing them (every key changed: a revision each), both beside the executemany floor."""
    rows = len(frame)
    changed = frame.assign(value=frame["value"] + 1.0)
    log(f"load: diff_batch of {rows:,} changed rows against the store holding them")
    start = time.perf_counter()
    diff = store.diff_batch(engine, changed)
    diff_s = time.perf_counter() - start
    log(f"load: write_batch of the {rows:,} changed rows (a revision for each)")
    start = time.perf_counter()
    store.write_batch(engine, changed, store.BatchInfo("benchmark-changed", "1" * 64, rows, 0, "benchmark"))
    write_s = time.perf_counter() - start
    return [
        Result(
            "load",
            f"store.diff_batch, {rows:,} rows all changed",
            rows / diff_s,
            "rows/s",
            baseline=floor.value,
            baseline_name="executemany",
            note=f"{diff.changed:,} changed found in {diff_s:.1f} s",
            samples=[diff_s],
        ),
        Result(
            "load",
            f"store.write_batch, {rows:,} rows all changed",
            rows / write_s,
            "rows/s",
            baseline=floor.value,
            baseline_name="executemany",
            note=f"{rows:,} revisions and updates in {write_s:.1f} s",
            samples=[write_s],
        ),
    ]


POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def _postgres_database(label: str):
    """A fresh database on the PostgreSQL server (``TEST_POSTGRES_URL``), dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"dashboard_bench_{label}_{os.getpid()}_{time.time_ns() % 10**8}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_store(url: str, extra: Sequence[Metric]) -> Engine:
    engine = store.make_engine(url)
    store.ensure_ready(engine)
    data.register_metrics(engine, extra)
    return engine


def bench_load_postgres(
    csv_bytes: bytes, frame: pd.DataFrame, extra: Sequence[Metric], log: Callable[[str], None]
) -> list[Result]:
    """The same file loaded into a fresh PostgreSQL store vs a bare COPY of the same rows."""
    rows = len(frame)
    try:
        log("load: PostgreSQL floor, a bare COPY into a fresh database")
        with _postgres_database("floor") as url:
            engine = _postgres_store(url, extra)
            try:
                batch_id = _empty_batch(engine, "floor")
                columns = (
                    frame["metric"].tolist(),
                    [p.isoformat() for p in frame["period"]],
                    frame["district"].tolist(),
                    frame["value"].tolist(),
                )
                raw = engine.raw_connection()
                try:
                    start = time.perf_counter()
                    with driver_connection(raw).cursor() as cur:
                        sql = "COPY observations (metric, period, district, value, batch_id) FROM STDIN"
                        with cur.copy(sql) as copy:
                            for row in zip(*columns, strict=True):
                                copy.write_row((*row, batch_id))
                    raw.commit()
                    floor_s = time.perf_counter() - start
                finally:
                    raw.close()
            finally:
                engine.dispose()
        del columns
        floor = Result("load", "PostgreSQL floor: COPY", rows / floor_s, "rows/s", samples=[floor_s])

        from data_loaders.files import load_file

        log("load: data_loaders.files.load_file into a fresh PostgreSQL database")
        with _postgres_database("load") as url:
            engine = _postgres_store(url, extra)
            try:
                start = time.perf_counter()
                result = load_file(engine, csv_bytes, "benchmark-long.csv")
                load_s = time.perf_counter() - start
            finally:
                engine.dispose()
    except Exception as exc:  # no server, no rights: say so beside the SQLite figures
        logging.getLogger(__name__).warning("PostgreSQL load benchmark did not run: %s", exc)
        note = f"PostgreSQL at {POSTGRES_ADMIN_URL} did not answer ({type(exc).__name__}: {str(exc)[:160]})"
        return [Result("load", f"PostgreSQL load_file, {rows:,} rows", None, "rows/s", note=note)]
    stored = _stored_rows(result)
    note = f"{rows:,} rows in {load_s:.1f} s; COPY floor {floor_s:.1f} s"
    if stored is not None and stored != rows:
        note = f"the loader stored {stored:,} of {rows:,} rows ({_first_errors(result)}); " + note
    return [
        floor,
        Result(
            "load",
            f"PostgreSQL load_file, {rows:,} rows",
            (stored if stored is not None else rows) / load_s,
            "rows/s",
            baseline=floor.value,
            baseline_name="COPY",
            aim=(">=", 0.5),
            note=note,
            samples=[load_s],
        ),
    ]


# ---------------------------------------------------------------- b. the store's queries


def held_span(engine: Engine) -> tuple[dt.date, dt.date]:
    """The first and last month the benchmark's store holds (filled before any case runs)."""
    span = store.period_range(engine)
    assert span is not None, "the benchmark's store holds no observations"
    return span


class FloorQuery:
    """Bare SQL on the driver's own cursor, on one pooled connection kept open: call it for the rows,
    ``close`` it when done."""

    def __init__(self, engine: Engine, sql: str, params: tuple) -> None:
        self._raw = engine.raw_connection()
        self._sql, self._params = sql, params

    def __call__(self) -> Sequence[Any]:
        cursor = self._raw.cursor()
        cursor.execute(self._sql, self._params)
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def close(self) -> None:
        self._raw.close()


def bench_queries(engine: Engine, repeat: int, log: Callable[[str], None]) -> list[Result]:
    """Each named query the overview and rankings pages use vs the bare GROUP BY on the raw DBAPI cursor."""
    log("queries: named store functions vs bare SQL")
    first, last = held_span(engine)
    month = Period.month(*calendar.jalali_month_of(last))
    year = Period.whole_year(month.year if month.index == 12 else month.year - 1)
    whole = (first, calendar.month_start(*calendar.add_months(*calendar.jalali_month_of(last), 1)))
    metric = metrics.get("reports_submitted")

    def iso(d: dt.date) -> str:
        return d.isoformat()

    cases: list[tuple[str, Callable[[], Sized], str, tuple]] = [
        (
            f"district_values (one metric, {year.label})",
            lambda: store.district_values(engine, metric.code, metric.aggregation, year.start, year.end),
            "SELECT district, SUM(value), COUNT(*) FROM observations "
            "WHERE metric = ? AND period >= ? AND period < ? GROUP BY district",
            (metric.code, iso(year.start), iso(year.end)),
        ),
        (
            "city_series (one metric, every month)",
            lambda: store.city_series(engine, metric.code, metric.aggregation, *whole),
            "SELECT period, SUM(value), COUNT(*) FROM observations "
            "WHERE metric = ? AND period >= ? AND period < ? GROUP BY period ORDER BY period",
            (metric.code, iso(whole[0]), iso(whole[1])),
        ),
        (
            f"city_by_metric (every metric, {year.label})",
            lambda: store.city_by_metric(engine, year.start, year.end),
            "SELECT metric, SUM(value), AVG(value), COUNT(*), COUNT(DISTINCT district) FROM observations "
            "WHERE period >= ? AND period < ? GROUP BY metric",
            (iso(year.start), iso(year.end)),
        ),
    ]
    if hasattr(store, "metric_district_values"):
        cases.append(
            (
                f"metric_district_values (every metric, {month.label})",
                lambda: store.metric_district_values(engine, month.start, month.end),
                "SELECT metric, district, SUM(value), COUNT(*) FROM observations "
                "WHERE period >= ? AND period < ? GROUP BY metric, district",
                (iso(month.start), iso(month.end)),
            )
        )
    span = (calendar.month_start(*calendar.add_months(*calendar.jalali_month_of(last), -23)), whole[1])
    cases.append(
        (
            "district_month_values (every metric and district, 24 months: the district page)",
            lambda: store.district_month_values(engine, *span),
            "SELECT metric, district, period, value FROM observations WHERE period >= ? AND period < ?",
            (iso(span[0]), iso(span[1])),
        )
    )
    if hasattr(store, "district_months"):
        cases.append(
            (
                "district_months (one metric, every month: rank change and bump chart)",
                lambda: store.district_months(engine, metric.code, *whole),
                "SELECT district, period, value FROM observations WHERE metric = ? AND period >= ? AND period < ? "
                "ORDER BY period, district",
                (metric.code, iso(whole[0]), iso(whole[1])),
            )
        )
    results = []
    for name, named, sql, params in cases:
        floor = FloorQuery(engine, sql, params)
        try:
            if len(named()) != len(floor()):  # the floor must do the same work
                raise AssertionError(f"{name}: the bare SQL returns a different number of rows")
            floor_s, floor_samples = median_time(floor, repeat)
            named_s, named_samples = median_time(named, repeat)
        finally:
            floor.close()
        results.append(
            Result(
                "queries",
                name,
                named_s,
                "s",
                baseline=floor_s,
                baseline_name="raw cursor",
                aim=("<=", 1.5),
                samples=named_samples,
            )
        )
    return results


# ---------------------------------------------------------------- c. the page scripts under AppTest

# (label, page script, URL query): each page the dashboard has, the district page on district 10
PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("overview", "views/overview.py", {}),
    ("rankings", "views/rankings.py", {}),
    ("district page", "views/district.py", {"district": "10"}),
    ("reporting compliance", "views/reporting.py", {}),
]


@contextmanager
def _environment(values: dict[str, str | None]):
    """The environment with ``values`` set (None: unset) for the block; the settings, which a process
    reads once, are read again on the way in and on the way out."""
    saved = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    config.settings.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        config.settings.cache_clear()


def bench_page(store_path: Path, engine: Engine, runs: int, log: Callable[[str], None]) -> list[Result]:
    """Each page script's run time under streamlit.testing AppTest against the big store."""
    script = PROJECT_ROOT / "dashboard.py"
    from streamlit.testing.v1 import AppTest

    env = {"DASHBOARD_DB_PATH": str(store_path), "DATABASE_URL": None, "DASHBOARD_SAMPLE": "0"}
    results: list[Result] = []
    cwd = Path.cwd()
    os.chdir(PROJECT_ROOT)
    try:
        with _environment(env):
            for label, page, query in PAGES:
                if not (PROJECT_ROOT / page).is_file():
                    continue
                log(f"page: {label} ({page}) under AppTest, {runs} runs")
                problems: list[str] = []

                def run_once(page: str = page, query: dict = query, problems: list = problems) -> float:
                    # AppTest runs without a server: the «missing ScriptRunContext» warnings are noise here
                    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
                    at = AppTest.from_file(str(script), default_timeout=120)
                    at.switch_page(page)
                    at.query_params.update(query)
                    start = time.perf_counter()
                    at.run()
                    elapsed = time.perf_counter() - start
                    if at.exception:
                        problems.append(str(at.exception[0].message)[:200])
                    return elapsed

                first = run_once()
                missed = []
                for _ in range(runs):
                    _empty_batch(engine, "new data version")  # every cache keyed on the version misses
                    missed.append(run_once())
                cached = [run_once() for _ in range(runs)]
                note = f"first run in a fresh process (imports, engine, empty caches): {first:.2f} s"
                if problems:
                    note += f"; the script raised: {problems[0]}"
                results += [
                    Result(
                        "page",
                        f"{label} script, new data version (caches miss)",
                        None if problems else statistics.median(missed),
                        "s",
                        aim=("<", 1.0),
                        note=note,
                        samples=missed,
                    ),
                    Result(
                        "page",
                        f"{label} script, same data version (caches hit)",
                        None if problems else statistics.median(cached),
                        "s",
                        aim=("<", 1.0),
                        samples=cached,
                    ),
                ]
    finally:
        os.chdir(cwd)
    return results


# ---------------------------------------------------------------- d. the page in a browser


def _empty_app(work: Path) -> Path:
    """A one-line Streamlit script in a folder that shares the dashboard's theme, fonts and config."""
    folder = work / "empty-app"
    folder.mkdir(exist_ok=True)
    (folder / "empty_page.py").write_text(EMPTY_PAGE, encoding="utf-8")
    (folder / "one_chart_page.py").write_text(ONE_CHART_PAGE, encoding="utf-8")
    for shared in (".streamlit", "static"):
        target = PROJECT_ROOT / shared
        link = folder / shared
        if target.exists() and not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return folder


def bench_browser(work: Path, store_path: Path, runs: int, log: Callable[[str], None]) -> list[Result]:
    """Seconds from navigation until every chart is drawn, cold browser context: `/` vs an empty page."""
    from tools.browser import launch, open_page

    env = {"DASHBOARD_DB_PATH": str(store_path), "DATABASE_URL": "", "DASHBOARD_SAMPLE": "0"}
    paths = [
        ("overview `/`", "/"),
        ("rankings `/rankings`", "/rankings"),
        ("district page `/district`", "/district?district=10"),
    ]
    if (PROJECT_ROOT / "views" / "reporting.py").is_file():
        paths.append(("reporting `/reporting`", "/reporting"))
    measured: dict[str, tuple[list[float], list[float], float, int, list[str]]] = {}
    with launch() as browser:
        with serve("dashboard.py", env=env, timeout=120) as url:
            for label, path in paths:
                log(f"browser: {label} on the big store, 1 + {runs} visits")
                problems: list[str] = []
                first = open_page(browser, f"{url}{path}")
                drawn, script_done = [], []
                for _ in range(runs):
                    facts = open_page(browser, f"{url}{path}")
                    drawn.append(facts.drawn_s)
                    script_done.append(facts.settled_s)
                if facts.errors:
                    problems.append(f"error box: {facts.errors[0][:150]}")
                if facts.charts == 0:
                    problems.append("no chart on the page")
                measured[label] = (drawn, script_done, first.drawn_s, facts.charts, problems)
        baselines = {}
        for script in ("empty_page.py", "one_chart_page.py"):
            log(f"browser: {script}, 1 + {runs} visits")
            with serve(script, cwd=_empty_app(work), timeout=60) as url:
                open_page(browser, f"{url}/")
                baselines[script] = [open_page(browser, f"{url}/").drawn_s for _ in range(runs)]
    empty, one_chart = baselines["empty_page.py"], baselines["one_chart_page.py"]
    results = [
        Result("browser", "empty Streamlit page (st.write)", statistics.median(empty), "s", samples=empty),
        Result(
            "browser",
            "page with one small plotly chart",
            statistics.median(one_chart),
            "s",
            baseline=statistics.median(empty),
            baseline_name="empty page",
            note="not an aim: the share of a chart page's time that is plotly's own",
            samples=one_chart,
        ),
    ]
    for label, (drawn, script_done, first_s, charts, problems) in measured.items():
        note = (
            f"{charts} charts; script done after {statistics.median(script_done):.2f} s (median); "
            f"first visit after the server started: {first_s:.2f} s"
        )
        if problems:
            note += "; " + "; ".join(problems)
        results.append(
            Result(
                "browser",
                f"{label} until every chart is drawn",
                statistics.median(drawn),
                "s",
                baseline=statistics.median(empty),
                baseline_name="empty page",
                aim=("<=", 1.6),
                note=note,
                samples=drawn,
            )
        )
    return results


# ---------------------------------------------------------------- e. a slide deck

DECK_METRICS = ("news_published", "citizen_satisfaction", "reports_submitted")


def _deck_spec(pptx: bytes) -> list[dict]:
    """What a deck holds, read back with python-pptx: per slide its text boxes, rectangles, charts
    (type, categories, series) and tables, with their places, and the notes. The floor writes the same."""
    from pptx import Presentation

    slides_out = []
    for slide in Presentation(io.BytesIO(pptx)).slides:
        items: list[tuple] = []
        for s in slide.shapes:
            box = (s.left, s.top, s.width, s.height)
            if s.has_chart:
                plot = s.chart.plots[0]
                series = [(x.name, list(x.values)) for x in plot.series]
                items.append(("chart", box, s.chart.chart_type, list(plot.categories), series))
            elif s.has_table:
                items.append(("table", box, [[c.text for c in row.cells] for row in s.table.rows]))
            elif s.shape_type == 1:  # an autoshape: a rectangle of the tile map or a band
                items.append(("rect", box, str(s.fill.fore_color.rgb), s.text_frame.text))
            elif s.has_text_frame:
                items.append(("text", box, s.text_frame.text))
        slides_out.append({"items": items, "notes": slide.notes_slide.notes_text_frame.text})
    return slides_out


def _floor_deck(spec: list[dict]) -> bytes:
    """python-pptx alone writing the same slides, shapes, charts, tables and notes: no store, no domain."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)
    for page in spec:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        for item in page["items"]:
            kind, box = item[0], item[1]
            if kind == "chart":
                data = CategoryChartData()
                data.categories = item[3]
                for name, values in item[4]:
                    data.add_series(name, values)
                slide.shapes.add_chart(item[2], *box, data)
            elif kind == "table":
                rows = item[2]
                table = slide.shapes.add_table(len(rows), len(rows[0]), *box).table
                for i, row in enumerate(rows):
                    for j, text in enumerate(row):
                        table.cell(i, j).text = text
            elif kind == "rect":
                shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
                shape.fill.solid()
                shape.fill.fore_color.rgb = RGBColor.from_string(item[2])
                shape.text_frame.text = item[3]
            else:
                slide.shapes.add_textbox(*box).text_frame.text = item[2]
        slide.notes_slide.notes_text_frame.text = page["notes"]
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def bench_deck(engine: Engine, runs: int, log: Callable[[str], None]) -> list[Result]:
    """A 10-slide deck (title, tile map, rankings, trends, bump, the district's table over as many slides
    as the 60-metric catalog needs, the compliance grid) from the big store vs python-pptx writing the same slides with the same data and nothing of the project's."""
    from monitoring import slides

    log("deck: a 10-slide deck from the big store vs python-pptx alone")
    last = held_span(engine)[1]
    period = Period.month(*calendar.jalali_month_of(last))
    catalog = store.metric_catalog(engine)
    codes = [c for c in DECK_METRICS if c in catalog]
    views = [slides.SlideView(kind, codes[0]) for kind in ("tile_map", "ranking", "trend", "bump")]
    views += [slides.SlideView("district"), slides.SlideView("compliance")]
    district_pages = -(-len(catalog) // slides.DISTRICT_ROWS)  # the district's table goes on over more slides
    extra = [slides.SlideView(kind, c) for c in codes[1:] for kind in ("ranking", "trend")]
    while extra and 1 + len(views) + district_pages - 1 < 10:  # ten slides in all, the title one included
        views.insert(-2, extra.pop(0))
    today = data.TODAY

    def build() -> bytes:
        return slides.build_deck(engine, views, period, district=10, today=today)

    built = build()
    spec = _deck_spec(built)
    charts = sum(1 for page in spec for item in page["items"] if item[0] == "chart")
    shapes = sum(len(page["items"]) for page in spec)
    value, samples = median_time(build, runs)
    floor, _ = median_time(lambda: _floor_deck(spec), runs)
    note = f"{len(spec)} slides, {charts} native charts, {shapes} shapes, {len(built) // 1024} KiB; {period.label}"
    return [
        Result(
            "deck",
            f"{len(spec)}-slide deck, build_deck (reads + domain + python-pptx)",
            value,
            "s",
            baseline=floor,
            baseline_name="python-pptx alone, same slides and data",
            aim=("<=", 2.0),
            note=note,
            samples=samples,
        ),
        Result("deck", f"{len(spec)}-slide deck, build_deck, seconds", value, "s", aim=("<", 3.0)),
    ]

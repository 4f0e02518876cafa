"""The store's column types: a moment comes back UTC-aware and a period a ``date`` on SQLite and
PostgreSQL alike, converted in schema.py alone; no statement is built from a value."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import bindparam, select

from monitoring import store
from monitoring.calendar import Period
from monitoring.store import queries, schema

STORE = Path(schema.__file__).resolve().parent
MEHR = Period.month(1404, 7).start
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def _batch(engine, loaded_at: dt.datetime) -> int:
    rows = pd.DataFrame([(1, "news_published", MEHR, 5.0)], columns=["district", "metric", "period", "value"])
    digest = hashlib.sha256(str(loaded_at).encode()).hexdigest()
    return store.write_batch(engine, rows, store.BatchInfo("a.csv", digest, 1, 0, "tester", loaded_at=loaded_at))


def test_a_moment_is_kept_in_utc_and_read_back_utc_aware(any_engine):
    written = dt.datetime(2026, 1, 5, 12, 0, tzinfo=TEHRAN)  # 08:30 UTC
    batch_id = _batch(any_engine, written)
    latest = store.latest_batch(any_engine)
    assert latest["id"] == batch_id and latest["loaded_at"] == written
    assert latest["loaded_at"].utcoffset() == dt.timedelta(0) and latest["loaded_at"].hour == 8
    listed = store.batch_list(any_engine)
    assert str(listed["loaded_at"].dt.tz) == "UTC" and listed["loaded_at"].iloc[0] == pd.Timestamp(written)
    with any_engine.connect() as conn:  # read straight from the table: the column type converts
        (at,) = conn.execute(select(schema.batches.c.loaded_at)).one()
    assert at.tzinfo is not None and at == written


def test_a_naive_moment_is_taken_as_utc():
    naive = dt.datetime(2026, 1, 5, 8, 30)
    assert schema.UtcDateTime().process_bind_param(naive, None) == naive.replace(tzinfo=dt.UTC)
    assert schema.UtcDateTime().process_result_value("2026-01-05 08:30:00.000000", None) == naive.replace(tzinfo=dt.UTC)


def test_a_period_reads_back_as_a_date(any_engine):
    _batch(any_engine, dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    o = schema.observations.c
    with any_engine.connect() as conn:
        periods = conn.execute(select(o.period).where(o.period == bindparam("p")), {"p": MEHR.isoformat()}).all()
    assert [type(p) for (p,) in periods] == [dt.date] and periods[0][0] == MEHR
    months = store.district_months(any_engine, "news_published", MEHR, Period.month(1404, 8).start)
    assert list(months["period"]) == [MEHR] and type(months["period"].iloc[0]) is dt.date


def test_period_columns_convert_each_distinct_value_to_a_date():
    assert list(schema.period_dates(["2025-09-23", MEHR, None, "2025-09-23"])) == [MEHR, MEHR, None, MEHR]
    assert schema.period_param(MEHR, "sqlite") == "2025-09-23" and schema.period_param(MEHR, "postgresql") == MEHR


def test_two_statements_never_share_a_compiled_entry(engine):
    d = schema.districts.c
    first = select(d.district).where(d.district == bindparam("n"))
    second = select(d.population).where(d.district == bindparam("n"))
    assert queries._compiled(engine, first) != queries._compiled(engine, second)
    assert queries._frame(engine, first, ["x"], {"n": 3})["x"].tolist() == [3]
    population = queries._frame(engine, second, ["x"], {"n": 3})["x"].tolist()
    assert (
        population != [3]
        and population == store.reference_districts(engine).set_index("district").loc[[3], "population"].tolist()
    )


def _built_statements(path: Path) -> list[str]:
    """Calls that run SQL (execute, exec_driver_sql, text) given a string made with .format or an
    f-string holding a value."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in ("execute", "exec_driver_sql", "text", "executemany"):
            continue
        arg = node.args[0]
        formatted = isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format"
        interpolated = isinstance(arg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in arg.values)
        if formatted or interpolated:
            found.append(f"{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize("module", ["writes.py", "queries.py", "throttle.py", "engine.py", "events.py"])
def test_no_statement_is_built_with_format_or_an_f_string(module):
    assert _built_statements(STORE / module) == []

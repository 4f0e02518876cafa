"""Small builders shared by the loader tests: CSV and Excel bytes, store counts, the command line in a child."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from monitoring import calendar, districts, metrics
from monitoring.store.events import event_type_seed
from monitoring.store.schema import batches, observations

# last complete month: Aban 1405, so every month of 1404 has ended
TODAY = dt.date(2026, 11, 26)
MEHR_1404 = calendar.month_start(1404, 7)
ABAN_1404 = calendar.month_start(1404, 8)
# what the parser checks files against when a test has no store: the seed, which a fresh store holds
CATALOG = metrics.read_catalog()
DISTRICTS = tuple(districts.reference()["district"])
# an event log's words as a fresh store holds them (the seed, written by store.ensure_ready)
EVENT_TYPES = event_type_seed()
ROOT = Path(__file__).resolve().parents[2]


def csv_bytes(*lines: str, bom: bool = False, encoding: str = "utf-8") -> bytes:
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    """A workbook whose first sheet holds ``rows`` from A1; ``formats`` maps cells (B3) to number formats."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def store_counts(engine: Engine) -> tuple[int, int]:
    """(observations, batches) in the store."""
    with engine.connect() as conn:
        n_obs = conn.execute(select(func.count()).select_from(observations)).scalar_one()
        n_batches = conn.execute(select(func.count()).select_from(batches)).scalar_one()
    return n_obs, n_batches


def stored(engine: Engine) -> dict[tuple[int, str, dt.date], float]:
    """Every stored observation: (district, metric, period) -> value."""
    o = observations.c
    with engine.connect() as conn:
        rows = conn.execute(select(o.district, o.metric, o.period, o.value)).all()
    return {(d, m, p if isinstance(p, dt.date) else dt.date.fromisoformat(str(p))): v for d, m, p, v in rows}


def as_tuples(rows) -> set[tuple[int, str, dt.date, float]]:
    return {(int(r.district), r.metric, r.period, float(r.value)) for r in rows.itertuples(index=False)}


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m data_loaders *args`` as a user runs it, in a child process on ``tmp_path/store.sqlite``."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DASHBOARD_DB_PATH")}
    environ.update({"PYTHONPATH": str(ROOT), "DASHBOARD_DB_PATH": str(tmp_path / "store.sqlite")})
    environ.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "data_loaders", *args], cwd=tmp_path, env=environ, capture_output=True, timeout=120
    )
    # decoded by hand so a progress line's carriage return stays visible
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in done.stdout + done.stderr
    return done

"""Loads at once and loads cut short: two overlapping loads queue instead of deadlocking, and a load
killed half-way leaves the store exactly as it was."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from monitoring import store

ROOT = Path(__file__).resolve().parents[2]


def many_rows(n: int, value: float, metrics: list[str]) -> pd.DataFrame:
    """``n`` distinct keys: every district × metric, day after day from 2000-01-01."""
    per_day = 22 * len(metrics)
    days = -(-n // per_day)
    keys = [
        (d, m, dt.date(2000, 1, 1) + dt.timedelta(days=k)) for k in range(days) for m in metrics for d in range(1, 23)
    ][:n]
    frame = pd.DataFrame(keys, columns=["district", "metric", "period"])
    frame["value"] = value
    return frame[["district", "metric", "period", "value"]]


def snapshot(engine) -> dict:
    with engine.connect() as conn:
        counts = {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("batches", "audit_log", "revisions", "submissions", "source_files", "batch_rejections")
        }
        values = conn.execute(
            text("SELECT district, metric, period, value, batch_id FROM observations ORDER BY metric, period, district")
        ).all()
    return {"counts": counts, "observations": [tuple(r) for r in values]}


# ---------------------------------------------------------------- two loads at once


@pytest.mark.postgres
def test_two_loads_with_overlapping_keys_in_opposite_orders_queue_and_both_succeed(pg_engine):
    metrics = list(store.metric_catalog(pg_engine))
    ascending = many_rows(30_000, 1.0, metrics)
    descending = many_rows(30_000, 2.0, metrics).iloc[::-1].reset_index(drop=True)
    store.write_batch(pg_engine, many_rows(30_000, 0.5, metrics), store.BatchInfo("base.csv", "0" * 64, 1, 0, "t"))
    url = pg_engine.url.render_as_string(hide_password=False)
    engines = [store.make_engine(url), store.make_engine(url)]
    start = threading.Barrier(2)
    ids: dict[str, int] = {}
    errors: list[BaseException] = []

    def run(name: str, engine, frame: pd.DataFrame) -> None:
        try:
            start.wait()
            ids[name] = store.write_batch(engine, frame, store.BatchInfo(f"{name}.csv", "0" * 64, len(frame), 0, name))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=("up", engines[0], ascending)),
        threading.Thread(target=run, args=("down", engines[1], descending)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()

    assert errors == [] and set(ids) == {"up", "down"}
    last = max(ids, key=ids.get)  # the one that took the lock second
    want = 1.0 if last == "up" else 2.0
    with pg_engine.connect() as conn:
        got = conn.execute(text("SELECT value, batch_id, count(*) FROM observations GROUP BY value, batch_id")).all()
        changed = dict(
            conn.execute(text("SELECT batch_id, count(*) FROM revisions WHERE changed = 1 GROUP BY batch_id")).all()
        )
    assert [tuple(r) for r in got] == [(want, ids[last], 30_000)]  # as if the two had run one after the other
    assert changed == {ids["up"]: 30_000, ids["down"]: 30_000}


# ---------------------------------------------------------------- a load killed half-way

CHILD = """
import datetime as dt, sys
from monitoring import store
from tests.monitoring.test_store_concurrency import many_rows

engine = store.make_engine(sys.argv[1])
rows = many_rows(int(sys.argv[2]), 7.0, list(store.metric_catalog(engine)))
info = store.BatchInfo("big.csv", "f" * 64, len(rows), 0, "killed", content=None)
store.write_batch(engine, rows, info, progress=lambda done, total: print("staged", done, total, flush=True))
print("finished", flush=True)
"""


def a_load_killed_half_way_leaves_the_store_as_it_was(engine, url: str) -> None:
    metrics = list(store.metric_catalog(engine))
    store.write_batch(engine, many_rows(1_000, 1.0, metrics), store.BatchInfo("small.csv", "0" * 64, 1, 0, "t"))
    before = snapshot(engine)
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, "300000"], cwd=ROOT, env=environ, stdout=subprocess.PIPE, text=True
    )
    try:
        first = child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert first.startswith("staged ") and not first.startswith("staged 300000")  # killed in the middle
    assert child.returncode == -signal.SIGKILL

    assert snapshot(engine) == before
    # and the store still opens and loads
    reopened = store.make_engine(url)
    try:
        store.ensure_ready(reopened)
        batch = store.write_batch(
            reopened, many_rows(500, 3.0, metrics), store.BatchInfo("next.csv", "1" * 64, 1, 0, "t")
        )
        assert store.batch_list(reopened, limit=1)["rows_changed"].tolist() == [500]
        assert store.rollback_batch(reopened, batch, actor="t").restored == 500
    finally:
        reopened.dispose()
    assert snapshot(engine)["observations"] == before["observations"]


@pytest.mark.slow
def test_a_load_killed_half_way_leaves_the_store_as_it_was_on_sqlite(engine):
    a_load_killed_half_way_leaves_the_store_as_it_was(engine, engine.url.render_as_string(hide_password=False))


@pytest.mark.postgres
def test_a_load_killed_half_way_leaves_the_store_as_it_was_on_postgresql(pg_engine):
    a_load_killed_half_way_leaves_the_store_as_it_was(pg_engine, pg_engine.url.render_as_string(hide_password=False))

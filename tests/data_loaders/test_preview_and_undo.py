"""Preview before storing, loading a file once, keeping rejections with a lenient batch, and undoing a
batch — through ``load_file`` and through the command line, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_loaders.files import load_file
from data_loaders.load import display_name
from monitoring import store
from tests.data_loaders.helpers import MEHR_1404, TODAY, csv_bytes, store_counts, stored

ROOT = Path(__file__).resolve().parents[2]
HEADER = "district,metric,period,value"
FIRST = csv_bytes(HEADER, "1,news_published,1404/07,5", "2,news_published,1404/07,6")
SECOND = csv_bytes(HEADER, "1,news_published,1404/07,5", "2,news_published,1404/07,9", "3,news_published,1404/07,4")
BAD = csv_bytes(HEADER, "1,news_published,1404/07,5", "23,news_published,1404/07,6", "4,news_published,1404/07,x")


def load(engine, data: bytes, name: str = "report.csv", **kw):
    return load_file(engine, data, name, today=TODAY, **kw)


def test_a_dry_run_counts_new_changed_and_unchanged_and_writes_nothing(any_engine):
    load(any_engine, FIRST)
    before = (store_counts(any_engine), stored(any_engine))
    preview = load(any_engine, SECOND, "second.csv", dry_run=True)
    assert preview.ok and preview.batch_id is None
    assert (preview.rows_new, preview.rows_changed, preview.rows_unchanged) == (1, 1, 1)
    assert preview.changes == [
        {"district": 2, "metric": "news_published", "period": MEHR_1404.isoformat(), "old_value": 6.0, "new_value": 9.0}
    ]
    assert (store_counts(any_engine), stored(any_engine)) == before


def test_the_stored_batch_reports_the_same_counts_as_its_preview(any_engine):
    load(any_engine, FIRST)
    preview = load(any_engine, SECOND, "second.csv", dry_run=True)
    result = load(any_engine, SECOND, "second.csv")
    assert result.batch_id is not None
    assert (result.rows_new, result.rows_changed, result.rows_unchanged) == (
        preview.rows_new,
        preview.rows_changed,
        preview.rows_unchanged,
    )


def test_the_same_file_twice_changes_nothing_and_names_the_batch_holding_it(any_engine):
    first = load(any_engine, FIRST)
    before = (store_counts(any_engine), stored(any_engine))
    again = load(any_engine, FIRST, "renamed.csv")
    assert again.ok and again.batch_id is None
    assert again.duplicate_of["id"] == first.batch_id
    assert str(first.batch_id) in str(again.notice)
    assert (store_counts(any_engine), stored(any_engine)) == before


def test_a_rolled_back_file_can_be_loaded_again(any_engine):
    first = load(any_engine, FIRST)
    store.rollback_batch(any_engine, first.batch_id, actor="tester")
    assert stored(any_engine) == {}
    again = load(any_engine, FIRST)
    assert again.batch_id is not None and again.duplicate_of is None
    assert stored(any_engine)[(2, "news_published", MEHR_1404)] == 6.0


def test_a_strict_preview_of_a_bad_file_lists_the_rejections_and_cannot_be_stored(any_engine):
    preview = load(any_engine, BAD, dry_run=True)
    assert not preview.ok and preview.refusal == "rows"
    assert {e.row for e in preview.errors} == {3, 4}
    assert "--skip-bad-rows" not in str(preview.file_error or "")  # each interface names its own control
    assert store_counts(any_engine) == (0, 0)


def test_a_lenient_load_keeps_its_rejections_with_the_batch(any_engine):
    result = load(any_engine, BAD, skip_bad_rows=True)
    assert result.batch_id is not None and result.rows_loaded == 1
    kept = store.batch_rejections(any_engine, result.batch_id)
    assert sorted(kept["row"].astype(int)) == [3, 4]
    assert set(kept["value"]) == {"23", "x"}


def test_rollback_restores_the_value_a_batch_replaced(any_engine):
    load(any_engine, FIRST)
    second = load(any_engine, SECOND, "second.csv")
    assert stored(any_engine)[(2, "news_published", MEHR_1404)] == 9.0
    outcome = store.rollback_batch(any_engine, second.batch_id, actor="tester")
    assert (outcome.restored, outcome.removed) == (1, 1)
    assert stored(any_engine) == {(1, "news_published", MEHR_1404): 5.0, (2, "news_published", MEHR_1404): 6.0}


def test_the_original_bytes_are_kept_with_their_sha256(any_engine):
    result = load(any_engine, FIRST)
    assert store.source_file(any_engine, result.sha256) == FIRST


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character():
    name = os.fsdecode(b"gozaresh-\xe9.csv")
    assert display_name(name) == "gozaresh-\ufffd.csv"
    display_name(name).encode("utf-8")  # printable


# ---------------------------------------------------------------- the command line


def run(tmp_path: Path, *args: str | bytes) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DASHBOARD_DB_PATH")}
    environ.update({"PYTHONPATH": str(ROOT), "DASHBOARD_DB_PATH": str(tmp_path / "store.sqlite")})
    done = subprocess.run(
        [sys.executable, "-m", "data_loaders", *args], cwd=tmp_path, env=environ, capture_output=True, timeout=120
    )
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in done.stdout + done.stderr
    return done


@pytest.mark.slow
def test_the_command_line_previews_stores_lists_and_rolls_back(tmp_path):
    (tmp_path / "first.csv").write_bytes(FIRST)
    (tmp_path / "second.csv").write_bytes(SECOND)
    assert run(tmp_path, "load", "first.csv").returncode == 0
    preview = run(tmp_path, "load", "--dry-run", "--json", "second.csv")
    assert preview.returncode == 0, preview.stderr
    report = json.loads(preview.stdout)["files"][0]
    assert report["dry_run"] and report["batch_id"] is None
    assert (report["rows_new"], report["rows_changed"], report["rows_unchanged"]) == (1, 1, 1)
    human = run(tmp_path, "load", "--dry-run", "second.csv").stdout
    assert "6 → 9" in human and "preview only" in human
    assert run(tmp_path, "load", "second.csv").returncode == 0
    listing = run(tmp_path, "batches").stdout
    assert "second.csv" in listing and "first.csv" in listing
    undo = run(tmp_path, "rollback", "2")
    assert undo.returncode == 0 and "rolled back" in undo.stdout
    again = run(tmp_path, "rollback", "2")
    assert again.returncode == 1 and "/" in again.stderr
    assert "rolled_back" in run(tmp_path, "batches", "--json").stdout


@pytest.mark.slow
def test_a_second_load_of_the_same_file_says_which_batch_holds_it_and_exits_0(tmp_path):
    (tmp_path / "first.csv").write_bytes(FIRST)
    assert run(tmp_path, "load", "first.csv").returncode == 0
    again = run(tmp_path, "load", "first.csv")
    assert again.returncode == 0
    assert "batch 1" in again.stdout


@pytest.mark.slow
def test_an_unreadable_file_name_does_not_stop_the_files_after_it(tmp_path):
    odd = os.fsencode(tmp_path) + b"/gozaresh-\xe9.csv"
    with open(odd, "wb") as handle:
        handle.write(BAD)
    (tmp_path / "good.csv").write_bytes(FIRST)
    done = subprocess.run(
        [sys.executable, "-m", "data_loaders", "load", odd, os.fsencode(tmp_path / "good.csv")],
        cwd=tmp_path,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DASHBOARD_DB_PATH")},
            "PYTHONPATH": str(ROOT),
            "DASHBOARD_DB_PATH": str(tmp_path / "store.sqlite"),
        },
        capture_output=True,
        timeout=120,
    )
    out = done.stdout.decode("utf-8")
    assert b"Traceback" not in done.stderr
    assert "gozaresh-\ufffd.csv" in out
    assert "good.csv" in out and "stored as batch 1" in out
    assert done.returncode == 1  # the first file was refused


@pytest.mark.slow
def test_the_strict_refusal_on_the_command_line_names_its_own_flag(tmp_path):
    (tmp_path / "bad.csv").write_bytes(BAD)
    done = run(tmp_path, "load", "bad.csv")
    assert done.returncode == 1
    assert "--skip-bad-rows" in done.stdout


# ---------------------------------------------------------------- the drop folder


def test_the_drop_folder_loads_each_settled_file_once_and_files_it_with_its_report(engine, tmp_path):
    from data_loaders.watch import Watcher

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "first.csv").write_bytes(FIRST)
    (inbox / "bad.csv").write_bytes(BAD)
    (inbox / "copying.csv.part").write_bytes(b"district,met")
    (inbox / "~$locked.xlsx").write_bytes(b"x")
    now = [0.0]
    watcher = Watcher(engine, inbox, settle_seconds=2, loaded_by="drop", clock=lambda: now[0])
    assert watcher.poll() == []  # seen once: maybe still growing
    (inbox / "first.csv").write_bytes(FIRST + b"")  # same size and content
    now[0] = 1.0
    assert watcher.poll() == []
    now[0] = 3.0
    results = watcher.poll()
    assert sorted(r.source_name for r in results) == ["bad.csv", "first.csv"]
    assert (inbox / "done" / "first.csv").exists()
    assert (inbox / "failed" / "bad.csv").exists()
    report = json.loads((inbox / "failed" / "bad.csv.report.json").read_text(encoding="utf-8"))
    assert report["refusal"] == "rows" and report["errors"]
    assert "nothing stored" in (inbox / "failed" / "bad.csv.report.txt").read_text(encoding="utf-8")
    assert (inbox / "copying.csv.part").exists() and (inbox / "~$locked.xlsx").exists()
    assert stored(engine) == {(1, "news_published", MEHR_1404): 5.0, (2, "news_published", MEHR_1404): 6.0}


def test_a_file_still_growing_waits_until_it_stops(engine, tmp_path):
    from data_loaders.watch import Watcher

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = [0.0]
    watcher = Watcher(engine, inbox, settle_seconds=2, clock=lambda: now[0])
    path = inbox / "second.csv"
    path.write_bytes(SECOND[:20])
    watcher.poll()
    for step in (1.5, 3.0):  # it grows before it has settled
        now[0] = step
        path.write_bytes(SECOND[: 20 + int(step * 10)])
        assert watcher.poll() == []
    path.write_bytes(SECOND)
    now[0] = 4.0
    assert watcher.poll() == []
    now[0] = 6.5
    [result] = watcher.poll()
    assert result.batch_id is not None and result.rows_loaded == 3


def test_a_dropped_copy_of_a_loaded_file_goes_to_done_saying_which_batch_holds_it(engine, tmp_path):
    from data_loaders.watch import Watcher

    first = load(engine, FIRST)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "again.csv").write_bytes(FIRST)
    [result] = Watcher(engine, inbox, settle_seconds=0).poll()
    assert result.duplicate_of["id"] == first.batch_id
    assert (inbox / "done" / "again.csv").exists()
    assert store_counts(engine)[1] == 1

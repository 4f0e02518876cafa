"""``python -m data_loaders`` as a user runs it: a real subprocess against a temporary SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitoring import metrics, store
from tests.data_loaders.helpers import csv_bytes, run, store_counts

pytestmark = pytest.mark.slow  # every test here runs the command line or a memory probe in a child process

HEADER = "district,metric,period,value"


def counts(tmp_path: Path) -> tuple[int, int]:
    engine = store.make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.ensure_ready(engine)
    try:
        return store_counts(engine)
    finally:
        engine.dispose()


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.csv"
    path.write_bytes(
        csv_bytes(HEADER, "1,news_published,1404/07,5", "2,news_published,1404/07,", "3,news_published,1404/07,7")
    )
    return path


@pytest.fixture
def bad(tmp_path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(HEADER, "1,news_published,1404/07,5", "23,news_published,1404/07,6"))
    return path


def test_json_output_parses_and_has_the_counts(tmp_path, good):
    done = run(tmp_path, "load", "--json", str(good))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    [file] = doc["files"]
    assert file["source_name"] == "good.csv"
    assert (file["rows_read"], file["rows_loaded"], file["rows_rejected"], file["rows_blank"]) == (3, 2, 0, 1)
    assert isinstance(file["batch_id"], int) and file["errors"] == [] and file["file_error"] is None
    assert counts(tmp_path) == (2, 1)


def test_json_output_keeps_persian_unescaped(tmp_path, bad):
    done = run(tmp_path, "load", "--json", str(bad))
    assert "منطقه" in done.stdout and "\\u0645" not in done.stdout


def test_bad_file_exits_1_listing_the_row_and_stores_nothing(tmp_path, bad):
    done = run(tmp_path, "load", str(bad))
    assert done.returncode == 1
    assert "row 3, column 'district'" in done.stdout
    assert "ردیف ۳" in done.stdout
    assert counts(tmp_path) == (0, 0)


def test_bad_file_json_lists_the_rejected_row(tmp_path, bad):
    done = run(tmp_path, "load", "--json", str(bad))
    assert done.returncode == 1
    [file] = json.loads(done.stdout)["files"]
    assert file["batch_id"] is None and file["rows_rejected"] == 1
    assert [(e["row"], e["column"], e["value"]) for e in file["errors"]] == [(3, "district", "23")]


def test_skip_bad_rows_loads_the_good_rows_and_still_exits_1(tmp_path, bad):
    done = run(tmp_path, "load", "--skip-bad-rows", "--json", str(bad))
    assert done.returncode == 1
    [file] = json.loads(done.stdout)["files"]
    assert file["rows_loaded"] == 1 and file["batch_id"] is not None
    assert counts(tmp_path) == (1, 1)


def test_each_file_is_its_own_batch(tmp_path, good, bad):
    done = run(tmp_path, "load", "--json", str(good), str(bad))
    assert done.returncode == 1
    files = json.loads(done.stdout)["files"]
    assert [f["batch_id"] is not None for f in files] == [True, False]
    assert counts(tmp_path) == (2, 1)


def test_missing_file_exits_non_zero_with_a_clear_message(tmp_path):
    done = run(tmp_path, "load", str(tmp_path / "nowhere.csv"))
    assert done.returncode == 1
    assert "file not found" in done.stdout and "پیدا نشد" in done.stdout


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", b"%PDF-1.4", "not supported"),
        ("report.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".xlsx"),
        ("empty.csv", b"", "is empty"),
        ("broken.xlsx", b"PK\x03\x04broken", "cannot open the Excel file"),
    ],
)
def test_unusable_files_get_a_bilingual_message_and_exit_1(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    done = run(tmp_path, "load", str(path))
    assert done.returncode == 1
    assert expected in done.stdout and " / " in done.stdout


def test_wide_file_needs_the_period_option(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(csv_bytes("district,news_published,reports_submitted", "1,5,6", "2,7,"))
    refused = run(tmp_path, "load", str(path))
    assert refused.returncode == 1 and "--period" in refused.stdout
    loaded = run(tmp_path, "load", "--json", "--period", "1404/07", str(path))
    assert loaded.returncode == 0
    assert json.loads(loaded.stdout)["files"][0]["rows_loaded"] == 3


def test_unreadable_period_option_is_a_usage_error(tmp_path, good):
    done = run(tmp_path, "load", "--period", "1404/13", str(good))
    assert done.returncode == 2 and "month 13" in done.stderr


def test_no_file_is_a_usage_error(tmp_path):
    done = run(tmp_path, "load")
    assert done.returncode == 2 and "usage" in done.stderr


def test_unreachable_database_exits_2_without_a_traceback(tmp_path, good):
    done = run(tmp_path, "load", str(good), env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert done.returncode == 2
    assert "cannot open the database" in done.stderr


def test_progress_goes_to_stderr_for_a_big_file(tmp_path):
    codes = list(metrics.catalog())
    lines = [
        f"{d},{c},{y}/{m:02d},1" for y in range(1380, 1404) for m in range(1, 13) for c in codes for d in range(1, 23)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(HEADER, *lines[:100_000]))
    done = run(tmp_path, "load", "--json", str(path))
    assert done.returncode == 0, done.stdout[-2000:]
    assert json.loads(done.stdout)["files"][0]["rows_loaded"] == 100_000
    assert "\r" in done.stderr and "writing big.csv" in done.stderr


def test_small_file_prints_no_progress_when_stderr_is_not_a_terminal(tmp_path, good):
    done = run(tmp_path, "load", str(good))
    assert done.stderr == ""


def test_sample_if_empty_loads_once(tmp_path):
    first = run(tmp_path, "sample", "--if-empty")
    assert first.returncode == 0 and "sample data stored as batch" in first.stdout
    loaded = counts(tmp_path)  # the sample is its month-by-month history: many batches, loaded once
    assert loaded[1] > 1
    second = run(tmp_path, "sample", "--if-empty")
    assert second.returncode == 0 and "not empty" in second.stdout
    assert counts(tmp_path) == loaded

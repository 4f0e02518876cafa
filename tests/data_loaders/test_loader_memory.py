"""The loader's memory stays bounded on hostile files: the peak of the loading process, measured in
a subprocess (tests/data_loaders/memory_probe.py), stays under 1 GB, the file is refused with a
clear message, and the report (JSON) stays small whatever the number of bad rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bilingual import assert_bilingual
from tests.data_loaders import corpus_hostile as corpus

pytestmark = pytest.mark.slow  # every test here runs the command line or a memory probe in a child process

PROBE = Path(__file__).with_name("memory_probe.py")
ROOT = PROBE.parents[2]
PEAK_LIMIT_MB = 1024
OUTPUT_LIMIT_BYTES = 1024 * 1024
BAD_ROW = "99,news_published,1404/07,not-a-number-at-all"  # an unknown district and a value that is no number
DEFAULT_FILE_LIMIT = 64 * corpus.MB


def probe(path: Path, via: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(PROBE), str(path), "--via", via], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    print(f"{path.name} via {via}: peak {report['peak_rss_mb']} MB, output {report['output_bytes']} bytes")
    return report


def assert_refused(report: dict, *english: str) -> None:
    assert report["batch_id"] is None
    en = assert_bilingual(report["file_error"]).en
    for word in english:
        assert word in en, en


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-big")
    return {
        "inflating": corpus.write_inflating_workbook(folder / "inflating.xlsx"),
        "huge_csv": corpus.write_repeated_lines(folder / "huge.csv", corpus.LONG_HEADER, BAD_ROW, 200 * corpus.MB),
    }


@pytest.fixture(scope="module")
def under_limit(tmp_path_factory) -> tuple[Path, dict]:
    """A CSV of bad rows just under the default size limit, loaded once through the command line."""
    path = tmp_path_factory.mktemp("hostile-under") / "bad-rows.csv"
    corpus.write_repeated_lines(path, corpus.LONG_HEADER, BAD_ROW, DEFAULT_FILE_LIMIT - 4096)
    return path, probe(path, "cli")


@pytest.fixture(autouse=True)
def default_limits(monkeypatch):
    for key in ("DASHBOARD_MAX_FILE_MB", "DASHBOARD_MAX_ROWS", "DASHBOARD_MAX_XLSX_INFLATED_MB"):
        monkeypatch.delenv(key, raising=False)


@pytest.mark.parametrize("via", ["cli", "load_file"])
def test_the_workbook_that_inflates_to_one_and_a_half_gigabytes_is_refused_in_bounded_memory(files, via):
    report = probe(files["inflating"], via)
    assert_refused(report, "unpacks", "sheet1.xml")
    assert report["peak_rss_mb"] < PEAK_LIMIT_MB
    assert report["output_bytes"] < OUTPUT_LIMIT_BYTES


@pytest.mark.parametrize("via", ["cli", "load_file"])
def test_a_200_megabyte_csv_of_one_repeated_bad_row_is_refused_for_its_size_in_bounded_memory(files, via):
    report = probe(files["huge_csv"], via)
    assert_refused(report, "largest file accepted", "DASHBOARD_MAX_FILE_MB")
    assert report["errors_listed"] == 0
    assert report["peak_rss_mb"] < PEAK_LIMIT_MB
    assert report["output_bytes"] < OUTPUT_LIMIT_BYTES


def test_a_csv_of_bad_rows_under_the_size_limit_lists_a_few_hundred_errors_and_counts_them_all(under_limit):
    path, report = under_limit
    rows = path.read_bytes().count(b"\n") - 1
    assert report["exit_code"] == 1
    assert_refused(report, "nothing from this file was stored")
    assert 0 < report["errors_listed"] <= 1000
    assert report["errors_total"] >= rows
    assert report["output_bytes"] < OUTPUT_LIMIT_BYTES


def test_a_csv_of_bad_rows_under_the_size_limit_is_checked_in_under_a_gigabyte(under_limit):
    _, report = under_limit
    assert report["peak_rss_mb"] < PEAK_LIMIT_MB

"""The traps of issue 14 that once took the loader past its bounds, measured in a subprocess
(tests/data_loaders/memory_probe.py): every file under 1 GB and 60 s, loaded or refused as it should."""

from __future__ import annotations

import pytest

from tests.bilingual import assert_bilingual
from tests.data_loaders import corpus_traps as traps
from tests.data_loaders.test_loader_memory import PEAK_LIMIT_MB, assert_refused, probe

pytestmark = pytest.mark.slow  # each test starts a child process (the loader or a probe)

SECONDS_LIMIT = 60


@pytest.fixture(autouse=True)
def default_limits(monkeypatch):
    for key in (
        "DASHBOARD_MAX_FILE_MB",
        "DASHBOARD_MAX_ROWS",
        "DASHBOARD_MAX_XLSX_INFLATED_MB",
        "DASHBOARD_MAX_SHEETS",
        "DASHBOARD_MAX_SHARED_STRINGS",
        "DASHBOARD_MAX_CELLS",
        "DASHBOARD_MAX_COLUMNS",
        "DASHBOARD_MAX_VERTICES",
    ):
        monkeypatch.delenv(key, raising=False)


def within_bounds(report: dict) -> None:
    assert report["peak_rss_mb"] < PEAK_LIMIT_MB, report
    assert report["seconds"] < SECONDS_LIMIT, report


@pytest.mark.parametrize("rows", [5_280, 60_000])
def test_a_stray_cell_in_column_xfd_costs_nothing(tmp_path, rows):
    path = traps.write(tmp_path / "stray.xlsx", traps.stray_cell_far_right(rows))
    report = probe(path, "cli")
    within_bounds(report)
    assert report["exit_code"] == 0 and report["batch_id"] is not None and report["file_error"] is None


def test_a_workbook_listing_20000_sheets_is_refused_before_they_are_built(tmp_path):
    path = traps.write(tmp_path / "sheets.xlsx", traps.many_sheets(20_000))
    report = probe(path, "cli")
    within_bounds(report)
    assert_refused(report, "20,000 sheets", "more than the 200")
    assert report["seconds"] < 15


def test_two_million_shared_strings_are_refused_before_they_are_read(tmp_path):
    path = traps.write_many_shared_strings(tmp_path / "strings.xlsx", 2_000_000)
    report = probe(path, "cli")
    within_bounds(report)
    assert_refused(report, "more than 1,000,000 distinct texts", "Split the file")


def test_a_zigzag_boundary_loads_in_bounded_time(tmp_path):
    path = traps.write(tmp_path / "zigzag.geojson", traps.zigzag_boundary(40_000))
    report = probe(path, "boundaries")
    within_bounds(report)
    assert report["batch_id"] is not None, report


def test_a_deep_geojson_is_refused_in_bounded_memory(tmp_path):
    path = traps.write(tmp_path / "deep.geojson", traps.deep_geojson(500_000))
    report = probe(path, "boundaries")
    within_bounds(report)
    assert "nests lists" in assert_bilingual(report["file_error"]).en

"""The demo files in sample_data/demo_files/ are current and behave as their README says."""

from __future__ import annotations

import pytest

from data_loaders import demo_files
from data_loaders.files import FileRejected, load_file, read_observations
from tests.data_loaders.helpers import CATALOG, DISTRICTS, TODAY, store_counts


def demo(name: str) -> bytes:
    return (demo_files.DEMO_DIR / name).read_bytes()


def test_demo_files_are_rewritten_byte_for_byte(tmp_path):
    written = demo_files.write_demo_files(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [
            demo_files.LONG_PERSIAN,
            demo_files.WIDE_EXCEL,
            demo_files.WIDE_NO_PERIOD,
            demo_files.MESSY,
            demo_files.TARGETS,
        ]
    )
    for path in written:
        assert path.read_bytes() == demo(path.name), f"{path.name} is stale: run python -m data_loaders demo-files"


def test_long_persian_demo_loads_cleanly_with_two_not_reported(engine):
    result = load_file(engine, demo(demo_files.LONG_PERSIAN), demo_files.LONG_PERSIAN, today=TODAY)
    assert result.ok
    assert (result.rows_loaded, result.rows_blank) == (174, 2)


def test_wide_excel_demo_loads_cleanly(engine):
    result = load_file(engine, demo(demo_files.WIDE_EXCEL), demo_files.WIDE_EXCEL, today=TODAY)
    assert result.ok and result.rows_loaded == 352


def test_wide_demo_without_period_needs_one():
    with pytest.raises(FileRejected, match="--period"):
        read_observations(demo(demo_files.WIDE_NO_PERIOD), demo_files.WIDE_NO_PERIOD, CATALOG, DISTRICTS, today=TODAY)
    parsed = read_observations(
        demo(demo_files.WIDE_NO_PERIOD), demo_files.WIDE_NO_PERIOD, CATALOG, DISTRICTS, period="1404/10", today=TODAY
    )
    assert parsed.errors == [] and (len(parsed.rows), parsed.rows_blank) == (347, 5)


def test_messy_demo_is_refused_with_every_kind_of_bad_row(engine):
    result = load_file(engine, demo(demo_files.MESSY), demo_files.MESSY, today=TODAY)
    assert result.batch_id is None and store_counts(engine) == (0, 0)
    assert [(e.row, e.column) for e in result.errors] == [
        (9, "value"),  # duplicate of row 33
        (26, "district"),  # 23
        (27, "metric"),  # unknown
        (28, "period"),  # 1404/13
        (29, "period"),  # Gregorian
        (30, "value"),  # not a number
        (31, "value"),  # negative count
        (32, "value"),  # 130 %
        (33, "value"),  # duplicate of row 9
    ]
    assert (result.rows_read, result.rows_rejected, result.rows_blank) == (32, 9, 1)


def test_messy_demo_with_skip_bad_rows_stores_the_22_good_values(engine):
    result = load_file(engine, demo(demo_files.MESSY), demo_files.MESSY, skip_bad_rows=True, today=TODAY)
    assert result.rows_loaded == 22 and store_counts(engine) == (22, 1)

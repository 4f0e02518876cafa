"""A big table is read and checked a slice of rows at a time (memory stays bounded): the outcome
is the same whatever the slice size, duplicates and event counts meet across slices, and the
kept errors are the first ones of the whole file."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from data_loaders import parse, readers
from data_loaders.parse import read_observations
from data_loaders.results import FileRejected
from tests.data_loaders.helpers import CATALOG, DISTRICTS, EVENT_TYPES, TODAY, csv_bytes

HEADER = "district,metric,period,value"
DISTRICT_CELLS = ["1", "7", "22", "۷", "منطقه ۳", "99", "ناحیه ۲", "", "جمع"]
METRIC_CELLS = ["news_published", "social_posts", "citizen_satisfaction", "no_such_metric"]
PERIOD_CELLS = ["1404/07", "1404/08", "مهر ۱۴۰۴", "1404/13", "2025-10-05", "1406/01"]
VALUE_CELLS = ["5", "12.5", "۱۲", "-3", "1,234", "abc", "", "-", "250", "1e3"]


def read(data: bytes, *, cells: int, kept: int, monkeypatch: pytest.MonkeyPatch, **kwargs):
    """The file read with slices of ``cells`` cells and ``kept`` errors listed."""
    with monkeypatch.context() as patch:
        patch.setattr(parse, "SLICE_CELLS", cells)
        patch.setenv("DASHBOARD_MAX_ERRORS", str(kept))
        return read_observations(
            data, "file.csv", CATALOG, DISTRICTS, today=TODAY, **{"event_types": EVENT_TYPES, **kwargs}
        )


def outcome(parsed) -> tuple:
    rows = sorted(parsed.rows.itertuples(index=False, name=None))
    return (
        rows,
        parsed.errors,
        parsed.errors_total,
        parsed.rows_read,
        parsed.rows_blank,
        parsed.rows_rejected,
        parsed.notes,
        parsed.shape,
    )


lines = st.lists(
    st.tuples(
        st.sampled_from(DISTRICT_CELLS),
        st.sampled_from(METRIC_CELLS),
        st.sampled_from(PERIOD_CELLS),
        st.sampled_from(VALUE_CELLS),
    ).map(lambda cells: ",".join(f'"{c}"' if "," in c else c for c in cells))
    | st.just(""),
    min_size=1,
    max_size=40,
)


@settings(deadline=None)  # it reads a file per example: what it checks is the values, not the time
@given(body=lines, rows_per_slice=st.integers(1, 7), kept=st.integers(1, 6))
def test_any_file_reads_the_same_in_slices_of_any_size(body, rows_per_slice, kept):
    data = csv_bytes(HEADER, *body)
    with pytest.MonkeyPatch.context() as patch:
        try:
            whole = outcome(read(data, cells=10**9, kept=kept, monkeypatch=patch))
        except FileRejected as exc:
            whole = exc.message
        try:
            sliced = outcome(read(data, cells=4 * rows_per_slice, kept=kept, monkeypatch=patch))
        except FileRejected as exc:
            sliced = exc.message
    assert sliced == whole


def test_every_copy_of_a_key_repeated_in_distant_slices_is_rejected_naming_the_other(monkeypatch):
    filler = [f"{d},news_published,1404/07,{d}" for d in range(2, 22)]
    data = csv_bytes(HEADER, "1,news_published,1404/07,5", *filler, "1,news_published,1404/07,6")
    parsed = read(data, cells=4 * 3, kept=500, monkeypatch=monkeypatch)
    assert len(parsed.rows) == 20 and 1 not in set(parsed.rows["district"])
    assert parsed.rows_rejected == 2
    first, last = sorted(parsed.errors, key=lambda e: e.row)
    assert (first.row, first.value, last.row, last.value) == (2, "5", 23, "6")
    assert "row 23" in str(first.reason) and "row 2;" in str(last.reason)


def test_an_event_log_counts_one_district_and_month_across_slices_into_one_value(monkeypatch):
    events = [f"{d},1404/07/{day:02d},گزارش" for day in range(1, 11) for d in (3, 4)]
    data = csv_bytes("منطقه,تاریخ,نوع", *events)
    sliced = read(data, cells=3 * 3, kept=500, monkeypatch=monkeypatch)
    whole = read(data, cells=10**9, kept=500, monkeypatch=monkeypatch)
    assert sliced.errors == [] and sliced.shape == "events"
    assert sorted(sliced.rows.itertuples(index=False, name=None)) == sorted(
        whole.rows.itertuples(index=False, name=None)
    )
    assert sorted(sliced.rows["value"]) == [10.0, 10.0]


def test_the_errors_kept_are_the_first_of_the_file_and_every_one_is_counted(monkeypatch):
    body = [f"{99 + i},news_published,1404/07,{i}" for i in range(30)]
    parsed = read(csv_bytes(HEADER, *body), cells=4 * 4, kept=5, monkeypatch=monkeypatch)
    assert [e.row for e in parsed.errors] == [2, 3, 4, 5, 6]
    assert parsed.errors_total == 30 and parsed.rows_rejected == 30


def test_a_file_of_blank_lines_in_many_slices_is_refused_for_having_no_data_rows(monkeypatch):
    data = csv_bytes(HEADER, *[",,,"] * 9)
    with pytest.raises(FileRejected) as refused:
        read(data, cells=4 * 2, kept=500, monkeypatch=monkeypatch)
    assert "no data rows below its header (row 1)" in refused.value.en


# ---------------------------------------------------------------- workbooks, streamed


def merged_workbook() -> bytes:
    """A title row, the header, and district 7 merged down beside five rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["گزارش ماهانه"])
    sheet.append(["منطقه", "دوره", "news_published"])
    for value in range(1, 6):
        sheet.append([7 if value == 1 else None, f"1404/0{value}", value])
    sheet.merge_cells("A3:A7")
    sheet.merge_cells("A1:C1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_district_merged_down_fills_its_rows_when_the_sheet_is_read_in_small_batches(monkeypatch):
    monkeypatch.setattr(readers, "EXCEL_BATCH_ROWS", 2)
    parsed = read_observations(merged_workbook(), "merged.xlsx", CATALOG, DISTRICTS, today=TODAY)
    assert parsed.errors == [] and parsed.rows_read == 5
    assert sorted(zip(parsed.rows["district"], parsed.rows["value"], strict=True)) == [(7, v) for v in range(1, 6)]


def test_a_workbook_with_more_rows_than_allowed_is_refused_while_it_is_read(monkeypatch):
    monkeypatch.setattr(readers, "EXCEL_BATCH_ROWS", 2)
    monkeypatch.setenv("DASHBOARD_MAX_ROWS", "3")
    with pytest.raises(FileRejected) as refused:
        read_observations(merged_workbook(), "merged.xlsx", CATALOG, DISTRICTS, today=TODAY)
    assert "DASHBOARD_MAX_ROWS" in refused.value.en and "DASHBOARD_MAX_ROWS" in refused.value.fa

"""Loading into the store: one atomic batch, or nothing at all."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy.exc import IntegrityError

from data_loaders.files import LoadResult, RowError, load_file
from monitoring import store
from monitoring.message import Message
from monitoring.metrics import Metric
from tests.data_loaders.helpers import ABAN_1404, MEHR_1404, TODAY, csv_bytes, store_counts, stored, xlsx_bytes

HEADER = "district,metric,period,value"
GOOD = csv_bytes(HEADER, "1,news_published,1404/07,5", "2,news_published,1404/07,6", "3,reports_submitted,1404/08,7")
BAD = csv_bytes(
    HEADER,
    "1,news_published,1404/07,5",
    "23,news_published,1404/07,6",  # no such district
    "3,reports_submitted,1404/08,-7",  # a negative count
    "4,reports_submitted,1404/08,8",
)


def load(engine, data: bytes, name: str = "file.csv", **kw):
    return load_file(engine, data, name, today=TODAY, **kw)


def test_clean_file_is_stored_as_one_batch_with_its_name_and_hash(any_engine):
    result = load(any_engine, GOOD, "مهر.csv", loaded_by="tester")
    assert result.ok and result.file_error is None
    assert (result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_blank) == (3, 3, 0, 0)
    assert stored(any_engine) == {
        (1, "news_published", MEHR_1404): 5.0,
        (2, "news_published", MEHR_1404): 6.0,
        (3, "reports_submitted", ABAN_1404): 7.0,
    }
    batch = store.latest_batch(any_engine)
    assert batch["id"] == result.batch_id
    assert batch["source_name"] == "مهر.csv"
    assert batch["sha256"] == hashlib.sha256(GOOD).hexdigest() == result.sha256
    assert (batch["rows_read"], batch["rows_loaded"], batch["rows_rejected"], batch["loaded_by"]) == (3, 3, 0, "tester")


def test_bad_file_leaves_the_store_unchanged(any_engine):
    load(any_engine, GOOD)
    before = (store_counts(any_engine), stored(any_engine))
    result = load(any_engine, BAD)
    assert not result.ok and result.batch_id is None
    assert result.rows_loaded == 0 and result.rows_rejected == 2
    assert [(e.row, e.column) for e in result.errors] == [(3, "district"), (4, "value")]
    assert "nothing from this file was stored" in str(result.file_error)
    assert (store_counts(any_engine), stored(any_engine)) == before


def test_refused_file_leaves_the_store_unchanged(any_engine):
    before = store_counts(any_engine)
    result = load(any_engine, csv_bytes("district,reports_submitted", "1,5"))  # no period
    assert result.file_error and "period" in str(result.file_error)
    assert result.batch_id is None and store_counts(any_engine) == before


def test_skip_bad_rows_stores_exactly_the_good_rows(any_engine):
    result = load(any_engine, BAD, skip_bad_rows=True)
    assert result.batch_id is not None and result.file_error is None and not result.ok
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 2, 2)
    assert stored(any_engine) == {(1, "news_published", MEHR_1404): 5.0, (4, "reports_submitted", ABAN_1404): 8.0}
    batch = store.latest_batch(any_engine)
    assert (batch["rows_read"], batch["rows_loaded"], batch["rows_rejected"]) == (4, 2, 2)


def test_a_file_with_no_accepted_row_stores_nothing_even_when_skipping(any_engine):
    before = store_counts(any_engine)
    result = load(any_engine, csv_bytes(HEADER, "23,news_published,1404/07,6"), skip_bad_rows=True)
    assert result.batch_id is None and result.file_error
    assert store_counts(any_engine) == before


def test_a_file_of_empty_values_stores_nothing_and_says_so(engine):
    result = load(engine, csv_bytes(HEADER, "1,news_published,1404/07,", "2,news_published,1404/07,"))
    assert result.batch_id is None and result.rows_blank == 2
    assert "not reported" in str(result.file_error)
    assert store_counts(engine) == (0, 0)


def test_blank_cells_are_not_stored_as_zero(any_engine):
    data = csv_bytes("district,period,news_published,reports_submitted", "1,1404/07,,4", "2,1404/07,0,")
    result = load(any_engine, data)
    assert result.ok and result.rows_blank == 2 and result.rows_loaded == 2
    assert stored(any_engine) == {(1, "reports_submitted", MEHR_1404): 4.0, (2, "news_published", MEHR_1404): 0.0}


def test_a_blank_cell_does_not_erase_a_stored_value(engine):
    load(engine, csv_bytes(HEADER, "1,news_published,1404/07,5"))
    load(engine, csv_bytes(HEADER, "1,news_published,1404/07,", "2,news_published,1404/07,1"))
    assert stored(engine)[(1, "news_published", MEHR_1404)] == 5.0


def test_reloading_a_corrected_file_replaces_the_values(any_engine):
    first = load(any_engine, BAD, skip_bad_rows=True)
    corrected = csv_bytes(
        HEADER,
        "1,news_published,1404/07,50",
        "22,news_published,1404/07,6",
        "3,reports_submitted,1404/08,7",
        "4,reports_submitted,1404/08,8",
    )
    second = load(any_engine, corrected)
    assert second.ok and second.batch_id != first.batch_id
    assert stored(any_engine) == {
        (1, "news_published", MEHR_1404): 50.0,
        (22, "news_published", MEHR_1404): 6.0,
        (3, "reports_submitted", ABAN_1404): 7.0,
        (4, "reports_submitted", ABAN_1404): 8.0,
    }
    assert store_counts(any_engine) == (4, 2)


def test_xlsx_is_loaded_into_the_store(engine):
    data = xlsx_bytes([["گزارش"], ["منطقه", "اخبار منتشرشده"], [5, 9]])
    result = load(engine, data, "آبان.xlsx", period="1404/08")
    assert result.ok
    assert stored(engine) == {(5, "news_published", ABAN_1404): 9.0}


def test_progress_is_reported_up_to_the_total(engine):
    calls = []
    load(engine, GOOD, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (3, 3)


def test_result_to_dict_is_json_ready():
    why = Message("منطقهٔ ۲۳ نیست", "no district 23")
    r = LoadResult("a.csv", "x" * 64, None, 2, 0, 1, 0, [RowError(3, "منطقه", "23", why)], why)
    doc = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    reason = {"fa": why.fa, "en": why.en}  # both languages, each in its own field: nothing to split
    assert doc["errors"] == [{"row": 3, "column": "منطقه", "value": "23", "reason": reason, "sheet": "", "cell": ""}]
    assert doc["file_error"] == reason and Message.from_dict(doc["file_error"]) == why
    assert doc["ok"] is False and doc["batch_id"] is None
    assert {"source_name", "batch_id", "rows_read", "rows_loaded", "rows_rejected", "rows_blank", "file_error"} <= set(
        doc
    )


def test_a_failure_in_the_middle_of_the_write_leaves_nothing(any_engine, monkeypatch):
    """Rows past the first chunk break a foreign key: the batch and the rows before it roll back."""
    catalog = dict(store.metric_catalog(any_engine))
    catalog["ghost_metric"] = Metric("ghost_metric", "شاخص شبح", "ghost", "مورد", "sum", "higher", 0, True, 0, None)
    monkeypatch.setattr(store, "metric_catalog", lambda engine: catalog)  # known to the loader, absent from the table
    lines = [f"{d},news_published,{y}/{m:02d},1" for y in range(1320, 1404) for m in range(1, 13) for d in range(1, 23)]
    assert len(lines) > 20_000
    lines.append("1,ghost_metric,1404/07,1")
    before = store_counts(any_engine)
    with pytest.raises(IntegrityError):
        load(any_engine, csv_bytes(HEADER, *lines))
    assert store_counts(any_engine) == before

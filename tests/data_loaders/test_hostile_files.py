"""Hostile files are refused clearly, in Persian and English, and never touch the store; their
cells come out of every download and every table as inert text."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import Engine, func, inspect, select, table

from data_loaders import guard
from data_loaders.files import load_file
from data_loaders.results import FileRejected
from monitoring import exports
from tests.bilingual import assert_bilingual
from tests.data_loaders import corpus_hostile as corpus
from ui import tables

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table the database holds, whatever module defined it."""
    counts = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            counts[name] = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
    return counts


def load_case(engine: Engine, case: corpus.HostileCase, monkeypatch: pytest.MonkeyPatch):
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    return load_file(engine, case.build(), case.name)


def assert_refused_with(message: object, case: corpus.HostileCase) -> None:
    assert message, f"{case.id}: no refusal"
    fa, en = assert_bilingual(message).fa, assert_bilingual(message).en
    for word in case.fa:
        assert word in fa, f"{case.id}: {word!r} missing from the Persian {fa!r}"
    for word in case.en:
        assert word in en, f"{case.id}: {word!r} missing from the English {en!r}"


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda c: c.id)
def test_each_hostile_file_gets_its_outcome_and_a_refusal_leaves_every_table_unchanged(engine, monkeypatch, case):
    before = table_counts(engine)
    result = load_case(engine, case, monkeypatch)
    after = table_counts(engine)
    if case.outcome == corpus.LOADED:
        assert result.batch_id is not None and result.file_error is None, result.file_error
        assert after != before
        return
    assert after == before
    assert result.batch_id is None
    if case.outcome == corpus.REFUSED:
        assert_refused_with(result.file_error, case)
        assert result.errors == []
    else:
        assert result.file_error and result.errors


def test_a_workbook_whose_sheet_is_cut_short_by_a_lying_directory_is_refused_and_stores_nothing(engine, monkeypatch):
    before = table_counts(engine)
    result = load_case(engine, corpus.TRUNCATED, monkeypatch)
    assert table_counts(engine) == before
    assert_refused_with(result.file_error, corpus.TRUNCATED)


def test_the_inflating_workbook_is_refused_from_its_directory_naming_the_sheet_and_sizes():
    data = corpus.inflating_workbook()
    assert len(data) < 8 * corpus.MB
    with pytest.raises(FileRejected) as refused:
        guard.check_content(data, "report.xlsx", guard.Limits())
    assert corpus.SHEET_PART in refused.value.en and "MB" in refused.value.en
    assert "مگابایت" in refused.value.fa


# ---------------------------------------------------------------- the guard's own rules


def test_limits_come_from_the_environment_and_a_bad_value_keeps_the_default():
    limits = guard.limits_from_env(
        {"DASHBOARD_MAX_FILE_MB": "2", "DASHBOARD_MAX_ROWS": "1_000", "DASHBOARD_MAX_XLSX_INFLATED_MB": "oops"}
    )
    assert limits.max_file_bytes == 2 * guard.MB
    assert limits.max_rows == 1000
    assert limits.max_inflated_bytes == guard.Limits().max_inflated_bytes
    assert guard.limits_from_env({}) == guard.Limits()
    assert guard.limits_from_env({"DASHBOARD_MAX_ROWS": "-5"}).max_rows == guard.Limits().max_rows


@given(
    st.dictionaries(
        st.sampled_from(["DASHBOARD_MAX_FILE_MB", "DASHBOARD_MAX_ROWS", "DASHBOARD_MAX_ZIP_RATIO"]), st.text()
    )
)
def test_no_setting_however_garbled_stops_the_loader_or_makes_a_limit_vanish(environ):
    limits = guard.limits_from_env(environ)
    assert limits.max_file_bytes > 0 and limits.max_rows >= 1 and limits.max_ratio >= 1


def test_size_is_checked_before_reading_and_says_how_big_and_what_to_do():
    limits = guard.Limits(max_file_bytes=guard.MB)
    guard.check_size(guard.MB, "a.csv", limits)
    with pytest.raises(FileRejected) as refused:
        guard.check_size(3 * guard.MB, "a.csv", limits)
    assert "3.0 MB" in refused.value.en and "1.0 MB" in refused.value.en and "split" in refused.value.en
    assert "۳ مگابایت" in refused.value.fa


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_the_row_limit_refuses_exactly_the_counts_above_it(count, limit):
    limits = guard.Limits(max_rows=limit)
    if count <= limit:
        guard.check_rows(count, "a.csv", limits)
    else:
        with pytest.raises(FileRejected, match="DASHBOARD_MAX_ROWS"):
            guard.check_rows(count, "a.csv", limits)


_CELL = st.text(alphabet=st.sampled_from("0123456789/.-_ abcxyzمنطقهشاخصدورهمقدار۰۱۲۳۴۵۶۷۸۹٫"), min_size=0, max_size=12)


@given(st.lists(st.lists(_CELL, min_size=4, max_size=4), max_size=30), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_any_plain_text_table_passes_the_guard(rows, bom, newline):
    text = newline.join(",".join(r) for r in [["district", "metric", "period", "value"], *rows]) + newline
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    guard.check_content(data, "report.csv", guard.Limits())
    guard.check_content(b"\xff\xfe" + text.encode("utf-16-le"), "report.csv", guard.Limits())


@given(st.lists(st.text(alphabet="ab,\r\n", max_size=40), max_size=20), st.integers(1, 30))
def test_the_line_scan_counts_filled_lines_and_finds_the_first_long_one_as_splitlines_would(parts, max_line):
    data = "".join(parts).encode()
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    filled, long_at = guard._scan_lines(data, max_line)
    long_lines = [i for i, line in enumerate(lines) if len(line) > max_line]
    if not long_lines:
        assert long_at is None
        assert filled == sum(1 for line in lines if line)
    else:
        assert long_at is not None
        assert guard._line_at(data, long_at) == long_lines[0] + 1


def test_a_utf16_file_without_byte_order_mark_is_not_taken_for_binary():
    data = corpus.good_csv().decode().encode("utf-16-le")
    guard.check_content(data, "report.csv", guard.Limits())


def test_content_of_an_unsupported_type_is_left_to_the_readers_which_name_the_types_they_take():
    guard.check_content(b"%PDF-1.4", "report.pdf", guard.Limits())


def test_an_xlsx_named_csv_is_checked_as_a_workbook():
    with pytest.raises(FileRejected, match="unpacks"):
        guard.check_content(corpus.inflating_workbook(), "report.csv", guard.Limits())


def test_an_archive_whose_end_record_claims_too_many_parts_is_refused_before_zipfile_reads_it():
    data = bytearray(corpus.good_xlsx())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (60000).to_bytes(2, "little") * 2
    with pytest.raises(FileRejected, match="60,000 packed parts"):
        guard.check_content(bytes(data), "report.xlsx", guard.Limits())


def test_a_part_read_through_bounded_open_stops_at_its_limit():
    data = corpus.ratio_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with guard.bounded_open(archive, corpus.SHEET_PART, 10 * corpus.MB, "report.xlsx") as part:
            assert len(part.read()) == archive.getinfo(corpus.SHEET_PART).file_size
        with guard.bounded_open(archive, corpus.SHEET_PART, corpus.MB, "report.xlsx") as part:
            with pytest.raises(FileRejected, match="unpacks to more than 1.0 MB"):
                part.read()


def test_a_part_that_holds_more_than_its_directory_says_is_refused_when_read():
    with zipfile.ZipFile(io.BytesIO(corpus.lying_workbook())) as archive:
        info = archive.getinfo(corpus.SHEET_PART)
        assert info.file_size == 20_000
        with guard.bounded_open(archive, info, 400 * corpus.MB, "report.xlsx") as part:
            with pytest.raises(FileRejected) as refused:
                while part.read(64 * 1024):
                    pass
    assert "damaged" in refused.value.en and "خراب" in refused.value.fa


@given(st.lists(st.integers(), max_size=50), st.integers(1, 20))
def test_an_error_budget_keeps_the_first_errors_and_counts_them_all(errors, limit):
    budget = guard.ErrorBudget(limit)
    budget.extend(errors)
    assert budget.kept == errors[:limit]
    assert budget.total == len(errors) and budget.dropped == max(len(errors) - limit, 0)
    assert (budget.note() is None) == (len(errors) <= limit)


# ---------------------------------------------------------------- downloads and tables


def rejected_rows(engine: Engine, rows: list[str]) -> pd.DataFrame:
    result = load_file(engine, corpus.csv_of(rows), "report.csv")
    assert result.errors, result.file_error
    return pd.DataFrame([e.to_dict() for e in result.errors])


def test_every_formula_cell_of_a_rejected_file_is_neutralised_in_the_csv_download(engine):
    errors = rejected_rows(engine, corpus.FORMULA_ROWS)
    text = exports.to_csv_bytes(errors).decode("utf-8-sig")
    cells = [cell for record in csv.reader(io.StringIO(text, newline="")) for cell in record]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    guarded = {c for c in cells if c.startswith("'")}
    assert any(c.startswith("'=HYPERLINK") for c in guarded) and any(c.startswith("'-") for c in guarded)


def test_every_formula_cell_of_a_rejected_file_is_a_guarded_text_cell_in_the_xlsx_download(engine):
    errors = rejected_rows(engine, corpus.FORMULA_ROWS)
    sheet = load_workbook(io.BytesIO(exports.to_xlsx_bytes(errors))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert any(t.startswith("'@SUM") for t in texts)


@pytest.mark.parametrize("prefix", FORMULA_STARTS)
def test_each_formula_prefix_is_neutralised_in_both_downloads_while_numbers_stay_numbers(prefix):
    frame = pd.DataFrame({"متن": [f"{prefix}1+2", "-cmd", "plain"], "عدد": [-3.5, -2, 4]})
    rows = list(csv.reader(io.StringIO(exports.to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == [f"'{prefix}1+2", "-3.5"] and rows[2] == ["'-cmd", "-2"]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame))).active
    assert sheet["A2"].value == f"'{prefix}1+2" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3.5 and sheet["B2"].data_type == "n"
    assert sheet["A3"].value == "'-cmd" and sheet["B4"].value == 4


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_markdown_and_html_from_a_file_show_as_literal_text_in_the_rejection_table(engine):
    errors = rejected_rows(engine, corpus.MARKUP_ROWS)
    shown = pd.DataFrame(
        {"ردیف": errors["row"], "ستون": errors["column"], "مقدار": errors["value"], "دلیل": errors["reason"]}
    )  # as the upload page lays it out
    markup = tables.table_html(shown, wrap=["دلیل"], bilingual=["دلیل"], code=["ستون", "مقدار"])
    parsed = _Tags()
    parsed.feed(markup)
    assert parsed.tags <= {"div", "table", "thead", "tbody", "tr", "th", "td", "code", "bdi", "span", "br", "caption"}
    assert not [value for name, value in parsed.attributes if name in ("src", "href", "onerror", "onload")]
    text = "".join(parsed.text)
    for cell in ("[link](http://x.example)", "<img src=http://x.example/a.png>", "<script>alert(1)</script>"):
        assert cell in text


@pytest.mark.parametrize("cell", corpus.MARKUP_CELLS)
def test_cell_html_escapes_markup_and_leaves_markdown_as_written(cell):
    parsed = _Tags()
    parsed.feed(tables.cell_html(cell))
    assert parsed.tags <= {"bdi"}
    assert "".join(parsed.text) == cell


@pytest.mark.parametrize("written", ["inf", "Infinity", "-inf", "1e400", "nan"])
def test_an_infinite_setting_keeps_the_default_limit(written):
    for key in ("DASHBOARD_MAX_ROWS", "DASHBOARD_MAX_CELLS", "DASHBOARD_MAX_FILE_MB"):
        assert guard.limits_from_env({key: written}) == guard.Limits()

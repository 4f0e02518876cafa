"""Nothing wrong lands silently (issue 14): for each class of trap, several files built in code, the exact
values that land, or a refusal that names the fault and its fix with the store unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from data_loaders import boundaries
from data_loaders.load import load_file
from data_loaders.parse import read_observations
from data_loaders.results import FileRejected, escape_text
from monitoring import calendar
from monitoring.message import Message
from tests.bilingual import assert_bilingual
from tests.data_loaders import corpus_traps as traps
from tests.data_loaders.helpers import (
    CATALOG,
    DISTRICTS,
    EVENT_TYPES,
    TODAY,
    as_tuples,
    csv_bytes,
    store_counts,
    stored,
)

L = traps.LONG
MEHR, ABAN, DEY = (calendar.month_start(1404, m) for m in (7, 8, 10))


def read(data: bytes, name: str = "f.xlsx", **kw):
    return read_observations(data, name, CATALOG, DISTRICTS, today=TODAY, **{"event_types": EVENT_TYPES, **kw})


def refusal(data: bytes, name: str = "f.xlsx", **kw) -> tuple[str, str]:
    with pytest.raises(FileRejected) as caught:
        read(data, name, **kw)
    fa, en = caught.value.fa, caught.value.en
    assert fa and en and "Traceback" not in fa + en
    return fa, en


def assert_refused_and_store_unchanged(engine, data: bytes, name: str, *english: str, **kw) -> str:
    """Loaded for real into a store that already holds a batch: refused, naming ``english``, nothing changed."""
    load_file(
        engine, csv_bytes("district,metric,period,value", "9,news_published,1404/06,1"), "before.csv", today=TODAY
    )
    before, values = store_counts(engine), stored(engine)
    result = load_file(engine, data, name, today=TODAY, **kw)
    assert result.batch_id is None and not result.ok
    message = str(result.file_error or "")
    if result.errors:
        message += " ".join(str(e.reason) for e in result.errors)
    for word in english:
        assert word in message, message
    assert store_counts(engine) == before and stored(engine) == values
    return message


def only_reason(parsed) -> Message:
    assert len(parsed.errors) == 1, parsed.errors
    return parsed.errors[0].reason


# ---------------------------------------------------------------- 1. periods typed as numbers


@pytest.mark.parametrize("typed", [1404.1, 1404.07, 1404.5, 2025.1])
def test_a_period_typed_as_a_number_is_refused_with_the_hint_to_type_text(typed):
    parsed = read(traps.one_sheet([L, [1, "news_published", typed, 5]]))
    assert parsed.rows.empty
    error = parsed.errors[0]
    assert (error.row, error.cell) == (2, "C2")
    assert "number in Excel" in str(error.reason) and "'1404/10" in str(error.reason)
    assert "متن" in str(error.reason)


@pytest.mark.parametrize(
    ("typed", "number_format", "month"),
    [(1404.1, "0.00", DEY), (1404.07, "0.00", MEHR), (1404.08, "#,##0.00", ABAN)],
)
def test_a_period_typed_as_a_number_is_read_as_excel_shows_it_when_that_is_exact(typed, number_format, month):
    parsed = read(traps.one_sheet([L, [1, "news_published", typed, 5]], formats={(0, "C2"): number_format}))
    assert parsed.errors == [] and as_tuples(parsed.rows) == {(1, "news_published", month, 5.0)}


@pytest.mark.parametrize("number_format", ["mmm yyyy", "yyyy-mm", "mmmm\\ yyyy"])
def test_a_month_only_date_cell_is_refused_like_the_text_2025_10(number_format):
    data = traps.one_sheet([L, [1, "news_published", dt.datetime(2025, 10, 1), 5]], formats={(0, "C2"): number_format})
    parsed = read(data)
    assert parsed.rows.empty and "two Jalali months" in only_reason(parsed).en


def test_a_full_date_cell_is_still_converted():
    parsed = read(traps.one_sheet([L, [1, "news_published", dt.datetime(2025, 10, 5), 5]]))
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR, 5.0)}


def test_a_number_typed_period_stores_nothing(engine):
    data = traps.one_sheet([L, [1, "news_published", 1404.1, 5], [2, "news_published", "1404/07", 6]])
    assert_refused_and_store_unchanged(engine, data, "typed.xlsx", "number in Excel")


# ---------------------------------------------------------------- 1. numbers


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["۲.۵۶۰", "۱.۲۳۴.۵۶۷"], [2560.0, 1234567.0]),  # a thousands dot, said by the second cell
        (["2.560", "1.234,5"], [2560.0, 1234.5]),  # European: dot groups, comma decimals
        (["2.5", "۲.۵۶۰"], [2.5, 2.56]),  # a decimal point, said by the first cell
        (["1,234", "12,500"], [1234.0, 12500.0]),  # commas group thousands (the default)
        (["7,5", "12,500", "9,000"], [7.5, 12.5, 9.0]),  # decimal commas, said by 7,5
        (["۱٬۲۳۴٫۵", "۲٫۵۶۰"], [1234.5, 2.56]),  # the Persian marks are never ambiguous
    ],
)
def test_numbers_are_read_in_the_one_convention_the_file_shows(cells, expected):
    lines = [f'{i + 1};response_time_137_hours;1404/07;"{c}"' for i, c in enumerate(cells)]
    parsed = read(csv_bytes("district;metric;period;value", *lines), "n.csv")
    assert parsed.errors == []
    assert [v for _, v in sorted((d, v) for d, _, _, v in as_tuples(parsed.rows))] == expected


def test_decimal_commas_in_a_semicolon_file_are_never_read_as_thousands(engine):
    data = csv_bytes(
        "منطقه;شاخص;دوره;مقدار",
        "1;response_time_137_hours;1404/07;7,5",
        "2;response_time_137_hours;1404/07;12,500",
        "3;response_time_137_hours;1404/07;9,000",
    )
    result = load_file(engine, data, "hours.csv", today=TODAY)
    assert result.ok
    assert stored(engine) == {
        (1, "response_time_137_hours", MEHR): 7.5,
        (2, "response_time_137_hours", MEHR): 12.5,
        (3, "response_time_137_hours", MEHR): 9.0,
    }


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (["2.5", "1.234.567"], "both as the decimal mark"),
        (["2,5", "1,234,567"], "both as the decimal mark"),
        (["2.5", "2,5"], "sometimes as '.'"),
        (["1.234.567", "1,234,567"], "sometimes as '.'"),
    ],
)
def test_a_file_that_mixes_conventions_is_refused(engine, cells, said):
    lines = [f'{i + 1},response_time_137_hours,1404/07,"{c}"' for i, c in enumerate(cells)]
    data = csv_bytes("district,metric,period,value", *lines)
    parsed = read(data, "mixed.csv")
    assert parsed.rows.empty and len(parsed.errors) == 2
    assert all(said in str(e.reason) and "one convention" in str(e.reason) for e in parsed.errors)
    assert_refused_and_store_unchanged(engine, data, "mixed.csv", said)


@pytest.mark.parametrize("cell", ["۲.۵۶۰", "2.560", "1.125", "12.345"])
def test_a_dot_before_three_digits_is_refused_when_nothing_says_what_it_is(cell):
    parsed = read(csv_bytes("district,metric,period,value", f"1,response_time_137_hours,1404/07,{cell}"), "a.csv")
    reason = only_reason(parsed)
    assert "ambiguous" in reason.en and "دوپهلو" in reason.fa


def test_an_excel_number_is_never_ambiguous():
    parsed = read(
        traps.one_sheet(
            [L, [1, "response_time_137_hours", "1404/07", 1.125], [2, "response_time_137_hours", "1404/07", 2.5]]
        )
    )
    assert parsed.errors == [] and sorted(parsed.rows["value"]) == [1.125, 2.5]


@pytest.mark.parametrize("cell", ["۱۲ ۳۴", "12 345", "1\u00a0234", "۱ ۲"])
def test_spaces_between_digits_are_refused(cell):
    parsed = read(csv_bytes("district,metric,period,value", f'1,news_published,1404/07,"{cell}"'), "s.csv")
    assert parsed.rows.empty and "space between its digits" in only_reason(parsed).en


@pytest.mark.parametrize(
    ("metric", "cell"), [("news_published", "2.5"), ("requests_137", "۱۲٫۵"), ("training_hours", "0.5")]
)
def test_a_fractional_count_is_rejected_with_its_row(engine, metric, cell):
    data = csv_bytes("district,metric,period,value", "1,news_published,1404/07,3", f'2,{metric},1404/07,"{cell}"')
    parsed = read(data, "c.csv")
    error = parsed.errors[0]
    assert (error.row, error.column, error.cell) == (3, "value", "D3")
    assert "must be a whole number" in str(error.reason) and "شمارش" in str(error.reason)
    assert_refused_and_store_unchanged(engine, data, "c.csv", "whole number")


# ---------------------------------------------------------------- 2. what the clerk cannot see


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_skipped_and_named(engine, state):
    data = traps.book_bytes(
        [("مهر", [L, [1, "news_published", "1404/07", 5]]), ("پیش‌نویس", [L, [1, "news_published", "1404/07", 99]])],
        hidden={"پیش‌نویس": state},
    )
    parsed = read(data)
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR, 5.0)} and parsed.sheets == ["مهر"]
    assert any("پیش‌نویس" in n.fa and "hidden" in n.en for n in parsed.notes)
    result = load_file(engine, data, "book.xlsx", today=TODAY)
    assert result.ok and stored(engine) == {(1, "news_published", MEHR): 5.0}


def test_a_hidden_sheet_asked_for_by_name_is_refused():
    data = traps.book_bytes([("a", [L, [1, "news_published", "1404/07", 5]]), ("b", [L])], hidden={"b": "hidden"})
    _, en = refusal(data, sheet="b")
    assert "hidden" in en and "Unhide" in en


def test_a_workbook_of_hidden_sheets_only_is_refused():
    data = traps.book_bytes([("a", [L, [1, "news_published", "1404/07", 5]]), ("b", [["x"]])], hidden={"a": "hidden"})
    _, en = refusal(data)
    assert "hidden" in en


@pytest.mark.parametrize(
    "rows",
    [
        [L, [1, "news_published", "1404/07", "=2+3"], [2, "news_published", "1404/07", "=SUM(1,2)"]],
        [["منطقه", "دوره", "news_published"], [1, "1404/07", "=A2*2"]],
        [L, [1, "news_published", '="1404/07"', 4]],
    ],
)
def test_formulas_without_a_saved_result_are_refused_naming_the_cells(engine, rows):
    data = traps.one_sheet(rows)
    _, en = refusal(data)
    assert "formula whose result was never saved" in en and "Open it in Excel and save it" in en
    assert "D2" in en or "C2" in en
    assert_refused_and_store_unchanged(engine, data, "script.xlsx", "never saved")


def test_a_formula_with_its_saved_result_loads_the_result():
    cell = '<c r="REF"><f>2+3</f><v>5</v></c>'
    data = traps.raw_one([L, [1, "news_published", "1404/07", cell]])
    assert as_tuples(read(data).rows) == {(1, "news_published", MEHR, 5.0)}


# ---------------------------------------------------------------- 3. no column dropped in silence


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["1404/07/03,3,خبر,40", "1404/07/09,3,خبر,2"], {(3, "news_published", MEHR): 42.0}),
        (
            ["1404/07/03,3,خبر,1", "1404/08/01,3,همایش,5", "1404/08/02,3,همایش,0"],
            {(3, "news_published", MEHR): 1.0, (3, "events_held", ABAN): 5.0},
        ),
        (["1404/07/03,منطقه ۴,خبر,۱۲"], {(4, "news_published", MEHR): 12.0}),
    ],
)
def test_an_event_logs_count_column_is_the_count(engine, lines, expected):
    data = csv_bytes("تاریخ,منطقه,نوع,تعداد", *lines)
    result = load_file(engine, data, "events.csv", today=TODAY)
    assert result.ok and stored(engine) == expected


@pytest.mark.parametrize(
    ("cell", "said"), [("", "count is empty"), ("2.5", "whole number"), ("-1", "whole number"), ("x", "not a number")]
)
def test_a_bad_count_is_rejected_with_its_row(engine, cell, said):
    data = csv_bytes("تاریخ,منطقه,نوع,تعداد", "1404/07/03,3,خبر,4", f"1404/07/04,3,خبر,{cell}")
    parsed = read(data, "e.csv")
    assert parsed.errors[0].row == 3 and said in str(parsed.errors[0].reason)
    assert_refused_and_store_unchanged(engine, data, "e.csv", said)


@pytest.mark.parametrize(
    "header",
    [
        "منطقه,شاخص,دوره,هدف,عملکرد",
        "district,metric,period,target,actual",
        "منطقه,شاخص,دوره,عملکرد,هدف",
    ],
)
def test_targets_beside_actuals_are_refused_naming_both_columns(engine, header):
    data = csv_bytes(header, "1,news_published,1404/07,5,6")
    _, en = refusal(data, "both.csv")
    assert "target column" in en and "actual" in en and "two copies" in en
    assert_refused_and_store_unchanged(engine, data, "both.csv", "two copies")


@pytest.mark.parametrize(
    ("header", "row", "named"),
    [
        ("منطقه,شاخص,دوره,مقدار,توضیحات", "1,news_published,1404/07,5,دیر رسید", "'توضیحات' (E): a notes"),
        ("منطقه,شاخص,دوره,مقدار,ستون عجیب", "1,news_published,1404/07,5,7", "'ستون عجیب' (E): its header is not known"),
        ("تاریخ,منطقه,نوع,عنوان", "1404/07/03,3,خبر,افتتاح", "'عنوان' (D)"),
        ("تاریخ,منطقه,نوع,", "1404/07/03,3,خبر,40", "the untitled column D"),
    ],
)
def test_every_column_read_past_is_named_in_the_notes(header, row, named):
    parsed = read(csv_bytes(header, row), "n.csv")
    assert parsed.errors == [] and len(parsed.rows) == 1
    assert any(named in str(n) and "not read or stored" in n.en for n in parsed.notes), parsed.notes


# ---------------------------------------------------------------- 4. merged cells


def test_a_district_merged_down_beside_its_rows_fills_each_row():
    rows = [L, [7, "news_published", "1404/07", 5], [None, "public_meetings", "1404/07", 6]]
    parsed = read(traps.one_sheet(rows, merges={0: ["A2:A3"]}))
    assert as_tuples(parsed.rows) == {(7, "news_published", MEHR, 5.0), (7, "public_meetings", MEHR, 6.0)}


def test_a_period_merged_down_is_a_label_too():
    rows = [L, [1, "news_published", "1404/07", 5], [2, "news_published", None, 6]]
    parsed = read(traps.one_sheet(rows, merges={0: ["C2:C3"]}))
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR, 5.0), (2, "news_published", MEHR, 6.0)}


@pytest.mark.parametrize(
    ("rows", "merged"),
    [
        ([L, [1, "news_published", "1404/07", 5], [2, "news_published", "1404/07", None]], "D2:D3"),
        ([["منطقه", "دوره", "news_published", "public_meetings"], [1, "1404/07", 5, None]], "C2:D2"),
        ([["منطقه", "دوره", "news_published"], [1, "1404/07", 5], [2, "1404/07", None], [3, "1404/07", None]], "C2:C4"),
    ],
)
def test_a_merged_value_is_refused_naming_its_range(engine, rows, merged):
    data = traps.one_sheet(rows, merges={0: [merged]})
    _, en = refusal(data)
    assert merged in en and "Unmerge" in en
    assert_refused_and_store_unchanged(engine, data, "merged.xlsx", merged)


def test_a_two_level_header_reads_its_column_names_not_its_group_title():
    rows = [
        ["گزارش ماهانه"],
        ["منطقه", "دوره", "عملکرد", None],
        [None, None, "news_published", "public_meetings"],
        [1, "1404/07", 5, 6],
    ]
    parsed = read(traps.one_sheet(rows, merges={0: ["A2:A3", "B2:B3", "C2:D2"]}))
    assert parsed.errors == []
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR, 5.0), (1, "public_meetings", MEHR, 6.0)}


# ---------------------------------------------------------------- 5. bounds (the small cases; memory in test_loader_memory)


def test_a_stray_blank_cell_in_column_xfd_changes_nothing():
    parsed = read(traps.stray_cell_far_right(200))
    assert parsed.errors == [] and len(parsed.rows) == 200


def test_a_stray_filled_cell_in_column_xfd_is_named():
    _, en = refusal(traps.stray_cell_far_right(20, "x"))
    assert "untitled column XFD" in en


@pytest.mark.parametrize(
    ("build", "english", "limit_env"),
    [
        (lambda: traps.many_sheets(300), "300 sheets, more than the 200", None),
        (lambda: traps.many_columns(1_100), "more than 1,000 filled columns", None),
        (
            lambda: traps.many_shared_strings(2_000),
            "more than 1,000 distinct texts",
            ("DASHBOARD_MAX_SHARED_STRINGS", "1000"),
        ),
        (lambda: traps.raw_one(traps.GOOD_ROWS * 30), "more than 50 cells", ("DASHBOARD_MAX_CELLS", "50")),
    ],
)
def test_each_cap_is_refused_naming_the_limit_and_how_to_split(monkeypatch, build, english, limit_env):
    if limit_env:
        monkeypatch.setenv(*limit_env)
    fa, en = refusal(build())
    assert english in en and any(word in en.lower() for word in ("split", "delete", "copy"))
    assert "تکه" in fa or "پاک" in fa or "کپی" in fa


def test_too_many_boundary_points_are_refused_before_they_are_checked(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_VERTICES", "1000")
    with pytest.raises(FileRejected, match="more than the 1,000 accepted"):
        boundaries.read_boundaries(traps.zigzag_boundary(2_000), DISTRICTS)


@pytest.mark.parametrize("depth", [65, 5_000, 200_000])
def test_deeply_nested_geojson_is_refused_not_a_recursion_error(depth):
    with pytest.raises(FileRejected, match="nests lists"):
        boundaries.read_boundaries(traps.deep_geojson(depth), DISTRICTS)


def test_a_zigzag_boundary_is_simplified_in_linear_time():
    import time

    started = time.monotonic()
    parsed = boundaries.read_boundaries(traps.zigzag_boundary(30_000), DISTRICTS)
    assert parsed.errors == [] and 7 in parsed.shapes
    assert time.monotonic() - started < 20


def test_boundary_faults_are_listed_up_to_the_limit_and_counted(engine):
    result = boundaries.load_boundaries(engine, traps.many_faults_boundaries(3_000), "faults.geojson")
    assert result.errors_total == 3_000 and len(result.errors) == 500
    assert "3000 fault(s)" in str(result.file_error) and "the first 500 listed" in str(result.file_error)
    assert len(json.dumps(result.to_dict())) < 1_000_000


# ---------------------------------------------------------------- 6. faults of the parser: refusals naming the part


@pytest.mark.parametrize(
    ("cell", "english"),
    [
        ('<c r="REF" t="s"><v>7</v></c>', "points at a text the file does not hold"),  # shared string 7 of 1
        ('<c r="REF"><v>not-a-number</v></c>', "holds what Excel never writes"),
        ('<c r="REF" s="999"><v>5</v></c>', "has a style the file does not hold"),
        ('<c r="REF" t="b"><v>x</v></c>', "holds what Excel never writes"),
    ],
)
def test_a_damaged_cell_is_a_refusal_naming_the_cell(engine, cell, english):
    data = traps.raw_one([L, [1, "news_published", "1404/07", cell]], strings=["a"])
    _, en = refusal(data)
    assert english in en and "D2" in en and "save it again" in en
    assert_refused_and_store_unchanged(engine, data, "damaged.xlsx", "D2")


@pytest.mark.parametrize(
    "xml",
    [
        "<worksheet><sheetData><row r='1'><c r='A1'",  # cut short
        "<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData><row r='x'/></sheetData></worksheet>",
    ],
)
def test_a_damaged_sheet_is_a_refusal_naming_the_part(xml):
    data = traps.raw_book([("گزارش", "visible", xml)])
    _, en = refusal(data)
    assert "xl/worksheets/sheet1.xml" in en or "sheet 'گزارش'" in en


# ---------------------------------------------------------------- 7. messages that say what to do


def test_an_excel_strict_file_is_named_as_such():
    _, en = refusal(traps.strict_book())
    assert "Strict Open XML" in en and "Excel Workbook (*.xlsx)" in en and "no worksheet" not in en


@pytest.mark.parametrize(
    "data", [b"<html><body><table><tr><td>1</td></tr></table></body></html>", b"\xef\xbb\xbf<table>"]
)
def test_an_html_page_saved_as_xls_is_called_a_web_page(data):
    _, en = refusal(data, "report.xls")
    assert "web page (HTML)" in en and "password" not in en


def test_a_ring_whose_ends_print_alike_says_how_far_apart_they_are():
    ring = [[51.2691, 35.6436], [51.28, 35.6436], [51.28, 35.65], [51.2691, 35.65], [51.2691 + 3e-7, 35.6436]]
    feature = {"type": "Feature", "properties": {"district": 7}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    parsed = boundaries.read_boundaries(
        json.dumps({"type": "FeatureCollection", "features": [feature]}).encode(), DISTRICTS
    )
    reason = parsed.errors[0].reason
    assert "differ" not in str(reason) and "apart" in reason.en and "51.2691003" in reason.en


def test_a_ring_whose_ends_differ_in_a_floats_last_digit_is_closed():
    ring = [[51.2691, 35.6436], [51.28, 35.6436], [51.28, 35.65], [51.2691, 35.65], [51.2691 + 1e-12, 35.6436]]
    feature = {"type": "Feature", "properties": {"district": 7}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    parsed = boundaries.read_boundaries(
        json.dumps({"type": "FeatureCollection", "features": [feature]}).encode(), DISTRICTS
    )
    assert parsed.errors == [] and 7 in parsed.shapes


def test_control_characters_in_a_file_name_and_a_cell_are_escaped(engine):
    data = csv_bytes("district,metric,period,value", "1,news_published,1404/07,\x1b[31mbad")
    result = load_file(engine, data, "a\x1b[2Jb.csv", today=TODAY)
    assert "\x1b" not in result.source_name and "\\x1b" in result.source_name
    assert "\x1b" not in json.dumps(result.to_dict(), ensure_ascii=False)
    assert escape_text("tab\tnew\nline") == "tab\\x09new\\x0aline"


def test_a_huge_cell_is_cut_in_the_report_with_its_length():
    data = csv_bytes("district,metric,period,value", "1,news_published,1404/07," + "9x" * 50_000)
    parsed = read(data, "big.csv")
    error = parsed.errors[0]
    assert len(error.value) < 400 and "100,000 characters" in error.value
    assert_bilingual(error.reason)


def test_a_rejected_cell_is_named_by_its_excel_address():
    parsed = read(traps.one_sheet([["عنوان گزارش"], L, [1, "news_published", "1404/07", "زیاد"]]))
    assert (parsed.errors[0].row, parsed.errors[0].cell, parsed.errors[0].column) == (3, "D3", "مقدار")


def _zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def test_the_raw_builders_make_real_workbooks():
    assert "xl/sharedStrings.xml" in _zip_names(traps.raw_one(traps.GOOD_ROWS, strings=["a"]))
    assert as_tuples(read(traps.raw_one(traps.GOOD_ROWS)).rows) == {
        (1, "news_published", MEHR, 5.0),
        (2, "news_published", MEHR, 6.0),
    }


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (csv_bytes("منطقه,دوره,عملکرد,", ",,news_published,public_meetings", "1,1404/07,5,6"), "two.csv"),
        (
            traps.one_sheet(
                [
                    ["منطقه", "دوره", "عملکرد", None],
                    [None, None, "news_published", "public_meetings"],
                    [1, "1404/07", 5, 6],
                ]
            ),
            "two.xlsx",
        ),
        (
            traps.one_sheet(
                [
                    ["منطقه", "دوره", "آمار ماه", None],
                    [None, None, "اخبار منتشرشده", "ملاقات‌های مردمی"],
                    [1, "1404/07", 5, 6],
                ]
            ),
            "two-fa.xlsx",
        ),
    ],
)
def test_a_two_level_header_without_merges_is_read_by_its_column_names(data, name):
    parsed = read(data, name)
    assert parsed.errors == []
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR, 5.0), (1, "public_meetings", MEHR, 6.0)}


def test_a_long_file_whose_first_row_lacks_a_district_is_not_taken_for_a_two_level_header():
    parsed = read(
        csv_bytes("منطقه,شاخص,دوره,مقدار", ",news_published,1404/07,5", "2,news_published,1404/07,6"), "l.csv"
    )
    assert parsed.errors[0].row == 2 and "district is empty" in str(parsed.errors[0].reason)
    assert as_tuples(parsed.rows) == {(2, "news_published", MEHR, 6.0)}


@pytest.mark.parametrize(
    "form",
    [
        ["منطقه", 7, "دوره", "1404/07"],
        ["منطقه:", "۷", "ماه:", "مهر ۱۴۰۴"],
        ["دوره", "1404/07"],
    ],
)
def test_a_form_row_is_not_taken_for_the_header_and_the_refusal_says_so(form):
    data = traps.one_sheet([form, [], ["شاخص", "مقدار"], ["news_published", 5]])
    _, en = refusal(data)
    assert "is a form" in en and "row 1" in en and "columns of the table" in en


def test_a_sheet_full_of_links_is_refused_before_openpyxl_builds_them():
    links = "".join(f'<hyperlink ref="A{i}" location="x"/>' for i in range(1, 100_100))
    xml = traps.sheet_xml(traps.GOOD_ROWS, tail=f"<hyperlinks>{links}</hyperlinks>")
    _, en = refusal(traps.raw_book([("گزارش", "visible", xml)]))
    assert "more than 100,000 links" in en and "Paste Values" in en


@pytest.mark.parametrize(
    ("rows_xml", "english"),
    [
        (
            '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
            "row 1 comes after row 2",
        ),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>', "the cell A1 is written twice"),
    ],
)
def test_rows_out_of_order_or_a_cell_written_twice_are_refused(rows_xml, english):
    xml = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>'
    _, en = refusal(traps.raw_book([("گزارش", "visible", xml)]))
    assert english in en and "save it again" in en


@pytest.mark.parametrize("written", ["1404.1", "۱۴۰۴.۱", " 1404.1 "])
def test_a_period_written_1404_point_1_is_refused_as_month_1_or_10(written):
    parsed = read(csv_bytes("district,metric,period,value", f"1,news_published,{written},5"), "p.csv")
    assert parsed.rows.empty and "month 1 or month 10" in only_reason(parsed).en


@pytest.mark.parametrize(
    ("written", "month"), [("1404.10", DEY), ("1404.07", MEHR), ("1404/1", calendar.month_start(1404, 1))]
)
def test_periods_that_say_their_month_still_load(written, month):
    parsed = read(csv_bytes("district,metric,period,value", f"1,news_published,{written},5"), "p.csv")
    assert parsed.errors == [] and as_tuples(parsed.rows) == {(1, "news_published", month, 5.0)}

"""Tables out: CSV and Excel exports read back by pandas and openpyxl as a user's spreadsheet would."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import exports

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "دوره": ["مهر ۱۴۰۴", "مهر ۱۴۰۴", "مهر ۱۴۰۴"],
            "منطقه": ["منطقه ۱", "منطقه ۲", "منطقه ۳"],
            "رتبه": [1, 2, None],
            "مقدار": [12.5, -3.25, None],
            "تغییر رتبه (پله)": [-2, 0, 3],
        }
    )


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_csv_round_trip_keeps_persian_headers_numbers_and_the_jalali_period():
    data = exports.to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel reads the Persian
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(_frame().columns)
    assert back["دوره"].tolist() == ["مهر ۱۴۰۴"] * 3
    assert pd.api.types.is_numeric_dtype(back["مقدار"]) and back["مقدار"].iloc[1] == -3.25
    assert back["تغییر رتبه (پله)"].tolist() == [-2, 0, 3]
    assert pd.isna(back["مقدار"].iloc[2])


def test_xlsx_round_trip_is_right_to_left_with_bold_persian_headers_and_numbers():
    sheet = _sheet(exports.to_xlsx_bytes(_frame(), "رتبه‌بندی"))
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.title == "رتبه‌بندی"
    header = [c.value for c in sheet[1]]
    assert header == list(_frame().columns)
    assert all(c.font.b for c in sheet[1]) and sheet["A1"].font.name == exports.FONT
    assert sheet["A2"].value == "مهر ۱۴۰۴" and sheet["A2"].data_type == "s"
    assert sheet["D3"].value == -3.25 and sheet["D3"].data_type == "n"
    assert sheet["E2"].value == -2 and sheet["E2"].data_type == "n"
    assert sheet["D4"].value is None
    assert sheet.column_dimensions["B"].width >= 8
    back = pd.read_excel(io.BytesIO(exports.to_xlsx_bytes(_frame())), engine="openpyxl")
    assert list(back.columns) == list(_frame().columns) and back["مقدار"].iloc[0] == 12.5


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_formula_looking_cell_comes_back_as_inert_text_in_both_formats(text):
    frame = pd.DataFrame({"مقدار": [text], "عدد": [-7]})
    csv_back = pd.read_csv(io.BytesIO(exports.to_csv_bytes(frame)), encoding="utf-8-sig", dtype={"مقدار": str})
    assert csv_back["مقدار"].iloc[0] == "'" + text
    assert csv_back["عدد"].iloc[0] == -7  # a real negative number stays a number
    sheet = _sheet(exports.to_xlsx_bytes(frame, "x"))
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == "'" + text and not cell.value.startswith("=")
    assert sheet["B2"].value == -7 and sheet["B2"].data_type == "n"


def test_neutralise_guards_text_only():
    assert exports.neutralise("=1+1") == "'=1+1"
    assert exports.neutralise("-") == "'-"
    assert exports.neutralise("منطقه ۱") == "منطقه ۱"
    assert exports.neutralise(-3) == -3 and exports.neutralise(-2.5) == -2.5
    assert exports.neutralise(None) is None


def test_file_stem_drops_doubled_suffixes_and_unsafe_characters():
    assert exports.file_stem("rows.csv.csv") == "rows"
    assert exports.file_stem("گزارش مهر.xlsx") == "گزارش-مهر"
    assert exports.file_stem("../../etc/passwd") == "etc-passwd"
    assert exports.file_stem("") == "table"


def test_sheet_title_is_one_excel_accepts():
    assert exports.sheet_title("a/b:c" * 10) == ("a-b-c" * 10)[:31]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("=+-@\t\r"), min_size=1))
def test_any_text_survives_export_as_text_with_only_the_guard_added(text):
    guarded = exports.neutralise(text)
    assert guarded == text or guarded == "'" + text
    assert (guarded != text) == text.startswith(exports.FORMULA_STARTS)
    cell = _sheet(exports.to_xlsx_bytes(pd.DataFrame({"متن": [text]}), "t"))["A2"]
    assert cell.data_type == "s" and cell.value == guarded
    frame = pd.DataFrame({"متن": [text], "عدد": [1]})
    back = pd.read_csv(io.BytesIO(exports.to_csv_bytes(frame)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["متن"].iloc[0] == guarded


def test_whole_numbers_are_written_as_integers_and_missing_ranks_stay_empty():
    import pandas as pd

    from monitoring import exports

    df = pd.DataFrame(
        {"رتبه": pd.array([1, None, 3], dtype="Int64"), "تغییر": [1.0, -2.0, None], "مقدار": [1.5, 2.0, 0.25]}
    )
    text = exports.to_csv_bytes(df).decode("utf-8-sig").splitlines()
    assert text[1:] == ["1,1,1.5", ",-2,2", "3,,0.25"]

"""Every table downloads as CSV and Excel under AppTest: file names that carry the page, the metric
and the Jalali period; plain values (no link markup) with numbers as numbers; and the upload page's
rejection list with a formula-looking cell neutralised."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.access import sign_in_apptest


@pytest.fixture
def files(monkeypatch) -> dict[str, bytes]:
    """The files the page's download buttons would give, by file name: the bytes of a file handed over
    at once, and what a deferred one's function (run when the button is clicked) returns."""
    given: dict[str, bytes] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def recording(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            given[file_name] = path_or_data
        return add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    def recording_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            given[file_name] = data_callable()
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", recording)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_deferred)
    return given


def _open(at, page: str, **params):
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def _labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_rankings_table_downloads_as_csv_and_excel_with_plain_values(app, files):
    at = _open(app, "views/rankings.py", metric="news_published", period="1405-07", measure="raw")
    assert _labels(at).count("دریافت سی‌اس‌وی") >= 1 and _labels(at).count("دریافت اکسل") >= 1
    assert {"rankings-news_published-1405-07.csv", "rankings-news_published-1405-07.xlsx"} <= set(files)
    back = pd.read_csv(io.BytesIO(files["rankings-news_published-1405-07.csv"]), encoding="utf-8-sig")
    assert back["دوره"].unique().tolist() == ["مهر ۱۴۰۵"]
    assert len(back) == 22 and not back["منطقه"].str.contains("<").any()
    assert back["منطقه"].str.startswith("منطقه").all()
    ranked = back.dropna(subset=["رتبه"])
    assert (
        pd.api.types.is_numeric_dtype(back["رتبه"])
        and ranked["رتبه"].min() == 1
        and ranked["رتبه"].max() <= len(ranked)
    )
    sheet = openpyxl.load_workbook(io.BytesIO(files["rankings-news_published-1405-07.xlsx"])).active
    assert sheet.sheet_view.rightToLeft is True
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["دوره", "رتبه"] and "منطقه" in header
    numbers = [row[header.index("شمارهٔ منطقه")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == list(range(1, 23))


def test_a_per_resident_ranking_and_the_district_profile_have_their_own_names(app, files):
    _open(app, "views/rankings.py", metric="news_published", period="1405-Q2", measure="per10k", district=7)
    assert "rankings-news_published-1405-Q2-per10k.csv" in files
    assert "rankings-district-7-1405-Q2-per10k.xlsx" in files


def test_the_reporting_tables_download_with_the_window_in_the_name(app, files):
    at = _open(app, "views/reporting.py", period="1405-08")
    assert "دریافت اکسل" in _labels(at)
    names = sorted(n for n in files if n.startswith("reporting-districts-"))
    assert names and names[0].endswith(".csv")
    back = pd.read_csv(io.BytesIO(files[names[0]]), encoding="utf-8-sig")
    assert len(back) == 22 and pd.api.types.is_numeric_dtype(back["گزارش‌نشده"])
    assert back["دوره"].str.contains("تا").all()


def test_the_upload_rejection_list_neutralises_a_formula_cell(app, files, tmp_path, monkeypatch):
    sign_in_apptest(app, monkeypatch, tmp_path)  # the upload page is for administrators
    app.session_state["upload_result"] = {
        "source_name": "bad.csv",
        "errors": [
            {
                "row": 2,
                "column": "value",
                "value": '=HYPERLINK("http://evil.example","x")',
                "reason": {"fa": "عدد نیست", "en": "not a number"},
            },
            {
                "row": 3,
                "column": "district",
                "value": "@SUM(1)",
                "reason": {"fa": "منطقه نیست", "en": "not a district"},
            },
            {"row": 4, "column": "value", "value": "-5+1", "reason": {"fa": "عدد نیست", "en": "not a number"}},
        ],
        "rows_rejected": 3,
        "file_error": {"fa": "۳ مقدار پذیرفته نشد", "en": "3 value(s) rejected"},
    }
    _open(app, "views/upload.py")
    assert "rejected-rows-bad.csv" in files  # never rejected-rows-bad.csv.csv
    text = files["rejected-rows-bad.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and "'-5+1" in text
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert not back["value"].str.startswith(("=", "+", "-", "@")).any()

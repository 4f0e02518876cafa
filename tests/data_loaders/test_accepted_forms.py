"""Every form a file may take is read into the same observations."""

from __future__ import annotations

import datetime as dt

import pytest

from data_loaders.files import read_observations
from monitoring import calendar
from tests.data_loaders.helpers import ABAN_1404, CATALOG, DISTRICTS, MEHR_1404, TODAY, as_tuples, csv_bytes, xlsx_bytes


def read(data: bytes, name: str = "file.csv", **kw):
    return read_observations(data, name, CATALOG, DISTRICTS, today=TODAY, **kw)


def test_long_file_with_english_headers_is_read():
    parsed = read(
        csv_bytes(
            "district,metric,period,value",
            "7,reports_submitted,1404/07,12",
            "8,response_time_137_hours,1404/08,30.5",
        )
    )
    assert parsed.shape == "long"
    assert parsed.errors == []
    assert as_tuples(parsed.rows) == {
        (7, "reports_submitted", MEHR_1404, 12.0),
        (8, "response_time_137_hours", ABAN_1404, 30.5),
    }
    assert (parsed.rows_read, parsed.rows_blank, parsed.rows_rejected) == (2, 0, 0)


def test_rows_have_the_documented_types():
    parsed = read(csv_bytes("district,metric,period,value", "7,reports_submitted,1404/07,12"))
    assert parsed.rows["district"].dtype == "int64"
    assert parsed.rows["metric"].tolist() == ["reports_submitted"]
    assert type(parsed.rows["period"].iloc[0]) is dt.date
    assert parsed.rows["value"].dtype == "float64"


def test_long_file_with_persian_headers_and_loose_spelling_is_read():
    # Arabic ي/ك, a ZWNJ written as a space or left out, padded and cased headers
    parsed = read(
        csv_bytes(
            " منطقه , شاخص ,ماه, مقدار ",
            "۷,گزارشهاي ارسالي به مرکز,مهر ۱۴۰۴,۱۲",
            "منطقه ۸,اخبار منتشر شده,1404/07,3",
            "9,REPORTS_SUBMITTED,1404/07,4",
            bom=True,
        )
    )
    assert parsed.errors == []
    assert as_tuples(parsed.rows) == {
        (7, "reports_submitted", MEHR_1404, 12.0),
        (8, "news_published", MEHR_1404, 3.0),
        (9, "reports_submitted", MEHR_1404, 4.0),
    }


def test_persian_header_for_period_may_be_dore():
    parsed = read(csv_bytes("منطقه,شاخص,دوره,مقدار", "1,news_published,1404/07,5"))
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR_1404, 5.0)}


def test_wide_file_with_metric_codes_and_a_period_column_is_read():
    parsed = read(
        csv_bytes(
            "district,period,reports_submitted,news_published",
            "1,1404/07,3,4",
            "2,1404/08,5,6",
        )
    )
    assert parsed.shape == "wide"
    assert parsed.rows_read == 4
    assert as_tuples(parsed.rows) == {
        (1, "reports_submitted", MEHR_1404, 3.0),
        (1, "news_published", MEHR_1404, 4.0),
        (2, "reports_submitted", ABAN_1404, 5.0),
        (2, "news_published", ABAN_1404, 6.0),
    }


def test_wide_file_with_persian_metric_names_takes_the_period_given_at_load():
    parsed = read(
        csv_bytes("منطقه,گزارش‌های ارسالی به مرکز,رضایت شهروندان (از ۲۰)", "۳,۱۰,۱۵٫۵"),
        period="مهر ۱۴۰۴",
    )
    assert as_tuples(parsed.rows) == {
        (3, "reports_submitted", MEHR_1404, 10.0),
        (3, "citizen_satisfaction", MEHR_1404, 15.5),
    }


def test_given_period_fills_empty_period_cells_and_agrees_with_filled_ones():
    parsed = read(
        csv_bytes("district,period,news_published", "1,,4", "2,1404/07,5", "3,مهر ۱۴۰۴,6"),
        period="1404/07",
    )
    assert parsed.errors == []
    assert {(d, p) for d, _, p, _ in as_tuples(parsed.rows)} == {(1, MEHR_1404), (2, MEHR_1404), (3, MEHR_1404)}


@pytest.mark.parametrize(
    "written",
    ["7", "۷", "07", "٧", "منطقه ۷", "منطقه 7", "منطقه‌۷", "District 7", "district 07", " 7 ", "7.0"],
)
def test_a_district_may_be_written_in_any_common_form(written):
    parsed = read(csv_bytes("district,metric,period,value", f"{written},news_published,1404/07,1"))
    assert parsed.errors == []
    assert parsed.rows["district"].tolist() == [7]


@pytest.mark.parametrize(
    "written",
    ["1404/07", "۱۴۰۴/۰۷", "1404-07", "۱۴۰۴-۰۷", "1404-7", "1404/07/01", "مهر ۱۴۰۴", "مهر 1404", "مهرماه ۱۴۰۴"],
)
def test_a_period_may_be_written_in_any_form_the_calendar_reads(written):
    parsed = read(csv_bytes("district,metric,period,value", f"1,news_published,{written},1"))
    assert parsed.errors == []
    assert parsed.rows["period"].tolist() == [MEHR_1404]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("۱۲", 12.0),
        ("١٢", 12.0),
        ("۱۲٫۵", 12.5),
        ("12.5", 12.5),
        ("۱٬۲۳۴", 1234.0),
        ('"1,234"', 1234.0),
        ('"1,234.5"', 1234.5),
        (" 42 ", 42.0),
        ("0", 0.0),
    ],
)
def test_values_may_use_persian_digits_and_separators(written, value):
    parsed = read(csv_bytes("district,metric,period,value", f"1,response_time_137_hours,1404/07,{written}"))
    assert parsed.errors == []
    assert parsed.rows["value"].tolist() == [value]


def test_a_percent_sign_after_a_percentage_is_read_as_the_number():
    parsed = read(csv_bytes("district,metric,period,value", "1,requests_137_resolved_pct,1404/07,85٪"))
    assert parsed.rows["value"].tolist() == [85.0]


def test_semicolon_separated_csv_is_read():
    parsed = read(csv_bytes("district;metric;period;value", "1;news_published;1404/07;5"))
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR_1404, 5.0)}


def test_windows_1256_csv_is_read():
    data = csv_bytes("منطقه,شاخص,ماه,مقدار", "1,اخبار منتشرشده,1404/07,5", encoding="cp1256")
    parsed = read(data)
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR_1404, 5.0)}


def test_csv_with_title_rows_above_the_header_counts_rows_as_lines():
    parsed = read(
        csv_bytes(
            "گزارش ماهانه",
            "",
            "district,metric,period,value",
            "1,news_published,1404/07,5",
            "23,news_published,1404/07,5",
        )
    )
    assert parsed.header_row == 3
    assert [e.row for e in parsed.errors] == [5]


def test_columns_the_long_shape_does_not_know_are_read_past():
    parsed = read(
        csv_bytes("ردیف,district,نام منطقه,metric,period,value,notes", "1,1,شمیران,news_published,1404/07,5,x")
    )
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR_1404, 5.0)}


def test_a_row_number_column_beside_a_wide_table_is_read_past():
    parsed = read(csv_bytes("ردیف,منطقه,news_published", "1,5,8"), period="1404/07")
    assert as_tuples(parsed.rows) == {(5, "news_published", MEHR_1404, 8.0)}


def test_blank_lines_are_read_past_without_shifting_row_numbers():
    parsed = read(
        csv_bytes("district,metric,period,value", "1,news_published,1404/07,5", "", "23,news_published,1404/07,5")
    )
    assert parsed.rows_read == 2
    assert [e.row for e in parsed.errors] == [4]


def test_xlsx_with_a_title_row_is_read_and_rows_are_sheet_rows():
    data = xlsx_bytes(
        [
            ["گزارش ماهانه‌ی مناطق — مهر ۱۴۰۴"],
            [],
            ["منطقه", "دوره", "گزارش‌های ارسالی به مرکز", "درصد رسیدگی سامانه ۱۳۷"],
            [1, "1404/07", 12, 85.5],
            [2, "مهر ۱۴۰۴", 7, None],
            [23, "1404/07", 1, 50],
        ]
    )
    parsed = read(data, "report.xlsx")
    assert parsed.shape == "wide"
    assert parsed.header_row == 3
    assert as_tuples(parsed.rows) == {
        (1, "reports_submitted", MEHR_1404, 12.0),
        (1, "requests_137_resolved_pct", MEHR_1404, 85.5),
        (2, "reports_submitted", MEHR_1404, 7.0),
    }
    assert parsed.rows_blank == 1
    assert [(e.row, e.column) for e in parsed.errors] == [(6, "منطقه")]


def test_xlsx_cell_formatted_as_percent_is_read_as_its_percent_figure():
    data = xlsx_bytes(
        [["district", "period", "requests_137_resolved_pct"], [1, "1404/07", 0.855]],
        formats={"C2": "0.0%"},
    )
    parsed = read(data, "report.xlsx")
    assert parsed.rows["value"].tolist() == [pytest.approx(85.5)]


def test_xlsx_long_file_with_numbers_as_text_is_read():
    data = xlsx_bytes([["district", "metric", "period", "value"], ["۷", "news_published", "۱۴۰۴/۰۷", "۱۲"]])
    parsed = read(data, "report.xlsx")
    assert as_tuples(parsed.rows) == {(7, "news_published", MEHR_1404, 12.0)}


def test_metric_may_be_written_by_its_english_name():
    parsed = read(csv_bytes("district,metric,period,value", "1,News items published,1404/07,5"))
    assert parsed.rows["metric"].tolist() == ["news_published"]


def test_the_last_complete_month_is_accepted():
    last = calendar.last_complete_month(TODAY)
    parsed = read(csv_bytes("district,metric,period,value", f"1,news_published,{last[0]}/{last[1]:02d},5"))
    assert parsed.errors == []


def test_utf16_tab_separated_text_from_excel_is_read():
    data = "منطقه\tشاخص\tماه\tمقدار\n1\tnews_published\t1404/07\t5\n".encode("utf-16")
    parsed = read(data, "unicode.txt")
    assert as_tuples(parsed.rows) == {(1, "news_published", MEHR_1404, 5.0)}


def test_csv_with_short_lines_pads_them_with_empty_cells():
    parsed = read(csv_bytes("district,period,news_published,reports_submitted", "1,1404/07,5", "2,1404/07,6,7"))
    assert parsed.errors == [] and parsed.rows_blank == 1
    assert len(parsed.rows) == 3


def test_xlsx_empty_rows_inside_the_table_keep_the_sheet_row_numbers():
    data = xlsx_bytes(
        [
            ["district", "metric", "period", "value"],
            [1, "news_published", "1404/07", 1],
            [],
            [],
            [23, "x", "1404/07", 1],
        ]
    )
    parsed = read(data, "report.xlsx")
    assert {e.row for e in parsed.errors} == {5}


def test_empty_cells_past_the_last_header_are_dropped():
    parsed = read(
        csv_bytes("district,metric,period,value", "1,news_published,1404/07,5,,", "2,news_published,1404/07,6")
    )
    assert parsed.errors == [] and len(parsed.rows) == 2

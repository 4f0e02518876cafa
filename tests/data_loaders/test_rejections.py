"""Every rejected cell says where it is (row, column), what it holds and why; whole-file refusals name
what to fix."""

import datetime as dt

import pytest

from data_loaders.files import FileRejected, RowError, read_observations
from tests.bilingual import assert_bilingual
from tests.data_loaders.helpers import CATALOG, DISTRICTS, TODAY, csv_bytes, xlsx_bytes

HEADER = "district,metric,period,value"


def read(data: bytes, name: str = "file.csv", **kw):
    return read_observations(data, name, CATALOG, DISTRICTS, today=TODAY, **kw)


def only_error(*rows: str) -> RowError:
    parsed = read(csv_bytes(HEADER, "1,news_published,1404/07,5", *rows))
    assert len(parsed.errors) == 1, parsed.errors
    assert len(parsed.rows) == 1  # the good first row is still accepted
    return parsed.errors[0]


def test_unknown_district_row_is_rejected_with_its_row_number():
    error = only_error("23,news_published,1404/07,5")
    assert (error.row, error.column, error.value) == (3, "district", "23")
    assert "23" in str(error.reason) and "1 to 22" in str(error.reason)
    assert_bilingual(error.reason)


@pytest.mark.parametrize("written", ["0", "منطقه ۲۳", "District 99", "شمیران", "7a", "ناحیه ۳"])
def test_district_outside_1_to_22_or_unreadable_is_rejected(written):
    error = only_error(f"{written},news_published,1404/07,5")
    assert (error.row, error.column, error.value) == (3, "district", written)


def test_empty_district_with_a_value_is_rejected():
    error = only_error(",news_published,1404/07,5")
    assert (error.row, error.column, error.value) == (3, "district", "")
    assert "empty" in str(error.reason)


def test_unknown_metric_is_rejected_with_a_suggestion():
    error = only_error("2,گزارش‌های ارسالی,1404/07,5")
    assert (error.row, error.column) == (3, "metric")
    assert "گزارش‌های ارسالی به مرکز" in str(error.reason)  # did you mean
    assert_bilingual(error.reason)


@pytest.mark.parametrize("written", ["1404/13", "مهرr ۱۴۰۴", "سال ۱۴۰۴", "2025-10", "x"])
def test_unreadable_period_is_rejected_with_the_calendars_reason(written):
    error = only_error(f"2,news_published,{written},5")
    assert (error.row, error.column, error.value) == (3, "period", written)
    assert_bilingual(error.reason)


def test_period_of_the_current_month_is_rejected_as_not_ended():
    error = only_error("2,news_published,1405/09,5")  # TODAY is in Azar 1405
    assert (error.row, error.column) == (3, "period")
    assert "not ended" in str(error.reason) and "1405/08" in str(error.reason)


def test_future_period_given_at_load_refuses_the_file():
    with pytest.raises(FileRejected, match="not ended"):
        read(csv_bytes("district,news_published", "1,5"), period="1406/01")


def test_unreadable_period_given_at_load_refuses_the_file():
    with pytest.raises(FileRejected, match="period given"):
        read(csv_bytes("district,news_published", "1,5"), period="1404/13")


def test_period_cell_that_disagrees_with_the_given_period_is_rejected():
    parsed = read(csv_bytes("district,period,news_published", "1,1404/08,5"), period="1404/07")
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "period")]
    assert "1404/07" in str(parsed.errors[0].reason)


def test_excel_date_in_the_period_column_is_read_as_its_jalali_month_and_noted():
    data = xlsx_bytes([["district", "metric", "period", "value"], [1, "news_published", dt.datetime(2025, 10, 1), 5]])
    parsed = read(data, "report.xlsx")
    assert parsed.errors == [] and parsed.rows["period"].tolist() == [dt.date(2025, 9, 23)]  # 1 Mehr 1404
    assert "میلادی" in parsed.notes[0].fa and "Gregorian" in parsed.notes[0].en


@pytest.mark.parametrize("written", ["زیاد", "12abc", "۱۲/۵", "nan", "inf", "1.2.3", "1,5.5"])
def test_value_that_is_not_a_number_is_rejected(written):
    error = only_error(f'2,news_published,1404/07,"{written}"')
    assert (error.row, error.column, error.value) == (3, "value", written)
    assert "not a number" in str(error.reason)
    assert_bilingual(error.reason)


def test_negative_count_is_rejected_as_below_the_minimum():
    error = only_error("2,news_published,1404/07,-4")
    assert (error.row, error.column, error.value) == (3, "value", "-4")
    assert "below the minimum 0" in str(error.reason)


def test_percentage_above_100_is_rejected():
    error = only_error("2,meeting_requests_resolved_pct,1404/07,130")
    assert (error.row, error.column, error.value) == (3, "value", "130")
    assert "above the maximum 100" in str(error.reason)


def test_satisfaction_above_20_is_rejected():
    error = only_error("2,citizen_satisfaction,1404/07,20.5")
    assert "above the maximum 20" in str(error.reason)


def test_every_copy_of_a_duplicate_is_rejected_naming_the_other_row():
    parsed = read(
        csv_bytes(
            HEADER,
            "1,news_published,1404/07,5",
            "2,news_published,1404/07,6",
            "۱,اخبار منتشرشده,مهر ۱۴۰۴,7",  # the same as row 2, written differently
        )
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "value"), (4, "value")]
    assert "row 4" in str(parsed.errors[0].reason)
    assert "row 2" in str(parsed.errors[1].reason)
    assert parsed.rows["district"].tolist() == [2]
    assert parsed.rows_rejected == 2


def test_three_copies_say_how_many_there_are():
    parsed = read(csv_bytes(HEADER, *["1,news_published,1404/07,5"] * 3))
    assert len(parsed.errors) == 3
    assert all("3 times" in e.reason.en for e in parsed.errors)


def test_one_row_with_two_problems_lists_both():
    parsed = read(csv_bytes(HEADER, "23,news_published,1404/07,abc"))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "district"), (2, "value")]
    assert parsed.rows_rejected == 1


def test_errors_are_in_row_order():
    parsed = read(csv_bytes(HEADER, "2,news_published,1404/07,-1", "23,news_published,1404/07,1", "x,y,z,w"))
    assert [e.row for e in parsed.errors] == sorted(e.row for e in parsed.errors)
    assert {e.row for e in parsed.errors} == {2, 3, 4}


def test_a_row_with_an_empty_value_is_not_reported_and_not_checked():
    parsed = read(csv_bytes(HEADER, "23,unknown,1404/13,", "1,news_published,1404/07,-"))
    assert parsed.errors == []
    assert parsed.rows_blank == 2 and parsed.rows.empty


def test_wide_row_with_a_bad_district_rejects_its_cells_with_one_error():
    parsed = read(
        csv_bytes("district,reports_submitted,news_published,media_coverage", "23,1,2,", "1,1,2,3"), period="1404/07"
    )
    assert [(e.row, e.column, e.value) for e in parsed.errors] == [(2, "district", "23")]
    assert parsed.rows_rejected == 2 and parsed.rows_blank == 1 and len(parsed.rows) == 3


def test_wide_bad_value_names_the_metric_column_as_written():
    parsed = read(csv_bytes("منطقه,گزارش‌های ارسالی به مرکز", "1,-3"), period="1404/07")
    assert [(e.row, e.column, e.value) for e in parsed.errors] == [(2, "گزارش‌های ارسالی به مرکز", "-3")]


def test_xlsx_errors_carry_the_real_sheet_row():
    data = xlsx_bytes(
        [["عنوان"], ["زیرعنوان"], [], ["district", "metric", "period", "value"], [1, "news_published", "1404/07", -1]]
    )
    parsed = read(data, "report.xlsx")
    assert [(e.row, e.column, e.value) for e in parsed.errors] == [(5, "value", "-1")]


# ---------------------------------------------------------------- whole-file refusals


def refusal(data: bytes, name: str = "file.csv", **kw) -> str:
    with pytest.raises(FileRejected) as caught:
        read(data, name, **kw)
    return str(assert_bilingual(caught.value.message))


def test_wide_file_without_a_period_is_refused_asking_for_one():
    message = refusal(csv_bytes("district,reports_submitted", "1,5"))
    assert "no period column" in message and "--period" in message


def test_wide_column_that_is_not_a_metric_is_refused_naming_it():
    message = refusal(csv_bytes("district,period,reports_submitted,گزارش ماهانه", "1,1404/07,5,6"))
    assert "'گزارش ماهانه'" in message and "column D" in message
    assert "Accepted headers" in message


def test_misspelt_wide_metric_column_gets_a_suggestion():
    message = refusal(csv_bytes("district,period,reports_submited", "1,1404/07,5"))
    assert "reports_submited" in message and "گزارش‌های ارسالی به مرکز" in message


def test_untitled_wide_column_holding_values_is_refused():
    message = refusal(csv_bytes("district,period,reports_submitted,", "1,1404/07,5,6"))
    assert "untitled column D" in message


def test_two_district_columns_are_refused():
    message = refusal(csv_bytes("district,منطقه,metric,period,value", "1,1,news_published,1404/07,5"))
    assert "both the district column" in message


def test_the_same_metric_twice_as_columns_is_refused():
    message = refusal(csv_bytes("district,period,news_published,اخبار منتشرشده", "1,1404/07,5,5"))
    assert "both the metric" in message


def test_long_file_without_a_value_column_is_refused():
    message = refusal(csv_bytes("district,metric,period", "1,news_published,1404/07"))
    assert "no 'value' column" in message


def test_file_without_a_recognisable_header_is_refused():
    message = refusal(csv_bytes("a,b,c", "1,2,3"))
    assert "no header row" in message and "'a, b, c'" in message


def test_header_only_file_is_refused_as_having_no_rows():
    message = refusal(csv_bytes(HEADER))
    assert "no data rows" in message


def test_empty_file_is_refused():
    assert "is empty" in refusal(b"")


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report"])
def test_unsupported_file_type_is_refused(name):
    assert "not supported" in refusal(b"%PDF-1.4", name)


def test_old_xls_is_refused_asking_for_xlsx():
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "report.xls")
    assert ".xlsx" in message


def test_damaged_xlsx_is_refused():
    assert "not a valid Excel file" in refusal(b"just text", "report.xlsx")
    assert "cannot open the Excel file" in refusal(b"PK\x03\x04garbage", "report.xlsx")


def test_binary_file_named_csv_is_refused():
    assert "not a text CSV" in refusal(b"\x00\x01\x02binary", "report.csv")


def test_csv_line_with_more_cells_than_the_header_is_refused_naming_the_row():
    message = refusal(csv_bytes(HEADER, "1,news_published,1404/07,5", "2,news_published,1404/07,1,234"))
    assert "row 3" in message and "double quotes" in message


def test_header_below_the_first_ten_rows_is_not_searched_for():
    lines = [f"title {i}" for i in range(10)]
    message = refusal(csv_bytes(*lines, HEADER, "1,news_published,1404/07,5"))
    assert "first 10 rows" in message


def test_untitled_column_holding_values_beside_a_long_table_is_refused():
    # an unquoted thousands separator spills a value into the next, untitled column
    message = refusal(csv_bytes("district,metric,period,value,", "1,news_published,1404/07,1,234"))
    assert "untitled column E" in message


def test_first_data_line_with_an_extra_filled_cell_is_refused_not_truncated():
    message = refusal(csv_bytes(HEADER, "1,news_published,1404/07,1,234"))
    assert "row 2" in message and "has 5 cells" in message

"""Files as districts really send them are read without a manual step, and what cannot be used is
refused saying where, what and what to do (corpus: tests/data_loaders/corpus_real.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_loaders import guard
from data_loaders.files import FileRejected, load_file, read_observations
from monitoring import store
from tests.bilingual import assert_bilingual
from tests.data_loaders.corpus_real import CASES, MEHR, Case, text_file, workbook
from tests.data_loaders.helpers import CATALOG, DISTRICTS, EVENT_TYPES, TODAY, as_tuples, stored


def read(data: bytes, name: str = "file.csv", **options):
    return read_observations(data, name, CATALOG, DISTRICTS, today=TODAY, **{"event_types": EVENT_TYPES, **options})


def test_the_corpus_is_big_enough_and_its_ids_are_unique():
    assert len(CASES) >= 18
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_real_world_file_is_read_into_exactly_its_observations(case: Case):
    parsed = read(case.data, case.name, **case.options)
    assert parsed.errors == [] and parsed.errors_total == 0 and parsed.rows_rejected == 0
    assert {(d, m, p): v for d, m, p, v in as_tuples(parsed.rows)} == case.expected
    assert (parsed.shape, tuple(parsed.sheets), parsed.rows_blank) == (case.shape, case.sheets, case.blank)
    assert len(parsed.notes) == len(case.notes), parsed.notes
    for fragment, note in zip(case.notes, parsed.notes, strict=True):
        assert fragment in str(note)
        assert_bilingual(note)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_real_world_file_loads_into_a_fresh_store(engine, case: Case):
    result = load_file(engine, case.data, case.name, today=TODAY, **case.options)
    assert result.ok, (result.file_error, result.errors[:3])
    assert result.rows_loaded == len(case.expected)
    assert stored(engine) == case.expected


# ---------------------------------------------------------------- what is refused, and how


def test_a_sub_district_is_refused_with_a_hint_to_write_its_district():
    parsed = read(text_file(["منطقه,شاخص,ماه,مقدار", "ناحیه ۳,news_published,1404/07,5"]))
    (error,) = parsed.errors
    assert (error.row, error.column, error.value, error.sheet) == (2, "منطقه", "ناحیه ۳", "")
    assert "بخشی از یک منطقه" in str(error.reason) and "district it belongs to" in str(error.reason)


def test_number_words_outside_the_districts_are_refused_as_no_such_district():
    parsed = read(text_file(["منطقه,شاخص,ماه,مقدار", "منطقه بیست و سه,news_published,1404/07,5"]))
    assert "district 23 does not exist" in str(parsed.errors[0].reason)


def test_a_gregorian_month_without_its_day_is_refused_as_spanning_two_jalali_months():
    parsed = read(text_file(["district,metric,period,value", "1,news_published,2025-10,5"]))
    (error,) = parsed.errors
    assert (error.row, error.column, error.value) == (2, "period", "2025-10")
    assert (
        "two Jalali months" in str(error.reason) and "1404/07" in str(error.reason) and "1404/08" in str(error.reason)
    )


def test_an_ambiguous_day_first_date_is_refused_asking_for_year_month_day():
    parsed = read(text_file(["district,metric,period,value", "1,news_published,10/5/2025,5"]))
    assert "ambiguous" in str(parsed.errors[0].reason) and "2025-10-05" in str(parsed.errors[0].reason)


def test_a_gregorian_date_in_a_month_not_yet_ended_is_refused_as_not_ended():
    parsed = read(text_file(["district,metric,period,value", "1,news_published,2026-11-25,5"]))  # Azar 1405
    assert "not ended" in str(parsed.errors[0].reason)


def test_an_unknown_event_type_rejects_its_rows_listing_the_accepted_types():
    data = text_file(["تاریخ,منطقه,نوع", "1404/07/01,1,خبر", "1404/07/02,1,سفر خارجی"])
    parsed = read(data)
    (error,) = parsed.errors
    assert (error.row, error.column, error.value) == (3, "نوع", "سفر خارجی")
    assert "news_published" in str(error.reason) and "public_meetings" in str(error.reason)
    assert "training_hours" not in str(error.reason)  # hours are not counted events
    assert parsed.rows_rejected == 1 and parsed.rows.empty is False


def test_an_event_type_naming_a_metric_that_is_not_a_count_is_refused():
    parsed = read(text_file(["تاریخ,منطقه,نوع", "1404/07/01,1,training_hours"]))
    assert "not a count of events" in str(parsed.errors[0].reason)


def test_events_of_a_month_not_yet_ended_are_refused():
    parsed = read(text_file(["تاریخ,منطقه,نوع", "1405/09/01,1,خبر"]))
    assert parsed.rows.empty and "not ended" in str(parsed.errors[0].reason)


def test_the_event_types_given_by_the_store_decide_what_a_type_counts_into():
    data = text_file(["تاریخ,منطقه,نوع", "1404/07/01,1,بازدید", "1404/07/02,1,بازدید"])
    parsed = read(data, event_types={"بازدید": "public_meetings"})
    assert as_tuples(parsed.rows) == {(1, "public_meetings", MEHR, 2.0)}


def test_the_store_seeds_the_event_types_for_countable_metrics_only(engine):
    types = store.event_types(engine)
    assert types["خبر"] == "news_published" and types["ملاقاتمردمی"] == "public_meetings"
    catalog = store.metric_catalog(engine)
    assert all(catalog[code].aggregation == "sum" for code in types.values())
    assert "training_hours" not in set(types.values())
    assert store.seed_event_types(engine) == 0  # seeding again adds nothing


def test_a_sheet_that_does_not_exist_is_refused_listing_the_sheets():
    data = workbook({"مهر": [["منطقه", "دوره", "news_published"], [1, "1404/07", 3]], "آبان": [["x"]]})
    with pytest.raises(FileRejected) as refused:
        read(data, "months.xlsx", sheet="دی")
    assert "«مهر»" in refused.value.fa and "«آبان»" in refused.value.fa and "'مهر'" in refused.value.en


def test_a_workbook_without_any_table_is_refused_naming_its_sheets():
    data = workbook({"یک": [["سلام"]], "دو": [["خداحافظ"]]})
    with pytest.raises(FileRejected) as refused:
        read(data, "empty.xlsx")
    assert "«یک»" in refused.value.fa and "'دو'" in refused.value.en


def test_the_same_value_on_two_sheets_rejects_both_copies_naming_the_sheets():
    data = workbook(
        {
            "الف": [["منطقه", "دوره", "news_published"], [1, "1404/07", 3]],
            "ب": [["title"], ["منطقه", "دوره", "news_published"], [1, "1404/07", 4], [2, "1404/07", 5]],
        }
    )
    parsed = read(data, "twice.xlsx")
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [
        ("الف", 2, "news_published"),
        ("ب", 3, "news_published"),
    ]
    assert "'ب'" in str(parsed.errors[0].reason) and "'الف'" in str(parsed.errors[1].reason)
    assert as_tuples(parsed.rows) == {(2, "news_published", MEHR, 5.0)}
    assert parsed.rows_rejected == 2


def test_errors_on_a_sheet_carry_its_name_and_its_real_row():
    data = workbook({"گزارش": [["عنوان"], ["منطقه", "دوره", "news_published"], [1, "1404/07", "زیاد"]]})
    (error,) = read(data, "r.xlsx").errors
    assert (error.sheet, error.row, error.column, error.value) == ("گزارش", 3, "news_published", "زیاد")


MAX_KEPT_ERRORS = guard.Limits().max_errors  # DASHBOARD_MAX_ERRORS unset


def test_a_file_with_more_bad_cells_than_are_kept_lists_the_first_and_counts_them_all():
    bad = MAX_KEPT_ERRORS + 250
    lines = ["district,metric,period,value"] + [f"{1 + i % 22},news_published,1404/07,-{i + 1}" for i in range(bad)]
    parsed = read(text_file(lines))
    assert len(parsed.errors) == MAX_KEPT_ERRORS and parsed.errors_total == bad == parsed.rows_rejected
    assert [e.row for e in parsed.errors] == list(range(2, 2 + MAX_KEPT_ERRORS))
    assert "below the minimum 0" in str(parsed.errors[0].reason) and "-1 " in str(parsed.errors[0].reason)


def test_duplicates_beyond_the_kept_errors_are_counted_not_listed():
    lines = ["district,metric,period,value"] + ["1,news_published,1404/07,5"] * (MAX_KEPT_ERRORS + 10)
    parsed = read(text_file(lines))
    assert len(parsed.errors) == MAX_KEPT_ERRORS and parsed.errors_total == MAX_KEPT_ERRORS + 10
    assert f"({MAX_KEPT_ERRORS + 10} times in all)" in str(parsed.errors[0].reason)


def test_a_totals_row_is_neither_a_district_nor_a_rejection():
    parsed = read(text_file(["منطقه,شاخص,ماه,مقدار", "1,news_published,1404/07,5", "مجموع,news_published,1404/07,5"]))
    assert parsed.errors == [] and parsed.rows_read == 1 and len(parsed.notes) == 1
    assert "مجموع" in parsed.notes[0].fa


def test_a_targets_file_still_reads_kol_as_the_whole_city():
    parsed = read(text_file(["منطقه,شاخص,ماه,هدف", "کل,news_published,1404/07,50"]))
    assert parsed.kind == "targets" and parsed.notes == []
    assert as_tuples(parsed.rows) == {(0, "news_published", MEHR, 50.0)}


def test_every_case_reads_the_same_whatever_today_after_the_months_it_holds():
    later = dt.date(2027, 6, 1)
    for case in CASES:
        parsed = read_observations(
            case.data, case.name, CATALOG, DISTRICTS, today=later, **{"event_types": EVENT_TYPES, **case.options}
        )
        assert {(d, m, p): v for d, m, p, v in as_tuples(parsed.rows)} == case.expected, case.id


@pytest.mark.postgres
def test_an_event_log_loads_into_postgresql_through_the_seeded_event_types(pg_engine):
    case = next(c for c in CASES if c.id == "event-log-excel-unicode-text-persian-digits")
    assert store.event_types(pg_engine)["همایش"] == "events_held"
    result = load_file(pg_engine, case.data, case.name, today=TODAY)
    assert result.ok and stored(pg_engine) == case.expected


def test_dashboard_max_errors_sets_how_many_bad_cells_are_listed(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_ERRORS", "7")
    lines = ["district,metric,period,value"] + [f"{1 + i % 22},news_published,1404/07,-{i + 1}" for i in range(30)]
    parsed = read(text_file(lines))
    assert len(parsed.errors) == 7 and parsed.errors_total == 30

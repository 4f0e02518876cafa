"""A file of notable actions through the loader: recognised by its header, checked row by row with
bilingual reasons naming the cell, all or nothing, one batch that a rollback removes; CSV and Excel."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_loaders import actions, load
from data_loaders.readers import read_table
from monitoring import store
from tests.data_loaders.helpers import CATALOG, DISTRICTS, TODAY, csv_bytes, xlsx_bytes

HEADER = "منطقه,تاریخ,دسته,عنوان,شرح,خبر,پست,نشست مردمی,پیوند,بازخورد شهروندان,عمومی"
BOULEVARD = "۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,تعریض بلوار,با برنامه رسانه‌ای,۳,۱۲,۱,https://news.example/a https://x.example/b,استقبال شهروندان,بله"


def parse(data: bytes, name: str = "actions.csv", today: dt.date = TODAY) -> actions.ParsedActions:
    raw = read_table(data, name, CATALOG)
    assert actions.is_actions_file(raw, CATALOG)
    return actions.read_actions(raw, DISTRICTS, today)


def test_a_file_of_actions_is_read_with_its_coverage_links_and_public_mark():
    got = parse(csv_bytes(HEADER, BOULEVARD, "منطقه ۳,12 مهر 1404,فرهنگی,جشنواره محله,,,,,,,"))
    assert not got.errors and got.rows_read == 2
    first, second = got.actions
    assert (first.district, first.occurred_on, first.title) == (
        10,
        jdatetime.date(1404, 7, 12).togregorian(),
        "تعریض بلوار",
    )
    assert (first.news_items, first.social_posts, first.public_meetings) == (3, 12, 1)
    assert first.links == ("https://news.example/a", "https://x.example/b") and first.public
    assert first.feedback == "استقبال شهروندان"
    assert second.district == 3 and second.news_items is None and second.links == () and not second.public


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("۲۳,۱۴۰۴/۰۷/۱۲,عمرانی,الف,,,,,,,", "منطقه", "district 23 does not exist"),
        ("۱۰,۱۴۰۴/۰۷/۳۲,عمرانی,الف,,,,,,,", "تاریخ", "not in Jalali month"),
        ("۱۰,۱۴۰۵/۱۲/۲۹,عمرانی,الف,,,,,,,", "تاریخ", "has not come yet"),
        ("۱۰,۱۴۰۴/۰۷/۱۲,,الف,,,,,,,", "دسته", "category is empty"),
        ("۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,الف,,۲٫۵,,,,,", "خبر", "not a count"),
        ("۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,الف,,-1,,,,,", "خبر", "not a count"),
        ("۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,الف,,,,,javascript:alert(1),,", "پیوند", "not a web address"),
        ("۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,الف,,,,,,,شاید", "عمومی", "cannot be read"),
    ],
)
def test_a_bad_cell_is_rejected_naming_its_row_and_column_in_both_languages(row, column, words):
    got = parse(csv_bytes(HEADER, BOULEVARD, row))
    assert len(got.actions) == 1 and got.rows_rejected == 1
    error = got.errors[0]
    assert error.row == 3 and error.column == column and error.cell.endswith("3")
    fa, en = error.reason.fa, error.reason.en
    assert words in en and any("\u0600" <= ch <= "\u06ff" for ch in fa)


def test_the_same_action_twice_rejects_every_copy():
    got = parse(csv_bytes(HEADER, BOULEVARD, BOULEVARD.replace("تعریض بلوار", "تعریض  بلوار")))
    assert got.actions == [] and got.rows_rejected == 2
    assert {e.row for e in got.errors} == {2, 3} and "keep one" in got.errors[0].reason.en


def test_an_unknown_column_refuses_the_file_with_the_accepted_headers():
    raw = read_table(csv_bytes("منطقه,تاریخ,دسته,عنوان,رنگ", "۱۰,۱۴۰۴/۰۷/۱۲,عمرانی,الف,قرمز"), "a.csv", CATALOG)
    with pytest.raises(actions.FileRejected) as caught:
        actions.read_actions(raw, DISTRICTS, TODAY)
    assert "«رنگ»" in caught.value.fa and "'رنگ' (column E)" in caught.value.en and "district, date" in caught.value.en


def test_a_figures_file_or_an_event_log_with_a_title_column_is_not_a_file_of_actions():
    for lines in (
        ("منطقه,دوره,شاخص,مقدار", "۱,۱۴۰۴/۰۷,news_published,۵"),
        ("منطقه,تاریخ,نوع,عنوان", "۱,۱۴۰۴/۰۷/۰۱,خبر,الف"),
        ("منطقه,دوره,news_published", "۱,۱۴۰۴/۰۷,۵"),
    ):
        assert not actions.is_actions_file(read_table(csv_bytes(*lines), "f.csv", CATALOG), CATALOG)


@settings(max_examples=40, deadline=None)
@given(
    day=st.dates(min_value=jdatetime.date(1399, 1, 1).togregorian(), max_value=TODAY),
    counts=st.lists(st.one_of(st.none(), st.integers(0, 10_000)), min_size=3, max_size=3),
    persian=st.booleans(),
)
def test_any_past_day_and_counts_written_in_either_digits_read_back_as_written(day, counts, persian):
    j = jdatetime.date.fromgregorian(date=day)
    cells = [f"{j.year}/{j.month:02d}/{j.day:02d}", *("" if c is None else f"{c:,}" for c in counts)]
    if persian:
        cells = [c.translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")) for c in cells]
    line = f'۷,{cells[0]},فرهنگی,یک اقدام,,"{cells[1]}","{cells[2]}","{cells[3]}",,,'
    got = parse(csv_bytes(HEADER, line))
    assert not got.errors, got.errors
    item = got.actions[0]
    assert item.occurred_on == day and [item.news_items, item.social_posts, item.public_meetings] == counts


# ---------------------------------------------------------------- through the loader, into the store


def test_loading_a_file_of_actions_stores_one_batch_whose_rollback_removes_them(any_engine):
    data = csv_bytes(HEADER, BOULEVARD, "۳,۱۴۰۴/۰۷/۰۱,فرهنگی,جشنواره,,,,,,,")
    preview = load.load_file(any_engine, data, "actions.csv", dry_run=True, today=TODAY, loaded_by="admin")
    assert preview.ok and preview.kind == "actions" and preview.rows_new == 2 and store.actions(any_engine) == []
    mehr = jdatetime.date(1404, 7, 1).togregorian()
    assert preview.to_dict()["actions"] == {
        "count": 2,
        "districts": [3, 10],
        "first": mehr.isoformat(),
        "last": (mehr + dt.timedelta(days=11)).isoformat(),
        "public": 1,
    }
    result = load.load_file(any_engine, data, "actions.csv", today=TODAY, loaded_by="admin")
    assert result.ok and result.batch_id is not None and result.rows_loaded == 2
    stored = store.actions(any_engine)
    assert {a.title for a in stored} == {"تعریض بلوار", "جشنواره"} and all(
        a.batch_id == result.batch_id for a in stored
    )
    assert all(a.created_by == "admin" for a in stored)
    again = load.load_file(any_engine, data, "actions.csv", today=TODAY, loaded_by="admin")
    assert again.refusal == load.ALREADY_LOADED and len(store.actions(any_engine)) == 2
    store.rollback_batch(any_engine, result.batch_id, "admin")
    assert store.actions(any_engine) == []


def test_one_bad_row_stores_nothing_unless_bad_rows_are_skipped(engine):
    data = xlsx_bytes(
        [
            ["منطقه", "تاریخ", "دسته", "عنوان", "خبر"],
            [10, "1404/07/12", "عمرانی", "تعریض بلوار", 3],
            [99, "1404/07/12", "عمرانی", "اقدام دیگر", 1],
        ]
    )
    strict = load.load_file(engine, data, "actions.xlsx", today=TODAY)
    assert strict.refusal == load.REFUSED_ROWS and strict.batch_id is None and store.actions(engine) == []
    assert "nothing from this file was stored" in strict.file_error.en and strict.errors[0].row == 3
    lenient = load.load_file(engine, data, "actions.xlsx", today=TODAY, skip_bad_rows=True)
    assert lenient.batch_id is not None and [a.title for a in store.actions(engine)] == ["تعریض بلوار"]
    assert store.batch_rejections(engine, lenient.batch_id)["row"].tolist() == [3]


def test_the_figures_loader_still_reads_a_figures_file(engine):
    result = load.load_file(
        engine, csv_bytes("منطقه,دوره,شاخص,مقدار", "۱,۱۴۰۴/۰۷,news_published,۵"), "f.csv", today=TODAY
    )
    assert result.ok and result.kind == "observations" and result.rows_loaded == 1

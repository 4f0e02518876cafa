"""What the upload and batches pages show of a file's own text: always as literal text."""

from __future__ import annotations

import re

import pytest

from tests.views.helpers import plain
from ui.load_report import actions_summary_html, cell_text_html


@pytest.mark.parametrize(
    "text",
    [
        "[پیوند](http://evil.example)",
        "![x](http://evil.example/a.png)",
        "<img src=http://evil.example/a.png>",
        "<script>alert(1)</script>",
    ],
)
def test_markup_from_a_file_is_escaped_never_rendered(text):
    shown = cell_text_html(text)
    assert "<img" not in shown and "<script" not in shown and "<a " not in shown
    assert "&lt;" in shown or "[" in shown


def test_a_negative_number_reads_left_to_right_as_written():
    assert cell_text_html("-4") == '<code dir="ltr">-4</code>'


def test_persian_text_is_isolated_not_turned_left_to_right():
    assert cell_text_html("زیاد") == "<bdi>زیاد</bdi>"


def test_an_empty_cell_says_so_in_persian():
    assert "خالی" in cell_text_html("")


def test_a_file_of_actions_previews_what_will_land_not_figure_tallies():
    report = {
        "kind": "actions",
        "rows_new": 3,
        "actions": {"count": 3, "districts": [3, 10, 22], "first": "2025-09-23", "last": "2025-10-04", "public": 2},
    }
    shown = actions_summary_html(report)
    cards = {
        key: plain(card)
        for key, card in re.findall(
            r'data-testid="load-count-(\w+)">(.*?</strong>.*?)</div>(?=<div class="load-count|</div>$)', shown
        )
    }
    assert set(cards) == {"actions", "districts", "dates", "public"}  # no new / changed / unchanged
    assert cards["actions"] == "اقدام ۳" and cards["districts"].startswith("منطقه ۳ ۳، ۱۰، ۲۲")
    assert cards["dates"] == "بازهٔ تاریخ ۱ مهر ۱۴۰۴ تا ۱۲ مهر ۱۴۰۴"
    assert cards["public"].startswith("برای صفحهٔ عمومی ۲")
    assert "تازه" not in plain(shown) and "تغییر" not in plain(shown)


def test_rejected_rows_of_a_file_of_actions_are_counted_beside_what_will_land():
    report = {
        "kind": "actions",
        "rows_rejected": 1,
        "errors_total": 2,
        "actions": {"count": 1, "districts": [4], "first": "2025-09-23", "last": "2025-09-23", "public": 0},
    }
    text = plain(actions_summary_html(report))
    assert "ردیف ردشده ۲" in text and "۱ مهر ۱۴۰۴" in text and "تا" not in text.split("بازهٔ تاریخ")[1].split("برای")[0]


@pytest.mark.parametrize(("typed", "value"), [("۱۲٫۵", 12.5), ("1,250", 1250.0), ("۸۰%", 80.0), ("دوازده", None)])
def test_a_number_typed_on_a_page_is_read_as_the_loader_reads_a_cell(typed, value):
    from ui import load_job

    assert load_job.read_number(typed) == value

"""What the upload and batches pages show of a file's own text: always as literal text."""

from __future__ import annotations

import pytest

from ui.load_report import cell_text_html


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

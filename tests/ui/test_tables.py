"""The HTML tables' footnotes follow the columns shown."""

import pandas as pd
import pytest

from ui import tables

FRAME = pd.DataFrame({"شاخص": ["الف"], "صدک": ["۵۰"], "مقدار": ["۳"]})


def test_a_note_about_a_phone_hidden_column_is_hidden_with_it():
    html = tables.table_html(
        FRAME,
        phone_hidden=["صدک"],
        notes=[("صدک", "صدک ۱۰۰ یعنی بهترین."), (None, "شاخص‌های خنثی رتبه ندارند."), ("مقدار", "مقدار خام.")],
    )
    notes = html.split("dash-table-notes", 1)[1]
    assert "<span class='phone-hidden' data-column='صدک'>صدک ۱۰۰ یعنی بهترین.</span>" in notes
    assert "<span>شاخص‌های خنثی رتبه ندارند.</span>" in notes
    assert "<span data-column='مقدار'>مقدار خام.</span>" in notes  # shown on a phone: its column is


def test_a_note_about_a_column_the_table_lacks_is_refused():
    with pytest.raises(ValueError, match="میانه"):
        tables.table_html(FRAME, notes=[("میانه", "میانهٔ مناطق.")])


def test_a_table_without_notes_has_no_footnote():
    assert "dash-table-notes" not in tables.table_html(FRAME)

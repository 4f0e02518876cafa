"""The review pack as a deck: the meeting's order (commitments, figures, reporting record, alerts,
notable actions), native right-to-left tables, on SQLite and PostgreSQL, and once through LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess

import jdatetime
import pandas as pd
import pytest
from pptx import Presentation

from monitoring import slides, store
from monitoring.calendar import Period

AZAR = Period.month(1405, 9)
TODAY = jdatetime.date(1405, 9, 20).togregorian()  # Aban 1405 has ended; Azar runs


def J(y: int, m: int, d: int) -> dt.date:
    return jdatetime.date(y, m, d).togregorian()


def texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def seed(engine) -> None:
    frame = pd.DataFrame(
        [(10, "response_time_137_hours", m, v) for m, v in ((J(1405, 6, 1), 40.0), (J(1405, 8, 1), 30.0))],
        columns=["district", "metric", "period", "value"],
    )
    store.write_batch(engine, frame, store.BatchInfo("f.csv", "0" * 64, 2, 0, "boss"))
    meeting = store.add_meeting(engine, 10, J(1405, 7, 8), "boss", status="held", held_on=J(1405, 7, 8))
    store.add_commitment(
        engine,
        10,
        "کاهش زمان پاسخ ۱۳۷",
        J(1405, 7, 8),
        J(1405, 8, 30),
        "boss",
        meeting_id=meeting,
        metric="response_time_137_hours",
    )
    store.add_action(engine, store.ActionInput(10, J(1405, 9, 4), "عمرانی", "تعریض بلوار", news_items=6), "boss")


def test_the_review_deck_follows_the_meeting_with_native_tables(any_engine):
    seed(any_engine)
    deck = Presentation(io.BytesIO(slides.build_review_deck(any_engine, 10, AZAR, today=TODAY)))
    titles = [texts(s).splitlines()[0] for s in deck.slides]
    assert "بستهٔ بازبینی منطقه ۱۰، آذر ۱۴۰۵" in texts(deck.slides[0])
    assert [t.split(": ")[-1] for t in titles[1:]] == [
        "پیگیری تعهدها",
        "همهٔ شاخص‌ها",
        "پایش گزارش‌دهی مناطق",
        "هشدارها",
        "اقدامات شاخص",
    ]
    follow = texts(deck.slides[1])
    assert "کاهش زمان پاسخ ۱۳۷" in follow and "عقب‌افتاده" in follow and "۲۰ روز" in follow
    assert "−۲۵٫۰٪ از شهریور ۱۴۰۵ تا آبان ۱۴۰۵ (بهتر)" in follow  # like for like, lower is better
    assert "آبان ۱۴۰۵" in texts(deck.slides[2])  # the last month ended, while Azar runs
    actions = texts(deck.slides[5])
    assert "تعریض بلوار" in actions and "۶ خبر" in actions
    for n in (1, 5):
        assert any(shape.has_table for shape in deck.slides[n].shapes)


def test_a_pack_with_nothing_recorded_says_so_on_its_slides(engine):
    deck = Presentation(io.BytesIO(slides.build_review_deck(engine, 4, AZAR, today=TODAY)))
    assert "تعهد بازی از جلسه‌های پیشین نیست" in texts(deck.slides[1])
    assert "اقدام شاخصی ثبت نشده است" in texts(deck.slides[-1])


@pytest.mark.libreoffice
def test_libreoffice_opens_the_review_deck_one_page_a_slide(tmp_path, engine):
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice (soffice) and poppler-utils (pdftoppm)")
        pytest.skip("LibreOffice or pdftoppm is not installed")
    from monitoring.cli import convert_to_pdf

    seed(engine)
    path = tmp_path / "review.pptx"
    path.write_bytes(slides.build_review_deck(engine, 10, AZAR, today=TODAY))
    pdf = convert_to_pdf(path, soffice)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    assert len(sorted(tmp_path.glob("page-*.png"))) == 6

"""The deck builder: each deck read back with python-pptx, and once through LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn

from monitoring import slides, store
from monitoring.calendar import PERSIAN_DIGITS, Period
from tests.conftest import SAMPLE_TODAY

PERIOD = Period.month(1405, 8)  # Aban 1405, the sample's last complete month
METRICS = ["news_published", "citizen_satisfaction"]


def _deck(engine, views, district=None, **kwargs):
    data = slides.build_deck(engine, views, PERIOD, district=district, today=SAMPLE_TODAY, **kwargs)
    return Presentation(io.BytesIO(data))


def _one(engine, view, district=None):
    """The slide of one view (the deck's second, after the title slide)."""
    return _deck(engine, [view], district).slides[1]


def _charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def _paragraphs(slide):
    for shape in slide.shapes:
        frames = [shape.text_frame] if shape.has_text_frame else []
        if shape.has_table:
            frames += [c.text_frame for row in shape.table.rows for c in row.cells]
        for frame in frames:
            yield from frame.paragraphs


@pytest.fixture
def catalog(sample_engine):
    return store.metric_catalog(sample_engine)


@pytest.fixture
def full_deck(sample_engine, catalog):
    views = slides.default_views(catalog, METRICS, district=10)
    return views, _deck(sample_engine, views, district=10)


def test_default_deck_has_a_title_slide_and_one_16_9_slide_a_view(full_deck):
    views, deck = full_deck
    assert [v.kind for v in views] == [
        "tile_map",
        "ranking",
        "trend",
        "ranking",
        "trend",
        "bump",
        "district",
        "compliance",
    ]
    assert len(deck.slides) == len(views) + 1
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_title_slide_names_the_centre_the_period_and_the_jalali_date(full_deck):
    text = _texts(full_deck[1].slides[0])
    assert "مرکز ارتباطات و امور بین‌الملل شهرداری تهران" in text
    assert "آبان ۱۴۰۵" in text
    assert "۵ آذر ۱۴۰۵" in text  # SAMPLE_TODAY, 26 Nov 2026


def test_every_paragraph_is_right_to_left_with_a_complex_script_font(full_deck):
    for slide in full_deck[1].slides:
        paragraphs = list(_paragraphs(slide))
        assert paragraphs
        for p in paragraphs:
            assert p._p.pPr is not None and p._p.pPr.get("rtl") == "1", p.text
            for run in p.runs:
                cs = run._r.rPr.find(qn("a:cs"))
                assert cs is not None and cs.get("typeface") == slides.FONT


def test_every_slide_has_the_source_and_data_as_of_and_filled_notes(full_deck):
    for slide in full_deck[1].slides:
        footnote = [s for s in slide.shapes if s.name == "footnote"]
        assert len(footnote) == 1
        assert "منبع:" in footnote[0].text_frame.text
        assert "داده‌ها تا آبان ۱۴۰۵" in footnote[0].text_frame.text
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text.splitlines()) >= 3


def test_ranking_is_a_bar_chart_of_the_districts_that_reported_best_on_top(sample_engine, catalog):
    slide = _one(sample_engine, slides.SlideView("ranking", "news_published"), district=10)
    (chart,) = _charts(slide)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    categories = list(chart.plots[0].categories)
    text = _texts(slide)
    not_reported = [n for n in (f"منطقه {d}" for d in "۱۲۳۴۵۶۷۸۹") if n not in categories]
    # every district is either a bar or named under «گزارش نشده»
    assert len(categories) + text.split("گزارش نشده")[-1].count("منطقه") == 22
    assert len(categories) < 22 or not not_reported
    assert chart.category_axis.reverse_order is True
    values = list(chart.plots[0].series[0].values)
    assert values == sorted(values, reverse=True)  # more is better: the best first
    assert all(ch in PERSIAN_DIGITS or not ch.isdigit() for ch in text)


def test_ranking_highlights_my_district_in_its_own_colour(sample_engine):
    slide = _one(sample_engine, slides.SlideView("ranking", "citizen_satisfaction"), district=10)
    (chart,) = _charts(slide)
    series = chart.plots[0].series[0]
    mine = list(chart.plots[0].categories).index("منطقه ۱۰")
    assert str(series.points[mine].format.fill.fore_color.rgb) == slides.HIGHLIGHT_COLOUR.lstrip("#").upper()
    other = 0 if mine else 1
    assert series.points[other].format.fill.type is None  # the series' own colour


def test_ranking_notes_list_every_district_one_line_each(sample_engine):
    slide = _one(sample_engine, slides.SlideView("ranking", "citizen_satisfaction"))
    lines = slide.notes_slide.notes_text_frame.text.splitlines()[2:]
    assert len(lines) == 22
    assert all(line.startswith("منطقه ") for line in lines)


def test_trend_is_a_line_chart_over_24_jalali_months(sample_engine):
    slide = _one(sample_engine, slides.SlideView("trend", "news_published"))
    (chart,) = _charts(slide)
    assert chart.chart_type in (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE)
    categories = list(chart.plots[0].categories)
    assert len(categories) == 24
    assert categories[-1] == "آبان ۱۴۰۵" and categories[0] == "آذر ۱۴۰۳"


def test_bump_chart_has_a_line_a_district_ranks_reversed_mine_thicker(sample_engine):
    slide = _one(sample_engine, slides.SlideView("bump", "news_published"), district=10)
    (chart,) = _charts(slide)
    series = list(chart.plots[0].series)
    assert len(series) == 22
    assert chart.value_axis.reverse_order is True  # rank 1 at the top
    mine = next(s for s in series if s.name == "منطقه ۱۰")
    other = next(s for s in series if s.name == "منطقه ۱")
    assert mine.format.line.width > other.format.line.width
    assert len(list(chart.plots[0].categories)) == 12


def test_tile_map_is_22_native_rectangles_with_not_reported_grey(sample_engine):
    slide = _one(sample_engine, slides.SlideView("tile_map", "news_published"), district=10)
    tiles = {s.name: s for s in slide.shapes if s.name.startswith("district ")}
    assert len(tiles) == 22
    grey = [t for t in tiles.values() if str(t.fill.fore_color.rgb) == slides.MISSING_COLOUR.lstrip("#").upper()]
    assert grey and all("؟" in t.text_frame.text for t in grey)
    assert "۱۰" in tiles["district 10"].text_frame.text
    assert tiles["district 10"].line.width > 0  # my district outlined
    assert "تیره‌تر" in _texts(slide)
    assert not _charts(slide)


def test_a_district_with_only_some_months_due_is_a_pale_dotted_tile_with_a_key(sample_engine):
    """In spring 1405 district 4 reported news for two of the three months: its tile is not coloured
    by the two months' sum (the page's rule, figures.is_partial), and the legend says what it means."""
    data = slides.build_deck(
        sample_engine, [slides.SlideView("tile_map", "news_published")], Period.season(1405, 1), today=SAMPLE_TODAY
    )
    slide = Presentation(io.BytesIO(data)).slides[1]
    tiles = {s.name: s for s in slide.shapes if s.name.startswith("district ")}
    four = tiles["district 4"]
    assert str(four.fill.fore_color.rgb) == slides.PARTIAL_TILE_COLOUR.lstrip("#").upper()
    assert four.line.dash_style is not None and "ناقص" in four.text_frame.text
    coloured = [t for n, t in tiles.items() if n != "district 4"]
    assert all(str(t.fill.fore_color.rgb) != slides.PARTIAL_TILE_COLOUR.lstrip("#").upper() for t in coloured)
    assert "نقطه‌چین" in _texts(slide) and "ناقص: ۲ از ۳ ماه" in slide.notes_slide.notes_text_frame.text


def test_district_and_compliance_slides_are_native_tables(sample_engine):
    deck = _deck(sample_engine, [slides.SlideView("district"), slides.SlideView("compliance")], district=10)
    district, grid = deck.slides[1], deck.slides[2]
    (table,) = [s.table for s in district.shapes if s.has_table]
    assert len(table.rows) == 1 + 16  # a header and one row a metric
    (table,) = [s.table for s in grid.shapes if s.has_table]
    assert len(table.rows) == 1 + 22 and len(table.columns) == 1 + 12
    assert table.cell(0, len(table.columns) - 1).text == "منطقه"  # the names on the right


def test_a_district_slide_without_a_district_is_refused(sample_engine):
    with pytest.raises(slides.DeckError, match="district"):
        _deck(sample_engine, [slides.SlideView("district")])


def test_unknown_metric_is_refused_in_persian_and_english(sample_engine):
    with pytest.raises(slides.DeckError, match="no_such_metric") as info:
        _deck(sample_engine, [slides.SlideView("ranking", "no_such_metric")])
    assert "شاخص" in str(info.value)


def test_a_metric_view_needs_a_metric():
    with pytest.raises(ValueError):
        slides.SlideView("ranking")


@pytest.mark.libreoffice
def test_libreoffice_opens_the_deck_one_page_a_slide(tmp_path, full_deck, sample_engine, catalog):
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice (soffice) and poppler-utils (pdftoppm)")
        pytest.skip("LibreOffice or pdftoppm is not installed")
    from monitoring.cli import convert_to_pdf

    views = slides.default_views(catalog, METRICS, district=10)
    path = tmp_path / "deck.pptx"
    path.write_bytes(slides.build_deck(sample_engine, views, PERIOD, district=10, today=SAMPLE_TODAY))
    pdf = convert_to_pdf(path, soffice)
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(views) + 1

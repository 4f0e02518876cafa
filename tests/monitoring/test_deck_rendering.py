"""Decks as a meeting room sees them: rendered by LibreOffice with the project's Vazirmatn installed
(turned from its woff2 into TTF and given to LibreOffice through a fontconfig file of the test's own),
read back from the PDF's text; and the deck's own document properties and category axes as
PowerPoint reads them."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from monitoring import calendar, rankings, slides, store
from monitoring.calendar import Period
from monitoring.config import PROJECT_ROOT
from tests.conftest import SAMPLE_TODAY

FONTS = PROJECT_ROOT / "static" / "fonts"
PERIODS = (Period.month(1405, 8), Period.whole_year(1404), Period.season(1405, 2))


def _tools() -> str:
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice (soffice) and poppler-utils (pdftotext)")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    return soffice


def vazirmatn_fontconfig(folder: Path) -> Path:
    """A fontconfig file that adds the project's Vazirmatn (as TTF) to the system's fonts."""
    from fontTools.ttLib import TTFont

    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for woff2 in FONTS.glob("Vazirmatn-*.woff2"):
        font = TTFont(str(woff2))
        font.flavor = None
        font.save(str(fonts / (woff2.stem + ".ttf")))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def fontconfig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    conf = vazirmatn_fontconfig(tmp_path_factory.mktemp("vazirmatn"))
    listed = subprocess.run(
        ["fc-list", ":family=Vazirmatn"],
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        capture_output=True,
        text=True,
    )
    assert "Vazirmatn" in listed.stdout, "the test's fontconfig does not hold Vazirmatn"
    return conf


def _pdf_pages(pptx: Path, soffice: str, conf: Path) -> list[str]:
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    profile = pptx.parent / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(pptx.parent), str(pptx)],
        env=env, capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    pdf = pptx.with_suffix(".pdf")
    used = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Vazirmatn" in used, f"LibreOffice did not draw with Vazirmatn:\n{used}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _district_numbers(page: str) -> set[int]:
    """The district numbers named «منطقه N» on a PDF page's text. pdftotext wraps right-to-left runs in
    bidi controls and maps a joining glyph to a stray Latin digit; the slides write only Persian
    digits, so both are dropped before reading."""
    text = re.sub("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", page)
    text = re.sub("[0-9]", "", text)
    return {int(calendar.to_latin_digits(n)) for n in re.findall("منطقه\\s*([۰-۹]+)", text)}


@pytest.mark.libreoffice
@pytest.mark.parametrize("period", PERIODS, ids=[p.code for p in PERIODS])
def test_every_ranked_district_is_named_on_the_ranking_slide_with_vazirmatn(
    tmp_path, sample_engine, fontconfig, period
):
    soffice = _tools()
    metric = "news_published"
    views = [slides.SlideView("ranking", metric)]
    path = tmp_path / "deck.pptx"
    path.write_bytes(slides.build_deck(sample_engine, views, period, district=5, today=SAMPLE_TODAY))
    pages = _pdf_pages(path, soffice, fontconfig)
    page = pages[1]
    catalog = store.metric_catalog(sample_engine)
    values = store.metric_district_values(sample_engine, period.start, period.end)
    values = values[values["metric"] == metric]
    ranked = rankings.rank_districts(
        values.assign(value=values["total"])[["district", "value", "months"]],
        store.reference_districts(sample_engine),
        catalog[metric],
        due=period.month_count,
    )
    districts = ranked.loc[ranked["status"] == "ranked", "district"].astype(int).tolist()
    assert districts, "nothing ranked"
    drawn = _district_numbers(page)
    assert set(districts) <= drawn, f"districts not named on the slide: {sorted(set(districts) - drawn)}"


@pytest.mark.libreoffice
@pytest.mark.parametrize("measure", ["raw", "per10k"])
def test_chart_numbers_group_thousands_with_the_persian_separator_in_libreoffice(
    tmp_path, sample_engine, fontconfig, measure
):
    """The value axis of the trend and the data labels of the ranking, as LibreOffice draws them with
    Vazirmatn: Persian digits, thousands grouped with «٬» and decimals with «٫», never a Latin comma or
    point between digits (the charts' number format asks for the fa-IR locale, ``[$-3000429]``)."""
    soffice = _tools()
    views = [
        slides.SlideView("trend", "news_published", measure),
        slides.SlideView("ranking", "news_published", measure),
    ]
    path = tmp_path / "deck.pptx"
    path.write_bytes(slides.build_deck(sample_engine, views, Period.whole_year(1404), district=5, today=SAMPLE_TODAY))
    pages = _pdf_pages(path, soffice, fontconfig)[1:3]
    numbers = [n for page in pages for n in re.findall(r"[۰-۹0-9][۰-۹0-9٬٫,.]*[۰-۹0-9]", page)]
    latin = [n for n in numbers if re.search(r"[0-9][,.]|[,.][0-9]|[۰-۹][,.][۰-۹]", n)]
    assert latin == [], f"a Latin separator in the charts' numbers: {latin[:10]}"
    grouped = [n for n in numbers if "٬" in n]
    if measure == "raw":  # a year's news in the thousands: the axis and the bars' labels group them
        assert len(grouped) >= 5, f"numbers of a thousand or more not grouped with «٬»: {sorted(set(numbers))[:30]}"
    assert all(re.fullmatch(r"[۰-۹]{1,3}(٬[۰-۹]{3})+(٫[۰-۹]+)?", n) for n in grouped), grouped


def test_the_deck_carries_its_own_document_properties(sample_engine):
    import io

    deck = slides.build_deck(
        sample_engine, [slides.SlideView("ranking", "news_published")], Period.month(1405, 8), today=SAMPLE_TODAY
    )
    props = Presentation(io.BytesIO(deck)).core_properties
    assert props.author == slides.CENTRE and "Steve" not in (props.last_modified_by or "")
    assert props.title and props.subject.startswith("آبان ۱۴۰۵")
    assert props.created is not None and props.created.year >= 2026
    assert props.created <= dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=1)


def test_every_ranking_category_axis_names_every_bar(sample_engine):
    import io

    deck = slides.build_deck(
        sample_engine, [slides.SlideView("ranking", "news_published")], Period.whole_year(1404), today=SAMPLE_TODAY
    )
    prs = Presentation(io.BytesIO(deck))
    (chart,) = [s.chart for s in prs.slides[1].shapes if s.has_chart]
    axis = chart.category_axis._element
    (skip,) = axis.findall(qn("c:tickLblSkip"))
    assert skip.get("val") == "1"
    pitch = (chart.plots[0].categories and len(chart.plots[0].categories)) or 1
    size = chart.category_axis.tick_labels.font.size.pt
    assert 6 <= size <= 11 and pitch == len(list(chart.plots[0].categories))


@pytest.mark.parametrize("metric", ["news_published", "response_time_137_hours"])
def test_every_tile_of_the_deck_map_reads_at_a_contrast_of_at_least_4_5(sample_engine, metric):
    import io

    from monitoring.charts import contrast_ratio

    deck = slides.build_deck(
        sample_engine, [slides.SlideView("tile_map", metric)], Period.month(1405, 8), today=SAMPLE_TODAY
    )
    prs = Presentation(io.BytesIO(deck))
    tiles = [s for s in prs.slides[1].shapes if s.name.startswith("district ")]
    assert len(tiles) == 22
    for tile in tiles:
        fill = "#" + str(tile.fill.fore_color.rgb)
        for paragraph in tile.text_frame.paragraphs:
            for run in paragraph.runs:
                ink = "#" + str(run.font.color.rgb)
                assert contrast_ratio(fill, ink) >= 4.5, f"{tile.name}: {ink} on {fill}"


def _slides(sample_engine, views, period, district=None):
    import io

    return Presentation(
        io.BytesIO(slides.build_deck(sample_engine, views, period, district=district, today=SAMPLE_TODAY))
    )


def test_a_year_deck_compares_once_and_colours_changes_by_direction(sample_engine):
    prs = _slides(sample_engine, [slides.SlideView("district")], Period.whole_year(1404), district=5)
    (table,) = [s.table for s in prs.slides[1].shapes if s.has_table]
    header = [table.cell(0, j).text for j in range(len(table.columns))]
    comparisons = [h for h in header if h.startswith("نسبت به")]
    assert comparisons == ["نسبت به سال ۱۴۰۳"]
    coloured = {
        str(run.font.color.rgb)
        for i in range(1, len(table.rows))
        for run in table.cell(i, header.index(comparisons[0])).text_frame.paragraphs[0].runs
        if run.font.color and run.font.color.type is not None
    }
    assert {"1E7A52", "B03A2E"} & coloured, coloured


def test_deck_tables_are_not_in_the_librarys_blue_theme(sample_engine):
    prs = _slides(sample_engine, [slides.SlideView("district")], Period.month(1405, 8), district=5)
    (table,) = [s.table for s in prs.slides[1].shapes if s.has_table]
    style = table._tbl.tblPr.find(qn("a:tableStyleId")).text
    assert style == slides.NO_STYLE_TABLE
    assert str(table.cell(0, 0).fill.fore_color.rgb) == slides.HEADER_FILL.lstrip("#").upper()


def test_the_bump_slide_of_a_year_has_no_empty_year_and_names_the_leaders(sample_engine):
    prs = _slides(sample_engine, [slides.SlideView("bump", "news_published")], Period.whole_year(1404))
    (chart,) = [s.chart for s in prs.slides[1].shapes if s.has_chart]
    categories = list(chart.plots[0].categories)
    for position in range(len(categories)):
        assert any(series.values[position] is not None for series in chart.plots[0].series), categories[position]
    named = [
        series.points[len(categories) - 1].data_label.text_frame.text
        for series in chart.plots[0].series
        if series.points[len(categories) - 1].data_label.has_text_frame
    ]
    assert len(named) == slides.BUMP_LEADERS and all(n.startswith("منطقه") for n in named)


def test_the_reporting_legend_has_a_swatch_for_every_state_and_no_latin(sample_engine):
    from monitoring import compliance

    prs = _slides(sample_engine, [slides.SlideView("compliance")], Period.month(1405, 8))
    shapes = prs.slides[1].shapes
    swatches = {s.name.removeprefix("legend ") for s in shapes if s.name.startswith("legend ")}
    assert swatches == set(compliance.STATES)
    texts = " ".join(s.text_frame.text for s in shapes if s.has_text_frame)
    assert not re.search("[A-Za-z]", texts), texts

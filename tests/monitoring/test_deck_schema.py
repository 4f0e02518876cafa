"""The deck's XML as PowerPoint reads it: every chart element's children in the order the DrawingML
chart schema (ECMA-376, the transitional schema python-pptx targets) requires, every text body right to
left with the complex-script font, the trend's incomplete months hollow in LibreOffice too.

No XSD of the chart schema ships in a pip package, so the sequences below are copied from
``dml-chart.xsd`` and ``dml-main.xsd`` (element name -> its children in schema order; a choice shares
one place). A child out of order or not allowed there fails, with its path."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import numpy as np
import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from monitoring import slides
from monitoring.calendar import Period
from tests.conftest import SAMPLE_TODAY

_TEXT_BODY = ["a:bodyPr", "a:lstStyle", "a:p"]
_CHAR = [
    "a:ln", "a:noFill|a:solidFill|a:gradFill|a:blipFill|a:pattFill|a:grpFill", "a:effectLst|a:effectDag",
    "a:highlight", "a:uLnTx|a:uLn", "a:uFillTx|a:uFill", "a:latin", "a:ea", "a:cs", "a:sym", "a:hlinkClick",
    "a:hlinkMouseOver", "a:rtl", "a:extLst",
]  # fmt: skip
_AXIS_HEAD = [
    "c:axId", "c:scaling", "c:delete", "c:axPos", "c:majorGridlines", "c:minorGridlines", "c:title", "c:numFmt",
    "c:majorTickMark", "c:minorTickMark", "c:tickLblPos", "c:spPr", "c:txPr", "c:crossAx", "c:crosses|c:crossesAt",
]  # fmt: skip
_LABEL_BODY = [
    "c:numFmt", "c:spPr", "c:txPr", "c:dLblPos", "c:showLegendKey", "c:showVal", "c:showCatName", "c:showSerName",
    "c:showPercent", "c:showBubbleSize", "c:separator",
]  # fmt: skip
SCHEMA_ORDER: dict[str, list[str]] = {
    "c:chartSpace": [
        "c:date1904", "c:lang", "c:roundedCorners", "mc:AlternateContent", "c:style", "c:clrMapOvr",
        "c:pivotSource", "c:protection", "c:chart", "c:spPr", "c:txPr", "c:externalData", "c:printSettings",
        "c:userShapes", "c:extLst",
    ],
    "c:chart": [
        "c:title", "c:autoTitleDeleted", "c:pivotFmts", "c:view3D", "c:floor", "c:sideWall", "c:backWall",
        "c:plotArea", "c:legend", "c:plotVisOnly", "c:dispBlanksAs", "c:showDLblsOverMax", "c:extLst",
    ],
    "c:plotArea": [
        "c:layout",
        "c:areaChart|c:area3DChart|c:lineChart|c:line3DChart|c:stockChart|c:radarChart|c:scatterChart|c:pieChart"
        "|c:pie3DChart|c:doughnutChart|c:barChart|c:bar3DChart|c:ofPieChart|c:surfaceChart|c:surface3DChart"
        "|c:bubbleChart",
        "c:valAx|c:catAx|c:dateAx|c:serAx", "c:dTable", "c:spPr", "c:extLst",
    ],
    "c:lineChart": [
        "c:grouping", "c:varyColors", "c:ser", "c:dLbls", "c:dropLines", "c:hiLowLines", "c:upDownBars",
        "c:marker", "c:smooth", "c:axId", "c:extLst",
    ],
    "c:barChart": [
        "c:barDir", "c:grouping", "c:varyColors", "c:ser", "c:dLbls", "c:gapWidth", "c:overlap", "c:serLines",
        "c:axId", "c:extLst",
    ],
    "c:catAx": [
        *_AXIS_HEAD, "c:auto", "c:lblAlgn", "c:lblOffset", "c:tickLblSkip", "c:tickMarkSkip", "c:noMultiLvlLbl",
        "c:extLst",
    ],
    "c:valAx": [*_AXIS_HEAD, "c:crossBetween", "c:majorUnit", "c:minorUnit", "c:dispUnits", "c:extLst"],
    "c:scaling": ["c:logBase", "c:orientation", "c:max", "c:min", "c:extLst"],
    "c:dLbls": ["c:dLbl", "c:delete", *_LABEL_BODY, "c:showLeaderLines", "c:leaderLines", "c:extLst"],
    "c:dLbl": ["c:idx", "c:delete", "c:layout", "c:tx", *_LABEL_BODY, "c:extLst"],
    "c:legend": ["c:legendPos", "c:legendEntry", "c:layout", "c:overlay", "c:spPr", "c:txPr", "c:extLst"],
    "c:legendEntry": ["c:idx", "c:delete|c:txPr", "c:extLst"],
    "c:ser": [
        "c:idx", "c:order", "c:tx", "c:spPr", "c:invertIfNegative", "c:pictureOptions", "c:marker", "c:dPt",
        "c:dLbls", "c:trendline", "c:errBars", "c:cat", "c:val", "c:smooth", "c:shape", "c:extLst",
    ],
    "c:marker": ["c:symbol", "c:size", "c:spPr", "c:extLst"],
    "c:dPt": [
        "c:idx", "c:invertIfNegative", "c:marker", "c:bubble3D", "c:explosion", "c:spPr", "c:pictureOptions",
        "c:extLst",
    ],
    "p:txBody": _TEXT_BODY,
    "a:txBody": _TEXT_BODY,
    "c:txPr": _TEXT_BODY,
    "c:rich": _TEXT_BODY,
    "a:p": ["a:pPr", "a:r|a:br|a:fld", "a:endParaRPr"],
    "a:r": ["a:rPr", "a:t"],
    "a:pPr": [
        "a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx|a:buClr", "a:buSzTx|a:buSzPct|a:buSzPts",
        "a:buFontTx|a:buFont", "a:buNone|a:buAutoNum|a:buChar|a:buBlip", "a:tabLst", "a:defRPr", "a:extLst",
    ],
    "a:rPr": _CHAR,
    "a:defRPr": _CHAR,
    "a:endParaRPr": _CHAR,
    "c:spPr": [
        "a:xfrm", "a:custGeom|a:prstGeom", "a:noFill|a:solidFill|a:gradFill|a:blipFill|a:pattFill|a:grpFill",
        "a:ln", "a:effectLst|a:effectDag", "a:scene3d", "a:sp3d", "a:extLst",
    ],
    "a:ln": [
        "a:noFill|a:solidFill|a:gradFill|a:pattFill", "a:prstDash|a:custDash", "a:round|a:bevel|a:miter",
        "a:headEnd", "a:tailEnd", "a:extLst",
    ],
}  # fmt: skip
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
_RANKS = {
    f"{{{NS[k.split(':')[0]]}}}{k.split(':')[1]}": {
        f"{{{NS[t.split(':')[0]]}}}{t.split(':')[1]}": i for i, group in enumerate(order) for t in group.split("|")
    }
    for k, order in SCHEMA_ORDER.items()
}


def _short(tag: str) -> str:
    uri, name = tag[1:].split("}")
    return next(f"{p}:{name}" for p, u in NS.items() if u == uri)


def schema_order_problems(root) -> list[str]:
    """Each element with a known sequence whose children are not allowed or out of order."""
    problems = []
    for element in root.iter():
        ranks = _RANKS.get(element.tag)
        if ranks is None:
            continue
        last = -1
        for child in element:
            if not isinstance(child.tag, str):
                continue
            rank = ranks.get(child.tag)
            where = root.getroottree().getpath(element)
            if rank is None:
                problems.append(f"{where}: {_short(child.tag)} is not allowed in {_short(element.tag)}")
            elif rank < last:
                problems.append(f"{where}: {_short(child.tag)} comes after a later element")
            else:
                last = rank
    return problems


VIEWS = [
    slides.SlideView("ranking", "news_published"),
    slides.SlideView("trend", "reports_submitted"),
    slides.SlideView("bump", "news_published"),
    slides.SlideView("tile_map", "news_published"),
    slides.SlideView("district"),
    slides.SlideView("compliance"),
]


@pytest.fixture
def deck(sample_engine) -> bytes:
    return slides.build_deck(sample_engine, VIEWS, Period.month(1405, 8), district=5, today=SAMPLE_TODAY)


def _parts(deck: bytes, prefix: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(deck)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")}


def test_the_checker_finds_a_text_property_out_of_order():
    axis = etree.fromstring(
        f'<c:catAx xmlns:c="{NS["c"]}" xmlns:a="{NS["a"]}"><c:axId val="1"/><c:txPr><a:bodyPr/><a:p/></c:txPr>'
        '<c:scaling/><c:tickLblSkip val="1"/><c:auto val="1"/></c:catAx>'
    )
    problems = schema_order_problems(axis)
    assert len(problems) == 2 and "c:scaling" in problems[0] and "c:auto" in problems[1]


def test_every_chart_part_has_its_elements_in_the_schemas_order(deck):
    charts = _parts(deck, "ppt/charts/chart")
    assert len(charts) >= 3
    problems = [f"{name}: {p}" for name, root in charts.items() for p in schema_order_problems(root)]
    assert problems == []


def test_every_slide_and_notes_text_is_in_the_schemas_order(deck):
    parts = {**_parts(deck, "ppt/slides/slide"), **_parts(deck, "ppt/notesSlides/")}
    problems = [f"{name}: {p}" for name, root in parts.items() for p in schema_order_problems(root)]
    assert problems == []


def test_every_text_body_of_the_deck_is_right_to_left_with_the_persian_font(deck):
    parts = {**_parts(deck, "ppt/slides/slide"), **_parts(deck, "ppt/notesSlides/"), **_parts(deck, "ppt/charts/")}
    missing = []
    for name, root in parts.items():
        for paragraph in root.iter(qn("a:p")):
            ppr = paragraph.find(qn("a:pPr"))
            if ppr is None or ppr.get("rtl") != "1":
                missing.append(f"{name}: a paragraph without rtl")
            for rpr in paragraph.iter(qn("a:rPr")):
                if rpr.find(qn("a:cs")) is None:
                    missing.append(f"{name}: a run without a:cs")
    assert missing == []


@pytest.mark.parametrize("kind", ["trend", "bump"])
def test_data_labels_and_category_axes_carry_their_own_rtl_and_complex_script_font(sample_engine, kind):
    metric = "reports_submitted" if kind == "trend" else "news_published"
    data = slides.build_deck(
        sample_engine, [slides.SlideView(kind, metric)], Period.month(1405, 8), district=5, today=SAMPLE_TODAY
    )
    (root,) = _parts(data, "ppt/charts/chart").values()
    holders = list(root.iter(qn("c:catAx"))) + list(root.iter(qn("c:dLbls")))
    assert root.find(f".//{qn('c:catAx')}") is not None
    if kind == "bump":
        assert root.find(f".//{qn('c:dLbls')}") is not None  # my district's ranks on its points
    for holder in holders:
        ppr = holder.find(f"{qn('c:txPr')}/{qn('a:p')}/{qn('a:pPr')}")
        assert ppr is not None and ppr.get("rtl") == "1", etree.tostring(holder)[:300]
        assert ppr.find(f"{qn('a:defRPr')}/{qn('a:cs')}").get("typeface") == slides.FONT


def test_the_trends_incomplete_months_are_rings_with_a_white_inside(sample_engine):
    data = slides.build_deck(
        sample_engine, [slides.SlideView("trend", "reports_submitted")], Period.month(1405, 8), today=SAMPLE_TODAY
    )
    chart = next(s.chart for s in Presentation(io.BytesIO(data)).slides[1].shapes if s.has_chart)
    ring, inside = chart.plots[0].series[1], chart.plots[0].series[2]
    assert ring.marker.format.fill.type == 5  # MSO_FILL.BACKGROUND: no fill (PowerPoint's hollow)
    assert str(inside.marker.format.fill.fore_color.rgb) == "FFFFFF" and inside.marker.size < ring.marker.size
    assert list(inside.values) == list(ring.values)
    entry = chart._chartSpace.find(f".//{qn('c:legendEntry')}")
    assert entry.find(qn("c:idx")).get("val") == "2" and entry.find(qn("c:delete")).get("val") == "1"


def _rings(pixels: np.ndarray, colour: tuple[int, int, int]) -> int:
    """How many hollow rings of ``colour``: places where a row crosses the colour, a white gap of a few
    pixels, and the colour again (a filled disc has no white inside)."""
    near = np.abs(pixels - np.array(colour)).sum(axis=2) < 90
    white = pixels.min(axis=2) > 235
    centres: list[tuple[int, int]] = []
    for y in range(pixels.shape[0]):
        xs = np.flatnonzero(near[y])
        for a, b in zip(xs, xs[1:], strict=False):
            if 3 <= b - a <= 20 and white[y, a + 1 : b].all():
                centre = (y, (a + b) // 2)
                if all(abs(centre[0] - c[0]) > 12 or abs(centre[1] - c[1]) > 12 for c in centres):
                    centres.append(centre)
    return len(centres)


@pytest.mark.libreoffice
def test_libreoffice_draws_the_incomplete_months_hollow(tmp_path, sample_engine):
    from PIL import Image

    from tests.monitoring.test_deck_rendering import vazirmatn_fontconfig

    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice (soffice) and poppler-utils (pdftoppm)")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    path = tmp_path / "trend.pptx"
    data = slides.build_deck(
        sample_engine, [slides.SlideView("trend", "reports_submitted")], Period.month(1405, 8), today=SAMPLE_TODAY
    )
    path.write_bytes(data)
    chart = next(s.chart for s in Presentation(io.BytesIO(data)).slides[1].shapes if s.has_chart)
    partial = sum(v is not None for v in chart.plots[0].series[1].values)
    assert partial >= 2, "the sample's trend should have incomplete months"
    env = {**os.environ, "FONTCONFIG_FILE": str(vazirmatn_fontconfig(tmp_path / "fonts"))}
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        env=env, capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "2", "-l", "2", str(tmp_path / "trend.pdf"), str(tmp_path / "p")], check=True)  # fmt: skip
    (png,) = tmp_path.glob("p*.png")
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    colour = tuple(int(slides.INCOMPLETE_COLOUR.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    assert _rings(pixels, colour) >= partial  # every incomplete month a ring (the legend's key may be filled)

"""PowerPoint decks of the dashboard's views: one 16:9 slide a view, native and editable.

``build_deck(engine, views, period, district)`` returns the bytes of a .pptx: a title slide, then one
slide a :class:`SlideView`. Charts are native PowerPoint charts (their numbers editable in PowerPoint),
the tile map is native shapes and the grids are native tables. Every paragraph is right to left
(``rtl="1"``) with a complex-script font (``a:cs``), numbers in Persian digits, months in Jalali;
each slide has a footnote with the source and «data as of», and the plotted numbers in its notes.

It reads through the store's named reads and the domain's functions; it never imports streamlit.
The /export page and ``python -m monitoring deck`` both call it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Literal

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt
from sqlalchemy import Engine

from monitoring import alerts, calendar, compliance, config, figures, overview, rankings, review_pack, reviews, store
from monitoring import district as district_mod
from monitoring.calendar import Period
from monitoring.charts import (
    COMPLIANCE_COLOURS,
    HIGHLIGHT_COLOUR,
    INCOMPLETE_COLOUR,
    LINE_COLOUR,
    MISSING_COLOUR,
    NEUTRAL_BAR,
    PARTIAL_TILE_COLOUR,
    PARTIAL_TILE_KEY,
    PARTIAL_TILE_LINE,
    colour_meaning,
    colour_scale,
    readable_ink,
    scale_colour,
)
from monitoring.message import MessageError
from monitoring.metrics import Metric, unit_text

SlideKind = Literal[
    "tile_map", "ranking", "trend", "bump", "district", "compliance", "follow_up", "district_alerts", "actions"
]
KINDS: tuple[str, ...] = ("tile_map", "ranking", "trend", "bump", "district", "compliance")
# the review pack's own slides (``review_views``): a district's commitments, alerts and notable actions
REVIEW_KINDS: tuple[str, ...] = ("follow_up", "district_alerts", "actions")
DISTRICT_KINDS = frozenset({"district", *REVIEW_KINDS})
KIND_LABELS = {
    "follow_up": "پیگیری تعهدها",
    "district_alerts": "هشدارهای منطقه",
    "actions": "اقدامات شاخص",
    "tile_map": "نقشهٔ کاشی مناطق",
    "ranking": "رتبه‌بندی مناطق",
    "trend": "روند شهر",
    "bump": "روند رتبه‌ها",
    "district": "صفحهٔ منطقه",
    "compliance": "پایش گزارش‌دهی",
}
METRIC_KINDS = frozenset({"tile_map", "ranking", "trend", "bump"})
MEASURES = ("raw", "per10k", "perkm2")

FONT = "Vazirmatn"  # the complex-script (a:cs) typeface: Persian letters and digits
FALLBACK_FONT = "Tahoma"  # the Latin (a:latin) typeface, on every Windows; a reader without Vazirmatn
CENTRE = "مرکز ارتباطات و امور بین‌الملل شهرداری تهران"
SOURCE = "منبع: گزارش‌های ماهانهٔ مناطق ۲۲گانه، سامانهٔ رصد مناطق شهرداری تهران"
DEFAULT_TITLE = "گزارش رصد مناطق ۲۲گانهٔ تهران"
TREND_MONTHS = 24
BUMP_PERIODS = 12
DISTRICT_ROWS = 16  # metrics on a district slide; more go on to the next
DISTRICTS_TOTAL = 22

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.333 × 7.5 in, 16:9
MARGIN = Inches(0.5)
BUMP_LEADERS = 3  # the bump slide names the first three of the newest period beside «منطقهٔ من»
INK = RGBColor(0x1F, 0x2A, 0x2E)
MUTED = RGBColor(0x5F, 0x6B, 0x70)
PALE = RGBColor(0xC9, 0xD1, 0xD4)


class DeckError(MessageError, ValueError):
    """A deck that cannot be built as asked; :attr:`message` says why in Persian and English."""


@dataclass(frozen=True)
class SlideView:
    """One slide of a deck: what kind of view, on which metric (where the kind has one) and measure
    (``raw``, ``per10k`` or ``perkm2``; rates and averages are always raw)."""

    kind: SlideKind
    metric: str | None = None
    measure: str = "raw"

    def __post_init__(self) -> None:
        if self.kind not in KINDS + REVIEW_KINDS:
            raise ValueError(f"unknown slide kind {self.kind!r}; one of {', '.join(KINDS + REVIEW_KINDS)}")
        if self.kind in METRIC_KINDS and not self.metric:
            raise ValueError(f"a {self.kind} slide needs a metric")
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; one of {', '.join(MEASURES)}")

    @property
    def label(self) -> str:
        """The Persian name of the kind, for a picker."""
        return KIND_LABELS[self.kind]


def default_views(
    catalog: dict[str, Metric], metrics: Sequence[str], district: int | None = None, measure: str = "raw"
) -> list[SlideView]:
    """The monthly review deck for ``metrics``: the tile map of the first, then for each metric its
    ranking and city trend, the bump chart of the first rankable one, the district's page (when a
    district is given) and the compliance grid. Unknown codes raise :class:`DeckError`."""
    codes = _known(catalog, metrics)
    views: list[SlideView] = []
    if codes:
        views.append(SlideView("tile_map", codes[0], measure))
    for code in codes:
        views.append(SlideView("ranking", code, measure))
        views.append(SlideView("trend", code))
    rankable = [c for c in codes if catalog[c].direction != "neutral"]
    if rankable:
        views.append(SlideView("bump", rankable[0], measure))
    if district is not None:
        views.append(SlideView("district", measure=measure))
    views.append(SlideView("compliance"))
    return views


def review_views(measure: str = "raw") -> list[SlideView]:
    """The review pack as a deck, in the order the meeting runs: last meeting's commitments, the
    district's figures, ranks and changes, its reporting record, its alerts, its notable actions."""
    return [
        SlideView("follow_up"),
        SlideView("district", measure=measure),
        SlideView("compliance"),
        SlideView("district_alerts"),
        SlideView("actions"),
    ]


def review_title(name: str, period: Period) -> str:
    """«بستهٔ بازبینی منطقه ۱۰، مهر ۱۴۰۴»: the pack's page title and its deck's."""
    return f"بستهٔ بازبینی {name}، {period.label}"


def build_review_deck(
    engine: Engine,
    district: int,
    period: Period,
    today: dt.date | None = None,
    due_day: int = compliance.DEFAULT_DUE_DAY,
    measure: str = "raw",
) -> bytes:
    """The review pack of ``district`` for ``period`` as a deck (``review_views``), titled as the page:
    the meeting's commitments and actions of ``period``, the figures, record and alerts of the month the
    page shows (``review_pack.figures_period``)."""
    today = today or calendar.today_in_tehran()
    bounds = store.period_range(engine)
    shown = review_pack.figures_period(period, bounds[1], today) if bounds else period
    reference = store.reference_districts(engine)
    names = dict(zip(reference["district"].astype(int), reference["name_fa"], strict=True))
    name = names.get(int(district), f"منطقه {calendar.to_persian_digits(district)}")
    return build_deck(
        engine,
        review_views(measure),
        shown,
        district,
        title=review_title(name, period),
        today=today,
        due_day=due_day,
        review_period=period,
    )


def _known(catalog: dict[str, Metric], metrics: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(metrics))
    unknown = [c for c in codes if c not in catalog]
    if unknown:
        names = "، ".join(unknown)
        raise DeckError(
            f"شاخص «{names}» در فهرست شاخص‌ها نیست؛ کدهای معتبر: {', '.join(catalog)}",
            f"unknown metric '{', '.join(unknown)}'; valid codes: {', '.join(catalog)}",
        )
    return codes


# ---------------------------------------------------------------- what a deck reads


@dataclass
class _Context:
    engine: Engine
    period: Period
    district: int | None
    today: dt.date
    due_day: int
    catalog: dict[str, Metric]
    reference: pd.DataFrame
    names: dict[int, str]
    as_of: str
    review_period: Period | None = None  # the month of a review pack's meeting, when not ``period``
    _cache: dict = field(default_factory=dict)

    def values(self, period: Period) -> pd.DataFrame:
        """``store.metric_district_values`` for a period, read once a deck."""
        key = ("mdv", period.code)
        if key not in self._cache:
            self._cache[key] = store.metric_district_values(self.engine, period.start, period.end)
        return self._cache[key]

    def monthly(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """``store.district_month_values`` for a span, read once a deck."""
        key = ("dmv", start, end)
        if key not in self._cache:
            self._cache[key] = store.district_month_values(self.engine, start, end)
        return self._cache[key]

    @property
    def due(self) -> int:
        """Months of the deck's period that have ended by its day (``figures.months_due``)."""
        return figures.months_due(self.period, self.today)

    @property
    def period_text(self) -> str:
        """The period's name, with «دورهٔ جاری: ۲ از ۳ ماه» while it is running."""
        coverage = figures.Coverage(self.due, self.period.month_count)
        return self.period.label + (f" (دورهٔ جاری: {coverage.label})" if coverage.running else "")

    def district_name(self, number: int | None) -> str:
        if number is None:
            return ""
        return self.names.get(int(number), f"منطقه {calendar.to_persian_digits(number)}")


def _as_of(engine: Engine) -> str:
    """«داده‌ها تا آبان ۱۴۰۵ (آخرین بارگذاری: ۶ آذر ۱۴۰۵، ساعت ۱۰:۱۲)»."""
    bounds = store.period_range(engine)
    if bounds is None:
        return "داده‌ای در پایگاه نیست"
    text = f"داده‌ها تا {calendar.month_label_of(bounds[1])}"
    batch = store.latest_batch(engine)
    if batch and batch.get("loaded_at") is not None:
        text += f" (آخرین بارگذاری: {calendar.format_datetime(batch['loaded_at'])})"
    return text


# ---------------------------------------------------------------- the deck


def build_deck(
    engine: Engine,
    views: list[SlideView],
    period: Period,
    district: int | None = None,
    title: str | None = None,
    today: dt.date | None = None,
    due_day: int = compliance.DEFAULT_DUE_DAY,
    review_period: Period | None = None,
) -> bytes:
    """A .pptx (bytes): a title slide, then one 16:9 slide a view, for ``period``, with ``district``
    («منطقهٔ من») highlighted where a view shows districts. ``today`` dates the title slide and
    decides which reports are due (default: today in Tehran). Raises :class:`DeckError` for a view
    that cannot be drawn as asked (an unknown metric, a district page without a district)."""
    catalog = store.metric_catalog(engine)
    _known(catalog, [v.metric for v in views if v.metric])
    reference = store.reference_districts(engine)
    if district is not None and int(district) not in set(reference["district"]):
        raise DeckError(
            f"منطقهٔ {calendar.to_persian_digits(district)} وجود ندارد (۱ تا ۲۲)",
            f"district {district} does not exist (1 to 22)",
        )
    if any(v.kind in DISTRICT_KINDS for v in views) and district is None:
        raise DeckError("برای اسلاید صفحهٔ منطقه، منطقه را انتخاب کنید", "a district slide needs a district")
    ctx = _Context(
        engine=engine,
        period=period,
        district=None if district is None else int(district),
        today=today or calendar.today_in_tehran(),
        due_day=due_day,
        catalog=catalog,
        reference=reference,
        names=dict(zip(reference["district"].astype(int), reference["name_fa"], strict=True)),
        as_of=_as_of(engine),
        review_period=review_period,
    )
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _properties(prs, ctx, title or DEFAULT_TITLE)
    _title_slide(prs, ctx, title or DEFAULT_TITLE)
    for view in views:
        _BUILDERS[view.kind](prs, ctx, view)
    _persian_everywhere(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- Persian text


def _set_font(rpr, size: float | None = None, bold: bool | None = None, colour: RGBColor | None = None) -> None:
    """Size, weight, colour, the Latin font and the complex-script font (``a:cs``) on a run's (or a
    default) character properties element."""
    if size is not None:
        rpr.set("sz", str(int(size * 100)))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if colour is not None:
        for old in rpr.findall(qn("a:solidFill")):
            rpr.remove(old)
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=str(colour))
        rpr.remove(fill)
        rpr.insert(_child_index(rpr, ("a:ln",)), fill)
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    index = _child_index(rpr, ("a:ln", "a:noFill", "a:solidFill", "a:gradFill", "a:effectLst", "a:highlight"))
    for offset, (tag, face) in enumerate((("a:latin", FALLBACK_FONT), ("a:cs", FONT))):
        el = etree.Element(qn(tag), typeface=face)
        rpr.insert(index + offset, el)


# a run's character properties, in the schema's order up to the complex-script font (CT_TextCharacterProperties)
_BEFORE_CS = (
    "a:ln", "a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill", "a:effectLst",
    "a:effectDag", "a:highlight", "a:uLnTx", "a:uLn", "a:uFillTx", "a:uFill", "a:latin", "a:ea",
)  # fmt: skip
# chart elements whose own text properties (``c:txPr``) must say right to left and name the Persian font
_CHART_TEXT = ("c:catAx", "c:valAx", "c:dateAx", "c:serAx", "c:dLbls", "c:dLbl", "c:legend")


def _persian_paragraph(paragraph) -> None:
    """``rtl="1"`` on a paragraph and the complex-script font on each of its runs (and its default and
    end-of-paragraph properties) that does not name one yet."""
    ppr = paragraph.find(qn("a:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("a:pPr"))
        paragraph.insert(0, ppr)
    ppr.set("rtl", "1")
    props = [ppr.find(qn("a:defRPr")), paragraph.find(qn("a:endParaRPr"))]
    for run in paragraph:
        if run.tag in (qn("a:r"), qn("a:fld")):
            rpr = run.find(qn("a:rPr"))
            if rpr is None:
                rpr = etree.Element(qn("a:rPr"))
                run.insert(0, rpr)
            props.append(rpr)
    for rpr in props:
        if rpr is not None and rpr.find(qn("a:cs")) is None:
            rpr.insert(_child_index(rpr, _BEFORE_CS), etree.Element(qn("a:cs"), typeface=FONT))


def _persian_chart_text(chart_space) -> None:
    """Every axis, data-label set, data label and legend of a chart with text properties of its own
    (``c:txPr``) in right-to-left Persian: LibreOffice and PowerPoint do not all inherit the chart's."""
    for tag in _CHART_TEXT:
        for holder in chart_space.iter(qn(tag)):
            if holder.find(qn("c:delete")) is not None and holder.find(qn("c:delete")).get("val") in ("1", "true"):
                continue
            if tag == "c:dLbl" and holder.find(qn("c:tx")) is not None:
                continue  # a label of its own text: its paragraphs are handled below
            if not hasattr(holder, "get_or_add_txPr"):
                continue  # an element python-pptx has no class for: nothing of ours is in it
            txpr = holder.get_or_add_txPr()
            paragraph = txpr.find(qn("a:p"))
            ppr = paragraph.get_or_add_pPr()
            if ppr.find(qn("a:defRPr")) is None:
                ppr.get_or_add_defRPr()
    for paragraph in chart_space.iter(qn("a:p")):
        _persian_paragraph(paragraph)


def _persian_everywhere(prs) -> None:
    """Every text body of the deck (shapes, tables, notes and charts) right to left with the Persian
    complex-script font, whatever wrote it."""
    for slide in prs.slides:
        for paragraph in slide._element.iter(qn("a:p")):
            _persian_paragraph(paragraph)
        if slide.has_notes_slide:
            for paragraph in slide.notes_slide._element.iter(qn("a:p")):
                _persian_paragraph(paragraph)
        for shape in slide.shapes:
            if shape.has_chart:
                _persian_chart_text(shape.chart._chartSpace)


def _child_index(parent, before_tags: tuple[str, ...]) -> int:
    """The position after the last child named in ``before_tags`` (the schema's order)."""
    wanted = {qn(t) for t in before_tags}
    index = 0
    for i, child in enumerate(parent):
        if child.tag in wanted:
            index = i + 1
    return index


def _rtl(paragraph, align: PP_ALIGN = PP_ALIGN.RIGHT) -> None:
    paragraph.alignment = align
    paragraph._p.get_or_add_pPr().set("rtl", "1")


def _write(
    frame,
    lines: Sequence[str] | str,
    size: float = 14,
    bold: bool = False,
    colour: RGBColor = INK,
    align: PP_ALIGN = PP_ALIGN.RIGHT,
) -> None:
    """Replace a text frame's text with ``lines``, one right-to-left paragraph each (``rtl="1"``), its
    run in Persian (``lang="fa-IR"``) with the complex-script font. Written as XML in one parse: a deck
    holds hundreds of table cells, and python-pptx's element-by-element calls would double its time."""
    if isinstance(lines, str):
        lines = [lines]
    body = frame._txBody
    for old in body.findall(qn("a:p")):
        body.remove(old)
    algn = {PP_ALIGN.RIGHT: "r", PP_ALIGN.CENTER: "ctr", PP_ALIGN.LEFT: "l"}.get(align, "r")
    run_props = (
        f'lang="fa-IR" altLang="en-US" sz="{int(size * 100)}" b="{1 if bold else 0}" dirty="0"><a:solidFill>'
        f'<a:srgbClr val="{colour}"/></a:solidFill><a:latin typeface="{FALLBACK_FONT}"/><a:cs typeface="{FONT}"/>'
    )
    paragraphs = "".join(
        f'<a:p><a:pPr algn="{algn}" rtl="1"/><a:r><a:rPr {run_props}</a:rPr><a:t>{escape(line)}</a:t></a:r></a:p>'
        for line in lines
    )
    for paragraph in parse_xml(f"<a:txBody {nsdecls('a')}>{paragraphs}</a:txBody>"):
        body.append(paragraph)
    frame.word_wrap = True


def _text_box(slide, left, top, width, height, lines, **style):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.margin_left = box.text_frame.margin_right = Inches(0.05)
    _write(box.text_frame, lines, **style)
    return box


def _slide(prs, ctx: _Context, heading: str, subheading: str, notes: Sequence[str]):
    """A blank 16:9 slide with its heading, subheading, footnote and speaker notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_WIDTH - 2 * MARGIN
    _text_box(slide, MARGIN, Inches(0.3), width, Inches(0.6), heading, size=26, bold=True)
    _text_box(slide, MARGIN, Inches(0.9), width, Inches(0.4), subheading, size=14, colour=MUTED)
    footnote = _text_box(
        slide, MARGIN, SLIDE_HEIGHT - Inches(0.5), width, Inches(0.35), f"{SOURCE} · {ctx.as_of}", size=10, colour=MUTED
    )
    footnote.name = "footnote"
    _write(slide.notes_slide.notes_text_frame, [heading, subheading, *notes], size=12)
    return slide


BODY_TOP = Inches(1.4)
BODY_HEIGHT = SLIDE_HEIGHT - BODY_TOP - Inches(0.6)


def _title_slide(prs, ctx: _Context, title: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_WIDTH - 2 * MARGIN
    _rectangle(slide, 0, Inches(2.2), SLIDE_WIDTH, Inches(2.6), LINE_COLOUR)
    _text_box(
        slide, MARGIN, Inches(2.45), width, Inches(1.2), title, size=40, bold=True, colour=RGBColor(255, 255, 255)
    )
    lines = [ctx.period_text]
    if ctx.district is not None:
        lines[0] += f" · منطقهٔ من: {ctx.district_name(ctx.district)}"
    _text_box(slide, MARGIN, Inches(3.7), width, Inches(0.8), lines, size=22, colour=RGBColor(255, 255, 255))
    _text_box(slide, MARGIN, Inches(5.3), width, Inches(0.6), CENTRE, size=20, bold=True)
    _text_box(slide, MARGIN, Inches(5.9), width, Inches(0.5), compliance.day_label(ctx.today), size=16, colour=MUTED)
    footnote = _text_box(
        slide, MARGIN, SLIDE_HEIGHT - Inches(0.5), width, Inches(0.35), f"{SOURCE} · {ctx.as_of}", size=10, colour=MUTED
    )
    footnote.name = "footnote"
    _write(
        slide.notes_slide.notes_text_frame,
        [title, ctx.period_text, CENTRE, compliance.day_label(ctx.today), ctx.as_of],
        size=12,
    )


# ---------------------------------------------------------------- values, units, number formats


def _properties(prs, ctx: _Context, title: str) -> None:
    """The deck's own document properties (the library's template would say «Steve Canny, 2013»)."""
    props = prs.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.title = title
    props.subject = ctx.period_text
    props.author = CENTRE
    props.last_modified_by = CENTRE
    props.keywords = "رصد مناطق; " + ctx.period.code
    props.comments = f"{SOURCE} · {ctx.as_of}"
    props.category = "گزارش پایش مناطق"
    props.language = "fa-IR"
    props.created = now
    props.modified = now
    props.last_printed = now
    props.revision = 1


def _fit_category_labels(axis, count: int, height) -> float:
    """Every category named: the label size from the pitch of ``count`` bars over ``height`` (a
    Persian font such as Vazirmatn needs about 1.9 times its size a line), and ``c:tickLblSkip`` 1 so
    no reader (LibreOffice included) skips every other name. Returns the size in points."""
    pitch = height / 12_700 / max(count, 1)
    size = max(6.0, min(11.0, round(pitch / 1.9 * 2) / 2))
    axis.tick_labels.font.size = Pt(size)
    element = axis._element
    for old in element.findall(qn("c:tickLblSkip")):
        element.remove(old)
    skip = parse_xml(f'<c:tickLblSkip {nsdecls("c")} val="1"/>')
    after = [qn(f"c:{t}") for t in ("noMultiLvlLbl", "extLst", "tickMarkSkip")]
    place = next((i for i, child in enumerate(element) if child.tag in after), len(element))
    element.insert(place, skip)
    return size


def _value_text(metric: Metric, value, decimals: int, measure: str = "raw") -> str:
    text = calendar.format_figure(value, decimals, missing="")
    if not text:
        return rankings.NOT_REPORTED
    unit = unit_text(metric, measure)
    return f"{text}{unit}" if unit == "٪" else f"{text} {unit}"


def _decimals(metric: Metric, measure: str, values) -> int:
    return figures.display_decimals(metric, measure, values)


def _number_format(decimals: int) -> str:
    """An Excel number format that writes Persian (extended Arabic-Indic) digits: the ``[$-3000429]``
    prefix asks for native digits of the fa-IR locale; PowerPoint and LibreOffice both honour it."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"[$-3000429]{body}"


def _measure_title(metric: Metric, measure: str) -> str:
    if measure == "raw":
        return metric.name_fa
    return f"{metric.name_fa} ({rankings.MEASURE_LABELS[measure]})"


def _period_values(ctx: _Context, metric: Metric) -> pd.DataFrame:
    """district, value (sum or mean over the period's months), months: what ``rank_districts`` takes."""
    rows = ctx.values(ctx.period)
    rows = rows[rows["metric"] == metric.code]
    value = figures.value_of(rows["total"], rows["months"], metric.aggregation)
    return pd.DataFrame({"district": rows["district"].to_numpy(), "value": value, "months": rows["months"].to_numpy()})


# ---------------------------------------------------------------- charts


def _style_chart(chart, size: float = 12) -> None:
    """Persian text in a chart: the complex-script font and ``rtl`` on its default paragraph."""
    chart.has_title = False
    chart.font.size = Pt(size)
    txpr = chart._chartSpace.get_or_add_txPr()
    paragraph = txpr.find(qn("a:p"))
    paragraph.get_or_add_pPr().set("rtl", "1")
    _set_font(chart.font._rPr, size, colour=INK)


def _rectangle(slide, left, top, width, height, fill: str):
    """A flat rectangle (no outline, no theme shadow) filled with ``fill``."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.shadow.inherit = False
    shape.fill.solid()
    shape.fill.fore_color.rgb = _colour(fill)
    shape.line.fill.background()
    _rtl(shape.text_frame.paragraphs[0])
    return shape


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _view_metric(ctx: _Context, view: SlideView) -> Metric:
    """The metric a metric slide shows (``SlideView`` refuses a metric kind without one)."""
    assert view.metric is not None
    return ctx.catalog[view.metric]


def _ranking_slide(prs, ctx: _Context, view: SlideView) -> None:
    metric = _view_metric(ctx, view)
    measure = rankings.effective_measure(metric, view.measure)
    ranked = rankings.rank_districts(_period_values(ctx, metric), ctx.reference, metric, measure, ctx.due)
    decimals = int(ranked["decimals"].iloc[0])
    shown = ranked[ranked["status"].isin(["ranked", "shown"])]
    apart = ranked[ranked["status"].isin(["incomplete", "no_denominator"])]
    missing = ranked[ranked["status"] == "not_reported"]
    neutral = metric.direction == "neutral"
    heading = f"{'مناطق' if neutral else 'رتبه‌بندی مناطق'}: {_measure_title(metric, measure)}"
    direction = rankings.DIRECTION_LABELS[metric.direction]
    sub = f"{ctx.period_text} · {unit_text(metric, measure)} · {direction}"
    notes = []
    for row in ranked.to_dict("records"):
        place = "" if pd.isna(row["rank"]) else f"رتبهٔ {calendar.to_persian_digits(int(row['rank']))} · "
        why = rankings.standing_note(row) if row["status"] in ("incomplete", "no_denominator") else ""
        value = _value_text(metric, row["value"], decimals, measure) if row["status"] != "no_denominator" else ""
        notes.append(f"{row['name_fa']}: {place}{value}" + (f" ({why})" if why else ""))
    slide = _slide(prs, ctx, heading, sub, notes)
    data = CategoryChartData(number_format=_number_format(decimals))
    data.categories = list(shown["name_fa"])
    data.add_series(_measure_title(metric, measure), [float(v) for v in shown["value"]])
    note_lines = []
    if len(apart):
        note_lines.append(
            "بیرون از رتبه‌بندی، با ماه‌های گزارش‌شده: "
            + "، ".join(f"{r['name_fa']} ({rankings.standing_note(r)})" for r in apart.to_dict("records"))
        )
    if len(missing):
        note_lines.append(f"{rankings.NOT_REPORTED} (بیرون از رتبه‌بندی، نه صفر): " + "، ".join(missing["name_fa"]))
    note_height = Inches(0.45) * len(note_lines)
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED,
        MARGIN,
        BODY_TOP,
        SLIDE_WIDTH - 2 * MARGIN,
        BODY_HEIGHT - note_height,
        data,
    )
    chart = frame.chart
    _style_chart(chart, 11)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.vary_by_categories = False
    base = _colour(NEUTRAL_BAR if neutral else LINE_COLOUR)
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = base
    for i, number in enumerate(shown["district"]):
        if ctx.district is not None and int(number) == ctx.district:
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _colour(HIGHLIGHT_COLOUR)
            point.format.line.color.rgb = _colour(HIGHLIGHT_COLOUR)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = _number_format(decimals)
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(10)
    category = chart.category_axis
    label_size = _fit_category_labels(category, len(shown), BODY_HEIGHT - note_height)
    labels.font.size = Pt(min(10.0, label_size))
    category.reverse_order = True  # the best (the first row) at the top
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.format.line.color.rgb = PALE
    value_axis = chart.value_axis
    value_axis.reverse_order = True  # bars grow from the right, beside the names, as a Persian reader reads
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    if note_lines:
        _text_box(
            slide,
            MARGIN,
            BODY_TOP + BODY_HEIGHT - note_height,
            SLIDE_WIDTH - 2 * MARGIN,
            note_height,
            note_lines,
            size=12,
            colour=MUTED,
        )


def _trend_slide(prs, ctx: _Context, view: SlideView) -> None:
    metric = _view_metric(ctx, view)
    last = ctx.period.months[-1]
    first = calendar.add_months(*last, -(TREND_MONTHS - 1))
    start, end = calendar.month_start(*first), calendar.month_start(*calendar.add_months(*last, 1))
    series = store.city_series(ctx.engine, metric.code, metric.aggregation, start, end)
    labels = [calendar.month_label(y, m) for y, m in calendar.months_between(first, last)]
    starts = [calendar.month_start(y, m) for y, m in calendar.months_between(first, last)]
    by_start = {p: (v, int(n)) for p, v, n in zip(series["period"], series["value"], series["districts"], strict=True)}
    decimals = metric.decimals
    complete = [by_start[s][0] if s in by_start and by_start[s][1] >= DISTRICTS_TOTAL else None for s in starts]
    partial = [by_start[s][0] if s in by_start and by_start[s][1] < DISTRICTS_TOTAL else None for s in starts]
    total = calendar.to_persian_digits(DISTRICTS_TOTAL)
    notes = []
    for label, s in zip(labels, starts, strict=True):
        if s not in by_start:
            notes.append(f"{label}: {rankings.NOT_REPORTED}")
            continue
        value, n = by_start[s]
        extra = "" if n >= DISTRICTS_TOTAL else f" (ناقص: {calendar.to_persian_digits(n)} از {total} منطقه)"
        notes.append(f"{label}: {_value_text(metric, value, decimals)}{extra}")
    how = "جمع مناطق" if metric.aggregation == "sum" else "میانگین مناطق"
    heading = f"روند شهر: {metric.name_fa}"
    sub = (
        f"{calendar.to_persian_digits(TREND_MONTHS)} ماه تا {calendar.month_label(*last)} · {how} · {unit_text(metric)}"
    )
    slide = _slide(prs, ctx, heading, sub, notes)
    data = CategoryChartData(number_format=_number_format(decimals))
    data.categories = labels
    data.add_series(f"ماه کامل (هر {total} منطقه)", complete)
    has_partial = any(v is not None for v in partial)
    if has_partial:
        data.add_series("ماه ناقص: همهٔ مناطق گزارش نداده‌اند", partial)
        # the ring's white inside, drawn over it: LibreOffice paints a marker without a fill
        # (``a:noFill``) in its outline's colour, so a hollow point needs a white one on top
        data.add_series(HOLLOW_SERIES, partial)
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, BODY_HEIGHT, data
    ).chart
    _style_chart(chart, 11)
    chart.has_legend = has_partial
    if has_partial:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    line = chart.plots[0].series[0]
    line.smooth = False
    line.format.line.color.rgb = _colour(LINE_COLOUR)
    line.format.line.width = Pt(2.5)
    line.marker.style = XL_MARKER_STYLE.CIRCLE
    line.marker.size = 6
    line.marker.format.fill.solid()
    line.marker.format.fill.fore_color.rgb = _colour(LINE_COLOUR)
    _gaps_span(chart)
    if has_partial:
        dots = chart.plots[0].series[1]
        dots.format.line.fill.background()
        dots.marker.style = XL_MARKER_STYLE.CIRCLE
        dots.marker.size = 11
        dots.marker.format.fill.background()
        dots.marker.format.line.color.rgb = _colour(INCOMPLETE_COLOUR)
        dots.marker.format.line.width = Pt(2.25)
        inside = chart.plots[0].series[2]
        inside.format.line.fill.background()
        inside.marker.style = XL_MARKER_STYLE.CIRCLE
        inside.marker.size = 6
        inside.marker.format.fill.solid()
        inside.marker.format.fill.fore_color.rgb = _colour("#FFFFFF")
        inside.marker.format.line.fill.background()
        _hide_legend_entry(chart, 2)
    category = chart.category_axis
    category.tick_labels.font.size = Pt(10)
    category.major_tick_mark = XL_TICK_MARK.NONE
    value_axis = chart.value_axis
    value_axis.tick_labels.number_format = _number_format(decimals)
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE6, 0xE6, 0xE6)
    value_axis.format.line.fill.background()
    category.reverse_order = True  # right to left: the oldest month on the right, the value axis beside it


HOLLOW_SERIES = "درون نشانهٔ ماه ناقص"


def _hide_legend_entry(chart, index: int) -> None:
    """Leave series ``index`` out of the legend (``c:legendEntry`` with ``c:delete``, after ``c:legendPos``)."""
    legend = chart._chartSpace.find(qn("c:chart")).find(qn("c:legend"))
    entry = etree.Element(qn("c:legendEntry"))
    etree.SubElement(entry, qn("c:idx"), val=str(index))
    etree.SubElement(entry, qn("c:delete"), val="1")
    legend.insert(_child_index(legend, ("c:legendPos", "c:legendEntry")), entry)


def _gaps_span(chart) -> None:
    """A month missing from the line is bridged (``dispBlanksAs="span"``), as on the dashboard."""
    c_chart = chart._chartSpace.find(qn("c:chart"))
    blanks = c_chart.find(qn("c:dispBlanksAs"))
    if blanks is None:
        blanks = etree.SubElement(c_chart, qn("c:dispBlanksAs"))
        c_chart.remove(blanks)
        after = c_chart.find(qn("c:plotVisOnly"))
        (after.addnext(blanks) if after is not None else c_chart.append(blanks))
    blanks.set("val", "span")


def _bump_slide(prs, ctx: _Context, view: SlideView) -> None:
    metric = _view_metric(ctx, view)
    measure = rankings.effective_measure(metric, view.measure)
    bounds = store.period_range(ctx.engine)
    periods = rankings.recent_periods(ctx.period, BUMP_PERIODS, first=bounds[0] if bounds else None)
    monthly = store.district_months(ctx.engine, metric.code, periods[0].start, periods[-1].end)
    history = rankings.rank_history(monthly, ctx.reference, metric, periods, measure, ctx.today)
    # no column for a period in which nobody holds a rank (before the data, or a year not yet due)
    held = set(history.loc[history["rank"].notna(), "position"])
    kept = [i for i in range(len(periods)) if i in held] or list(range(len(periods)))
    periods = [periods[i] for i in kept]
    history = history[history["position"].isin(kept)].assign(position=lambda f: f["position"].map(kept.index))
    labels = [p.label for p in periods]
    heading = f"روند رتبه‌ها: {_measure_title(metric, measure)}"
    sub = f"{calendar.to_persian_digits(len(periods))} دورهٔ اخیر تا {ctx.period.label} · رتبهٔ ۱ در بالا · {rankings.DIRECTION_LABELS[metric.direction]}"
    table = history.pivot_table(index="district", columns="position", values="rank", aggfunc="first", dropna=False)
    table = table.reindex(index=sorted(ctx.names), columns=range(len(periods)))
    notes = []
    for number, row in table.iterrows():
        ranks = "، ".join(
            f"{label} {'—' if pd.isna(r) else calendar.to_persian_digits(int(r))}"
            for label, r in zip(labels, row, strict=True)
        )
        notes.append(f"{ctx.district_name(number)}: {ranks}")
    slide = _slide(prs, ctx, heading, sub, notes)
    data = CategoryChartData(number_format=_number_format(0))
    data.categories = labels
    order = sorted(ctx.names, key=lambda d: (d == ctx.district, d))  # mine drawn last, on top
    for number in order:
        data.add_series(ctx.district_name(number), [None if pd.isna(r) else float(r) for r in table.loc[number]])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, BODY_HEIGHT, data
    ).chart
    _style_chart(chart, 11)
    chart.has_legend = False
    ranked = history.groupby("position")["ranked"].max()
    top = int(ranked.max()) if len(ranked) and ranked.max() > 0 else DISTRICTS_TOTAL
    last = table.iloc[:, -1].dropna().sort_values()
    leaders = set(last.index[:BUMP_LEADERS].astype(int))
    for series, number in zip(chart.plots[0].series, order, strict=True):
        series.smooth = False
        mine = ctx.district is not None and number == ctx.district
        leader = number in leaders and not mine
        colour = _colour(HIGHLIGHT_COLOUR) if mine else _colour(LINE_COLOUR) if leader else PALE
        series.format.line.color.rgb = colour
        series.format.line.width = Pt(4.5 if mine else 2.0 if leader else 1.25)
        if (mine or leader) and not pd.isna(table.loc[number].iloc[-1]):
            # the name at the line's newest end, so the leaders and my district read without a hover
            point = series.points[len(periods) - 1].data_label
            point.has_text_frame = True
            point.position = XL_LABEL_POSITION.LEFT
            _write(point.text_frame, ctx.district_name(number), size=10, bold=mine, colour=colour)
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 9 if mine else 4
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
        series.marker.format.line.color.rgb = colour
        if mine:
            labels_ = series.data_labels
            labels_.show_value = True
            labels_.number_format = _number_format(0)
            labels_.number_format_is_linked = False
            labels_.position = XL_LABEL_POSITION.ABOVE
            labels_.font.size = Pt(11)
            labels_.font.bold = True
    value_axis = chart.value_axis
    value_axis.reverse_order = True  # rank 1 at the top
    value_axis.minimum_scale = 1
    value_axis.maximum_scale = top
    value_axis.major_unit = 1 if top <= 12 else 3
    value_axis.tick_labels.number_format = _number_format(0)
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xEE, 0xEE, 0xEE)
    chart.category_axis.major_tick_mark = XL_TICK_MARK.NONE
    chart.category_axis.tick_labels.font.size = Pt(10)
    chart.category_axis.reverse_order = True  # right to left: the oldest period on the right
    value_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # the period labels under the last rank, at the bottom
    legend = f"سبز: سه منطقهٔ نخست در {periods[-1].label}، با نامشان؛ خاکستری: دیگر مناطق؛ جای خالی: بدون رتبه"
    if ctx.district is not None:
        legend = f"نارنجی پررنگ: {ctx.district_name(ctx.district)} (منطقهٔ من)؛ " + legend
    _text_box(slide, MARGIN, Inches(1.2), SLIDE_WIDTH - 2 * MARGIN, Inches(0.3), legend, size=11, colour=MUTED)


# ---------------------------------------------------------------- the tile map


def _dotted_outline(shape) -> None:
    """The dotted amber outline of a district that reported only some of the months due."""
    shape.line.color.rgb = _colour(PARTIAL_TILE_LINE)
    shape.line.width = Pt(2)
    shape.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT


def _tile_map_slide(prs, ctx: _Context, view: SlideView) -> None:
    metric = _view_metric(ctx, view)
    measure = rankings.effective_measure(metric, view.measure)
    tiles = overview.district_tiles(ctx.reference, ctx.values(ctx.period), metric)
    tiles["value"] = rankings.apply_measure(
        tiles["value"].astype(float), tiles["population"], tiles["area_km2"], measure
    )
    decimals = _decimals(metric, measure, tiles["value"])
    heading = f"نقشهٔ مناطق: {_measure_title(metric, measure)}"
    sub = f"{ctx.period.label} · {unit_text(metric, measure)} · {colour_meaning(metric)}"
    # a district that reported only some of the months due is not coloured by its partial sum
    partial = dict(zip(tiles["district"], figures.is_partial(tiles["months"], ctx.due), strict=True))
    notes = [
        f"{t.name_fa}: {_value_text(metric, t.value, decimals, measure)}"
        + (f" ({figures.partial_note(int(t.months), ctx.due)})" if partial[t.district] else "")
        for t in tiles.itertuples(index=False)
    ]
    slide = _slide(prs, ctx, heading, sub, notes)
    rows = int(tiles["tile_row"].max()) + 1
    cols = int(tiles["tile_col"].max()) + 1
    legend_width = Inches(3.2)
    area_width = SLIDE_WIDTH - 2 * MARGIN - legend_width - Inches(0.3)
    side = int(min(area_width / cols, BODY_HEIGHT / rows))
    gap = int(side * 0.06)
    left0 = MARGIN + (area_width - side * cols) // 2  # the map on the left, its legend on the right
    top0 = BODY_TOP + (BODY_HEIGHT - side * rows) // 2
    values = tiles["value"][~tiles["district"].map(partial)].dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    scale = colour_scale(metric)
    for t in tiles.itertuples(index=False):
        left = left0 + int(t.tile_col) * side + gap // 2
        top = top0 + int(t.tile_row) * side + gap // 2
        reported = not pd.isna(t.value)
        incomplete = reported and partial[t.district]
        share = 0.5 if high == low else (float(t.value) - low) / (high - low) if reported else 0.0
        fill = MISSING_COLOUR if not reported else PARTIAL_TILE_COLOUR if incomplete else scale_colour(scale, share)
        shape = _rectangle(slide, left, top, side - gap, side - gap, fill)
        shape.name = f"district {int(t.district)}"
        mine = ctx.district is not None and int(t.district) == ctx.district
        if mine:
            shape.line.color.rgb = _colour(HIGHLIGHT_COLOUR)
            shape.line.width = Pt(4)
        elif incomplete:
            _dotted_outline(shape)
        else:
            shape.line.fill.background()
        ink = _colour(readable_ink(fill))  # contrast of at least 4.5:1 on every tile
        frame = shape.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(0.02)
        number = calendar.to_persian_digits(int(t.district))
        shown = (
            figures.INCOMPLETE
            if incomplete
            else calendar.format_figure(t.value, decimals, missing="")
            if reported
            else "؟"
        )
        _write(frame, [number, shown], size=13, bold=True, colour=ink, align=PP_ALIGN.CENTER)
        frame.paragraphs[1].runs[0].font.bold = False
        frame.paragraphs[1].runs[0].font.size = Pt(11)
    # the legend, on the right (where a Persian reader starts): what darker means, the range, grey = not reported
    lx = SLIDE_WIDTH - MARGIN - legend_width
    steps = 5
    swatch = int(legend_width / steps)
    for i in range(steps):
        x = lx + (steps - 1 - i) * swatch  # lightest on the right
        _rectangle(slide, x, BODY_TOP + Inches(0.6), swatch, Inches(0.3), scale_colour(scale, i / (steps - 1)))
    _text_box(slide, lx, BODY_TOP, legend_width, Inches(0.5), colour_meaning(metric), size=13, bold=True)
    _text_box(
        slide,
        lx,
        BODY_TOP + Inches(0.95),
        legend_width,
        Inches(0.9),
        [
            f"کمترین: {calendar.format_figure(low, decimals)} · بیشترین: {calendar.format_figure(high, decimals)}",
            f"واحد: {unit_text(metric, measure)}",
        ],
        size=11,
        colour=MUTED,
    )
    _rectangle(
        slide, lx + legend_width - Inches(0.3), BODY_TOP + Inches(1.95), Inches(0.3), Inches(0.3), MISSING_COLOUR
    )
    _text_box(
        slide,
        lx,
        BODY_TOP + Inches(1.9),
        legend_width - Inches(0.4),
        Inches(0.4),
        f"خاکستری «؟»: {rankings.NOT_REPORTED}",
        size=11,
        colour=MUTED,
    )
    key_top = BODY_TOP + Inches(2.4)
    if any(partial[d] for d in tiles.loc[tiles["value"].notna(), "district"]):
        swatch_box = _rectangle(
            slide,
            lx + legend_width - Inches(0.3),
            key_top + Inches(0.05),
            Inches(0.3),
            Inches(0.3),
            PARTIAL_TILE_COLOUR,
        )
        _dotted_outline(swatch_box)
        _text_box(
            slide,
            lx,
            key_top,
            legend_width - Inches(0.4),
            Inches(0.6),
            f"کم‌رنگ با قاب نقطه‌چین: {PARTIAL_TILE_KEY}؛ رقمش رنگ نمی‌گیرد",
            size=11,
            colour=MUTED,
        )
        key_top += Inches(0.7)
    if ctx.district is not None:
        _text_box(
            slide,
            lx,
            key_top,
            legend_width,
            Inches(0.6),
            f"قاب نارنجی: {ctx.district_name(ctx.district)} (منطقهٔ من)",
            size=11,
            colour=_colour(HIGHLIGHT_COLOUR),
        )


# ---------------------------------------------------------------- tables


_CHANGE_COLOURS = {"good": "#1e7a52", "bad": "#b03a2e"}
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's «No Style, No Grid»
HEADER_FILL, BAND_FILL, RULE = "#0f6e6e", "#f1f5f6", "#d5dde0"


def _table(slide, rows: list[list[str]], left, top, width, height, widths: Sequence[float], size: float = 10):
    """A native table, right to left: the first column of ``rows`` is drawn on the right. Styled as
    the charts are: a teal header in white, light bands, thin rules (not the library's blue theme)."""
    n_rows, n_cols = len(rows), len(rows[0])
    shape = slide.shapes.add_table(n_rows, n_cols, left, top, width, height)
    table = shape.table
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("a:tableStyleId")):
        tbl_pr.remove(old)
    style = parse_xml(f"<a:tableStyleId {nsdecls('a')}>{NO_STYLE_TABLE}</a:tableStyleId>")
    tbl_pr.append(style)
    tbl_pr.set("firstRow", "1")
    tbl_pr.set("bandRow", "0")
    total = sum(widths)
    grid = table._tbl.tblGrid.gridCol_lst
    for j, w in enumerate(widths):
        grid[n_cols - 1 - j].w = Emu(int(width * w / total))  # on the XML: python-pptx re-sums every change
    row_height = Emu(int(height / n_rows))
    rows_xml = table._tbl.tr_lst
    side, edge = Inches(0.04), Inches(0.01)
    for i in range(n_rows):
        rows_xml[i].h = row_height
        for j in range(n_cols):
            cell = table.cell(i, n_cols - 1 - j)
            props = cell._tc.get_or_add_tcPr()  # margins and anchor on the XML at once
            for name, value in (("marL", side), ("marR", side), ("marT", edge), ("marB", edge), ("anchor", "ctr")):
                props.set(name, str(value))
            align = PP_ALIGN.RIGHT if j == 0 else PP_ALIGN.CENTER
            header = i == 0
            fill = HEADER_FILL if header else BAND_FILL if i % 2 == 0 else "#ffffff"
            cell.fill.solid()
            cell.fill.fore_color.rgb = _colour(fill)
            _rule(props)
            ink = RGBColor(255, 255, 255) if header else INK
            _write(cell.text_frame, rows[i][j], size=size, bold=header, colour=ink, align=align)
    return table


def _rule(props) -> None:
    """A thin light rule under a table cell (``a:lnB``), placed before its fill as the schema orders."""
    for old in props.findall(qn("a:lnB")):
        props.remove(old)
    line = parse_xml(
        f'<a:lnB {nsdecls("a")} w="6350"><a:solidFill><a:srgbClr val="{RULE.lstrip("#").upper()}"/></a:solidFill></a:lnB>'
    )
    props.insert(0, line)


def _cell(table, i: int, j: int):
    """Cell ``j`` counted from the right, as ``_table`` lays them out."""
    return table.cell(i, len(table.columns) - 1 - j)


def _district_slide(prs, ctx: _Context, view: SlideView) -> None:
    number = ctx.district
    assert number is not None  # build_deck refuses a district slide without a district
    p = ctx.period
    frame = district_mod.summary(
        ctx.values(p),
        ctx.monthly(*figures.comparison_span(p)),
        p,
        ctx.reference,
        ctx.catalog,
        number,
        view.measure,
        today=ctx.today,
    )
    name = ctx.district_name(number)
    heading = f"{name}: همهٔ شاخص‌ها"
    sub = f"{ctx.period_text} · رتبه میان مناطقی که همهٔ ماه‌ها را گزارش داده‌اند · صدک ۱۰۰ = بهترین جایگاه"
    header = [
        "شاخص",
        "مقدار",
        "رتبه",
        "صدک",
        f"نسبت به {p.previous().label}",
        f"نسبت به {p.year_before().label}",
        "میانهٔ مناطق",
    ]
    once = p.previous() == p.year_before()  # a year: the period before is the year before, one column
    if once:
        header.pop(5)
    rows = [header]
    change_tones: list[list[str | None]] = []
    for r in frame.itertuples(index=False):
        metric = ctx.catalog[r.metric]
        decimals = int(r.decimals)
        changes = [r.change_previous] if once else [r.change_previous, r.change_last_year]
        change_tones.append(
            [_CHANGE_COLOURS.get(overview.change_tone(metric, c)[0]) if c is not None else None for c in changes]
        )
        if pd.isna(r.rank):
            place = rankings.standing_note(r._asdict()) or (rankings.NOT_RANKED if r.reported else "—")
        else:
            place = f"{calendar.to_persian_digits(int(r.rank))} از {calendar.to_persian_digits(int(r.ranked))}"
        rows.append(
            [
                _measure_title(metric, r.measure),
                _value_text(metric, r.value, decimals, r.measure),
                place,
                "—" if r.percentile is None or pd.isna(r.percentile) else calendar.to_persian_digits(int(r.percentile)),
                *[calendar.format_percent_change(c) for c in changes],
                _value_text(metric, r.city_median, decimals, r.measure),
            ]
        )
    tones = [
        {"good": "#2f9e6e", "bad": "#c0392b"}.get(
            rankings.rank_tone(None if pd.isna(r.rank) else int(r.rank), int(r.ranked))
        )
        for r in frame.itertuples(index=False)
    ]
    body = rows[1:]
    pages = [body[i : i + DISTRICT_ROWS] for i in range(0, len(body), DISTRICT_ROWS)] or [[]]
    for n, page in enumerate(pages):
        title = heading
        if len(pages) > 1:  # a long catalog goes on over more slides, never in unreadable type
            title += f" ({calendar.to_persian_digits(n + 1)} از {calendar.to_persian_digits(len(pages))})"
        slide = _slide(prs, ctx, title, sub, [" | ".join(row) for row in (header, *page)])
        table = _table(
            slide,
            [header, *page],
            MARGIN,
            BODY_TOP,
            SLIDE_WIDTH - 2 * MARGIN,
            Emu(int(BODY_HEIGHT * (len(page) + 1) / (DISTRICT_ROWS + 1))),
            (3.2, 2.0, 1.7, 0.7, 1.5, 1.8) if once else (3.2, 2.0, 1.7, 0.7, 1.4, 1.4, 1.7),
            11,
        )
        for i, colour in enumerate(tones[n * DISTRICT_ROWS : (n + 1) * DISTRICT_ROWS], start=1):
            if colour:
                run = _cell(table, i, 2).text_frame.paragraphs[0].runs[0]
                run.font.color.rgb = _colour(colour)
        # a change in green when it is good news and in red when bad, as on the page
        for i, colours in enumerate(change_tones[n * DISTRICT_ROWS : (n + 1) * DISTRICT_ROWS], start=1):
            for k, colour in enumerate(colours):
                if colour:
                    run = _cell(table, i, 4 + k).text_frame.paragraphs[0].runs[0]
                    run.font.color.rgb = _colour(colour)


def _compliance_slide(prs, ctx: _Context, view: SlideView) -> None:
    last = compliance.window_end(ctx.today, ctx.period.months[-1])
    months = compliance.window(last)
    start = calendar.month_start(*months[0])
    end = calendar.month_start(*calendar.add_months(*months[-1], 1))
    record = store.reporting_record(ctx.engine, start, end)
    districts = sorted(ctx.names)
    states = compliance.month_states(record, districts, months, len(ctx.catalog), ctx.today, ctx.due_day)
    heading = "پایش گزارش‌دهی مناطق"
    sub = (
        f"{calendar.month_label(*months[0])} تا {calendar.month_label(*months[-1])} · "
        f"موعد: روز {calendar.to_persian_digits(ctx.due_day)} ماه بعد"
    )
    short = {
        compliance.ON_TIME: "به‌موقع",
        compliance.PARTIAL: "ناقص",
        compliance.MISSING: "؟",
        compliance.NOT_DUE: "—",
    }
    grid = {
        (d, y, m): {"state": s, "days_late": late}
        for d, y, m, s, late in zip(
            states["district"], states["year"], states["month"], states["state"], states["days_late"], strict=True
        )
    }
    rows = [
        ["منطقه", *[f"{calendar.MONTHS_FA[m - 1]} {calendar.to_persian_digits(f'{y % 100:02d}')}" for y, m in months]]
    ]
    notes = []
    for d in districts:
        cells = []
        said = []
        for y, m in months:
            s = grid[(d, y, m)]
            text = (
                f"+{calendar.to_persian_digits(int(s['days_late']))} روز"
                if s["state"] == compliance.LATE
                else short[s["state"]]
            )
            cells.append(text)
            said.append(f"{calendar.month_label(y, m)} {compliance.STATE_LABELS[s['state']]}")
        rows.append([ctx.district_name(d), *cells])
        notes.append(f"{ctx.district_name(d)}: {'، '.join(said)}")
    slide = _slide(prs, ctx, heading, sub, notes)
    legend_height = Inches(0.35)
    table = _table(
        slide,
        rows,
        MARGIN,
        BODY_TOP,
        SLIDE_WIDTH - 2 * MARGIN,
        BODY_HEIGHT - legend_height,
        (1.4, *[1.0] * len(months)),
        8,
    )
    for i, d in enumerate(districts, start=1):
        mine = ctx.district is not None and d == ctx.district
        for j, (y, m) in enumerate(months, start=1):
            state = grid[(d, y, m)]["state"]
            cell = _cell(table, i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _colour(COMPLIANCE_COLOURS[state])
            cell.text_frame.paragraphs[0].runs[0].font.color.rgb = _colour(readable_ink(COMPLIANCE_COLOURS[state]))
        name_cell = _cell(table, i, 0)
        if mine:
            name_cell.fill.solid()
            name_cell.fill.fore_color.rgb = _colour(HIGHLIGHT_COLOUR)
            run = name_cell.text_frame.paragraphs[0].runs[0]
            run.font.bold = True
            run.font.color.rgb = RGBColor(255, 255, 255)
    # the legend: a swatch of each state's colour with its words, right to left as the grid reads
    top = BODY_TOP + BODY_HEIGHT - legend_height + Inches(0.08)
    x = SLIDE_WIDTH - MARGIN
    swatch, step = Inches(0.22), Inches(1.95)
    for state in compliance.STATES:
        sample = short.get(state, f"+{calendar.to_persian_digits(3)} روز")
        x -= swatch
        box = _rectangle(slide, x, top, swatch, swatch, COMPLIANCE_COLOURS[state])
        box.name = f"legend {state}"
        _text_box(
            slide,
            x - step + swatch,
            top - Inches(0.05),
            step - swatch - Inches(0.05),
            Inches(0.3),
            compliance.STATE_LABELS[state]
            + (f" («{sample}»)" if sample and sample != compliance.STATE_LABELS[state] else ""),
            size=10,
            colour=MUTED,
        )
        x -= step - swatch
    if ctx.district:
        _text_box(
            slide,
            MARGIN,
            top - Inches(0.05),
            x - MARGIN,
            Inches(0.3),
            f"نارنجی: {ctx.district_name(ctx.district)} (منطقهٔ من)",
            size=10,
            colour=_colour(HIGHLIGHT_COLOUR),
        )


# ---------------------------------------------------------------- the review pack's slides

REVIEW_ROWS = 8  # commitments or actions on a slide; more go on to the next


def _pack(ctx: _Context) -> review_pack.Pack:
    period = ctx.review_period or ctx.period
    key = ("pack", ctx.district, period.code)
    if key not in ctx._cache:
        ctx._cache[key] = review_pack.read_pack(ctx.engine, int(ctx.district or 0), period, ctx.catalog, ctx.today)
    return ctx._cache[key]


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _paged_table(
    prs, ctx: _Context, heading: str, sub: str, header: list[str], body: list[list[str]], widths, empty: str
):
    """``body`` under ``header`` over as many slides as it needs (``REVIEW_ROWS`` a slide); one slide
    saying ``empty`` when there is nothing."""
    if not body:
        slide = _slide(prs, ctx, heading, sub, [empty])
        _text_box(slide, MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, Inches(0.6), empty, size=18, colour=MUTED)
        return
    pages = [body[i : i + REVIEW_ROWS] for i in range(0, len(body), REVIEW_ROWS)]
    for n, page in enumerate(pages):
        title = heading
        if len(pages) > 1:
            title += f" ({calendar.to_persian_digits(n + 1)} از {calendar.to_persian_digits(len(pages))})"
        slide = _slide(prs, ctx, title, sub, [" | ".join(row) for row in (header, *page)])
        _table(
            slide,
            [header, *page],
            MARGIN,
            BODY_TOP,
            SLIDE_WIDTH - 2 * MARGIN,
            Emu(int(BODY_HEIGHT * (len(page) + 1) / (REVIEW_ROWS + 1))),
            widths,
            11,
        )


def _follow_up_slide(prs, ctx: _Context, view: SlideView) -> None:
    pack = _pack(ctx)
    last = pack.last_meeting
    sub = (
        f"جلسهٔ پیشین: {compliance.day_label(last.day)}"
        if last is not None
        else "پیش از این جلسهٔ برگزارشده‌ای ثبت نشده است"
    ) + f" · وضعیت تا {compliance.day_label(ctx.today)}"
    body = []
    for f in pack.follow_up + pack.made_here:
        c = f.commitment
        state = reviews.STATE_LABELS[f.state] + (
            f" ({calendar.to_persian_digits(f.days_late)} روز)" if f.days_late else ""
        )
        metric = ctx.catalog.get(c.metric) if c.metric else None
        body.append(
            [
                _clip(c.text, 90),
                state,
                c.owner or "—",
                compliance.day_label(c.due_on),
                _clip(review_pack.movement_text(f.movement, metric), 90) if metric else "—",
            ]
        )
    _paged_table(
        prs,
        ctx,
        f"{ctx.district_name(ctx.district)}: پیگیری تعهدها",
        sub,
        ["تعهد", "وضعیت", "مسئول", "موعد", "شاخص و تغییر آن (همسان با همسان)"],
        body,
        (3.6, 1.3, 1.3, 1.3, 3.4),
        "تعهد بازی از جلسه‌های پیشین نیست.",
    )


def _district_alerts_slide(prs, ctx: _Context, view: SlideView) -> None:
    found = alerts.attention(
        ctx.period,
        ctx.catalog,
        ctx.monthly(*alerts.alert_span(ctx.period)),
        store.targets(ctx.engine, ctx.period.start, ctx.period.end),
        None,
        names=ctx.names,
        districts_total=len(ctx.names),
        rules=alerts.AlertRules.from_settings(config.settings()),
        top=None,
        district=ctx.district,
    )
    rows = found.items[found.items["kind"] != "missing_report"]
    body = [[alerts.KIND_LABELS[r.kind], _clip(r.text, 160)] for r in rows.itertuples(index=False)]
    _paged_table(
        prs,
        ctx,
        f"{ctx.district_name(ctx.district)}: هشدارها",
        ctx.period_text,
        ["نوع", "هشدار"],
        body,
        (1.6, 8.4),
        f"برای {ctx.period.label} هشداری نیست.",
    )


def _actions_slide(prs, ctx: _Context, view: SlideView) -> None:
    pack = _pack(ctx)
    body = []
    for a in pack.actions:
        coverage = "، ".join(
            f"{calendar.format_number(n)} {label}"
            for n, label in ((a.news_items, "خبر"), (a.social_posts, "پست"), (a.public_meetings, "نشست مردمی"))
            if n is not None
        )
        body.append(
            [
                _clip(a.title, 70),
                compliance.day_label(a.occurred_on),
                _clip(a.category, 30),
                coverage or "—",
                _clip(a.feedback or "—", 70),
            ]
        )
    _paged_table(
        prs,
        ctx,
        f"{ctx.district_name(ctx.district)}: اقدامات شاخص",
        (ctx.review_period or ctx.period).label,
        ["اقدام", "تاریخ", "دسته", "پوشش رسانه‌ای", "بازخورد شهروندان"],
        body,
        (3.4, 1.5, 1.5, 2.2, 2.6),
        f"برای {(ctx.review_period or ctx.period).label} اقدام شاخصی ثبت نشده است.",
    )


_BUILDERS = {
    "tile_map": _tile_map_slide,
    "ranking": _ranking_slide,
    "trend": _trend_slide,
    "bump": _bump_slide,
    "district": _district_slide,
    "compliance": _compliance_slide,
    "follow_up": _follow_up_slide,
    "district_alerts": _district_alerts_slide,
    "actions": _actions_slide,
}

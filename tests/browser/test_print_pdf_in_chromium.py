"""Each page printed to PDF by Chromium on A4 landscape reads on paper: few sheets, the first one
used, no heading left alone at a sheet's foot, no chart wider than the sheet, and the page's title,
period, metric and «داده‌ها تا» on every sheet (ui/printing.py). The PDFs and a picture of each sheet
go to test-artifacts/print-*.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tools.browser import goto_settled, new_page
from tools.streamlit_server import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
A4_LANDSCAPE_POINTS = (842, 595)
# the sheet's printable width in CSS pixels (297 mm less two 12 mm margins) and the scale the print
# stylesheet draws the page at (ui/theme.py, zoom on the main block)
PRINTABLE_WIDTH_PX = (297 - 2 * 12) / 25.4 * 96
PRINT_SCALE = 0.75
_WIDEST_CHART = "() => Math.max(0, ...Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.getBoundingClientRect().width))"
# the bidi marks pdftotext writes around runs of Persian and digits
# and the separators, which its reordering moves around digits
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069·]")
_HEADINGS = """() => Array.from(document.querySelectorAll('[data-testid=stMain] :is(h1, h2, h3)'))
  .map(h => h.innerText.trim()).filter(Boolean)"""

PAGES = [
    # name, path, title, period, metric, at most this many sheets, the first sheet used at least this far down
    ("overview", "", "نمای کلی مناطق ۲۲گانه", "آبان ۱۴۰۵", "گزارش‌های ارسالی به مرکز", 3, 0.6),
    (
        "rankings",
        "/rankings?metric=news_published&period=1405-07",
        "رتبه‌بندی مناطق",
        "مهر ۱۴۰۵",
        "اخبار منتشرشده",
        3,
        0.6,
    ),
    ("district", "/district?district=7&metric=news_published", "منطقه ۷", "آبان ۱۴۰۵", "اخبار منتشرشده", 4, 0.6),
    # the reporting grid fills a sheet of its own: the first holds the overdue table
    ("reporting", "/reporting", "پایش گزارش‌دهی مناطق", "آبان ۱۴۰۵", None, 4, 0.3),
    # the review pack: commitments, figures, record, alerts and actions; its forms are not printed
    ("review", "/review?district=10&period=1405-08", "بازبینی منطقه ۱۰", "آبان ۱۴۰۵", None, 3, 0.6),
]


def _sheets(pdf: Path) -> list[str]:
    """The text of each sheet of ``pdf``, bidi marks removed, one string a sheet."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [_BIDI.sub("", sheet) for sheet in done.stdout.split("\f")[:-1]]


def _lines(sheet: str) -> list[str]:
    return [" ".join(line.split()) for line in sheet.splitlines() if line.strip()]


def _used_height(pdf: Path, sheet: int) -> float:
    """How far down the sheet its last drawn pixel is, as a share of the sheet's height."""
    from PIL import Image

    stem = pdf.with_name(f"{pdf.stem}-{sheet}")
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-singlefile", "-f", str(sheet), "-l", str(sheet), str(pdf), str(stem)],
        check=True,
    )
    image = Image.open(f"{stem}.png").convert("L")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    rows = [y for y in range(height) if any(pixels[x, y] < 235 for x in range(0, width, 2))]  # type: ignore[operator]
    return (max(rows) + 1) / height if rows else 0.0


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "path", "title", "period", "metric", "most", "used"), PAGES, ids=[p[0] for p in PAGES]
)
def test_a_page_prints_to_pdf_that_reads_on_paper(dashboard, browser, name, path, title, period, metric, most, used):
    with new_page(browser) as page:
        goto_settled(page, dashboard + path)
        headings = page.evaluate(_HEADINGS)
        widest = page.evaluate(_WIDEST_CHART)
        assert widest * PRINT_SCALE <= PRINTABLE_WIDTH_PX, (
            f"{name}: a chart {widest:.0f} px wide does not fit the sheet"
        )
        page.emulate_media(media="print")
        pdf_bytes = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"print-{name}.pdf"
    pdf.write_bytes(pdf_bytes)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert (
        size and abs(float(size[1]) - A4_LANDSCAPE_POINTS[0]) < 2 and abs(float(size[2]) - A4_LANDSCAPE_POINTS[1]) < 2
    ), info

    sheets = _sheets(pdf)
    assert 1 <= len(sheets) <= most, f"{name} prints on {len(sheets)} A4 sheets (at most {most})"
    assert _used_height(pdf, 1) > used, f"{name}: the first sheet is mostly empty"

    for number, sheet in enumerate(sheets, start=1):
        flat = " ".join(_lines(sheet))
        wanted = [title, period, "داده‌ها تا"] + ([metric] if metric else [])
        missing = [w for w in wanted if w not in flat]
        assert not missing, f"{name}, sheet {number}: the print header lacks {missing}"
        if number < len(sheets):  # a heading is never among the last lines of a sheet (its caption under it)
            foot = _lines(sheet)[-2:]
            assert not set(foot) & set(headings), f"{name}, sheet {number} ends with a heading: {foot}"


@pytest.mark.browser
def test_the_print_header_cannot_end_its_css_string_or_style():
    """A metric named by an administrator goes into the header's CSS string: quotes, backslashes and
    tags are escaped, so it cannot end the string, the rule or the <style> element."""
    from ui import printing

    sheet = printing.stylesheet("overview", 'a"b\\c</style><script>x</script>\nd')
    content = re.search(r"content: (.*?); direction", sheet)
    assert content is not None
    assert "</style>" not in content[1] and "<script" not in content[1] and "\n" not in content[1]
    assert content[1].count('"') == 2  # the string's own quotes only
    assert sheet.count("</style>") == 1

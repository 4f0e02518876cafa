"""A chart's download is a slide-ready 16:9 PNG: 1920×1080, titled in Persian, in Vazirmatn, named stably."""

from __future__ import annotations

import struct
from urllib.parse import urlparse

import pytest

from tools.browser import goto_settled, new_page
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SLIDE_BUTTON = "#dash-chart-ranking_bars .modebar-btn[data-title='ذخیرهٔ تصویر برای اسلاید']"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (the IHDR chunk right after the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_ranking_chart_downloads_as_a_titled_1920_by_1080_png(dashboard, browser):
    own_host = urlparse(dashboard).netloc
    with new_page(browser, {"width": 1440, "height": 1000}) as page:
        elsewhere: list[str] = []
        page.on(
            "request",
            lambda r: (
                urlparse(r.url).scheme in ("http", "https")
                and urlparse(r.url).netloc != own_host
                and elsewhere.append(r.url)
            ),
        )
        goto_settled(page, f"{dashboard}/rankings?metric=news_published&period=1405-07")
        chart = page.locator("#dash-chart-ranking_bars")
        chart.scroll_into_view_if_needed()
        chart.hover()
        button = page.locator(SLIDE_BUTTON)
        assert button.count() == 1
        assert page.locator("#dash-chart-ranking_bars .modebar-btn[data-title*='PNG']").count() == 0
        with page.expect_download(timeout=30_000) as caught:
            button.click()
        download = caught.value
        assert download.suggested_filename == "ranking-news_published-1405-07.png"
        body = open(download.path(), "rb").read()
        assert png_size(body) == (1920, 1080)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / download.suggested_filename).write_bytes(body)
        svg = page.evaluate("() => window.__dashLastExportSvg")
        assert "رتبه‌بندی مناطق" in svg and "مهر ۱۴۰۵" in svg
        assert "داده‌ها تا" in svg and "منبع: گزارش‌های ماهانهٔ مناطق" in svg
        assert "@font-face" in svg and "url(data:font/woff2;base64," in svg
        assert elsewhere == []


def test_a_table_downloads_as_excel_when_its_button_is_clicked(dashboard, browser):
    """The table's files are written on the click (Streamlit's deferred download), not on every run:
    the button still gives the right workbook in a real browser."""
    import io

    import openpyxl

    with new_page(browser, {"width": 1440, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/rankings?metric=news_published&period=1405-07")
        button = page.locator(".st-key-dl_xlsx_rankings-news_published-1405-07 button")
        assert button.count() == 1
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=30_000) as caught:
            button.click()
        download = caught.value
        assert download.suggested_filename == "rankings-news_published-1405-07.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
        header = [c.value for c in sheet[1]]
        assert header[:2] == ["دوره", "رتبه"] and "منطقه" in header
        assert sheet.max_row == 23  # the header and the 22 districts

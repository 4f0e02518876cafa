"""Printing a page: A4 landscape, without the sidebar, the header and the widgets, with the page's
title, period and «data as of»; the table downloads stay on screen and out of the print."""

from __future__ import annotations

import pytest

from tools.browser import goto_settled, new_page
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
HIDDEN_IN_PRINT = (
    "[data-testid=stSidebar]",
    "[data-testid=stHeader]",
    "[data-testid=stMain] [data-testid=stSelectbox]",
    "[data-testid=stMain] [data-testid=stDownloadButton]",
    "[data-testid=stMain] [role=tablist]",
)
_VISIBLE = """sel => Array.from(document.querySelectorAll(sel)).filter(e => {
  const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; }).length"""
_WIDEST_CHART = """() => Math.max(0, ...Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map(p => p.getBoundingClientRect().right - document.querySelector('[data-testid=stMain]').getBoundingClientRect().left))"""


@pytest.mark.parametrize(
    ("path", "title", "period"),
    [
        ("", "نمای کلی مناطق ۲۲گانه", "آبان ۱۴۰۵"),
        ("/rankings?metric=news_published&period=1405-07", "رتبه‌بندی مناطق", "مهر ۱۴۰۵"),
        ("/reporting", "پایش گزارش‌دهی مناطق", "۱۴۰۵"),
    ],
)
def test_a_page_prints_on_a4_landscape_without_sidebar_and_widgets(dashboard, browser, path, title, period):
    with new_page(browser) as page:
        goto_settled(page, dashboard + path)
        assert page.evaluate(_VISIBLE, "[data-testid=stMain] [data-testid=stSelectbox]") or path == "/reporting"
        if path.startswith("/rankings"):
            assert page.evaluate(_VISIBLE, "[data-testid=stMain] [data-testid=stDownloadButton]") >= 2
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            assert page.evaluate(_VISIBLE, selector) == 0, f"{selector} is still shown in print"
        assert page.locator("h1", has_text=title).is_visible()
        main_text = page.inner_text("[data-testid=stMain]")
        assert period in main_text
        if path == "":
            assert page.locator(".dash-asof").is_visible()  # «data as of»
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
        name = (path.strip("/").split("?")[0] or "overview") + "-print.pdf"
        (ARTIFACTS / name).write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1 or b"/Type/Page" in pdf

"""Open Streamlit pages in headless Chromium (Debian's, driven by Playwright) and report what a user sees.

    with launch() as browser:
        facts = open_page(browser, url + "/rankings", screenshot="test-artifacts/rankings.png")
        assert not facts.errors and facts.charts_drawn == facts.charts

A page counts as settled when Streamlit says its script is not running and every plotly chart on it
has drawn its SVG. Playwright's own browser download does not work on these machines: Debian's
``/usr/bin/chromium`` is used (``CHROMIUM_PATH`` overrides it), and a missing browser is an error.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1440, "height": 1000}

SCRIPT_DONE = "[data-test-script-state=notRunning]"
ERROR_BOX = "[data-testid=stException]"
WARNING_BOX = "[data-testid=stAlertContentWarning]"
# the dashboard draws plotly charts itself (ui/plot.py: boxes marked data-dash-chart); a plain
# st.plotly_chart, as on the benchmark's baseline pages, is a stPlotlyChart element
CHART = "[data-testid=stPlotlyChart], [data-dash-chart]"

# true once no element is still a loading skeleton (plotly's code is loaded lazily) and every plotly
# chart container holds a drawn plot; a page without charts counts as drawn
_ALL_CHARTS_DRAWN = """() => {
  if (document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')) return false;
  const boxes = document.querySelectorAll('[data-testid=stPlotlyChart], [data-dash-chart]');
  for (const box of boxes) {
    const plot = box.matches('.js-plotly-plot') ? box : box.querySelector('.js-plotly-plot');
    if (!plot || !plot.querySelector('.main-svg')) return false;
  }
  return true;
}"""
_CHARTS_DRAWN_COUNT = """() => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart], [data-dash-chart]'))
  .filter(box => (box.matches('.js-plotly-plot') ? box : box.querySelector('.js-plotly-plot'))?.querySelector('.main-svg')).length"""
_DIRECTION = """() => {
  const m = document.querySelector('[data-testid=stMain] p, [data-testid=stMain] h1, [data-testid=stMain] h2');
  return m ? getComputedStyle(m).direction : 'no text';
}"""
_MAIN_TEXT = """() => { const m = document.querySelector('[data-testid=stMain]'); return m ? m.innerText : ''; }"""
_CHART_TEXT = """() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
  .map(t => t.textContent).filter(Boolean).join('\\n')"""
_WIDGET_VALUES = """() => Array.from(document.querySelectorAll('[data-testid=stMain] input, [data-testid=stSidebar] input'))
  .filter(i => i.type !== 'file' && i.type !== 'radio' && i.type !== 'checkbox' && i.value).map(i => i.value)"""
_MAIN_HEIGHT = """() => { const m = document.querySelector('[data-testid=stMain]'); return m ? m.scrollHeight : 0; }"""


class BrowserMissing(RuntimeError):
    """Chromium is not installed where the tests expect it."""


@dataclass
class PageFacts:
    """What a user would notice on a settled page, and how long it took to get there."""

    url: str
    settled_s: float  # navigation until the script finished
    drawn_s: float  # navigation until the script finished and every chart was drawn
    charts: int
    charts_drawn: int
    errors: list[str] = field(default_factory=list)  # tracebacks shown on the page
    warnings: list[str] = field(default_factory=list)  # st.warning boxes
    direction: str = ""
    text: str = ""  # the main block's visible text
    chart_text: str = ""  # titles, ticks and labels drawn inside the charts
    widget_values: list[str] = field(default_factory=list)  # what selectboxes and text inputs show
    screenshot: Path | None = None

    @property
    def all_text(self) -> str:
        return "\n".join([self.text, self.chart_text, *self.widget_values])


def check_chromium(path: str = CHROMIUM_PATH) -> None:
    """Raise BrowserMissing, saying how to install it, when the browser is not there."""
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        raise BrowserMissing(
            f"مرورگر Chromium در {path} نیست؛ با «apt-get install -y chromium» نصب کنید "
            f"/ Chromium is not installed at {path}; install it with 'apt-get install -y chromium' "
            "(or run 'make test', which does)"
        )


@contextmanager
def launch(executable_path: str = CHROMIUM_PATH, headless: bool = True) -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, closed when the block ends."""
    check_chromium(executable_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable_path, args=list(CHROMIUM_ARGS), headless=headless)
        try:
            yield browser
        finally:
            browser.close()


def wait_until_settled(page: Page, timeout: float = 60.0, chart_timeout: float = 30.0) -> tuple[float, float]:
    """Wait for the script to finish, then for every chart to be drawn.

    Returns the monotonic clock readings when each happened. Raises Playwright's TimeoutError
    when the script does not finish in ``timeout`` s or the charts are not drawn in ``chart_timeout`` s.
    """
    page.wait_for_selector(SCRIPT_DONE, state="attached", timeout=timeout * 1000)
    script_done = time.monotonic()
    page.wait_for_function(_ALL_CHARTS_DRAWN, timeout=chart_timeout * 1000)
    # a chart may still be drawn by a rerun the page started itself: settle on a stable state
    page.wait_for_selector(SCRIPT_DONE, state="attached", timeout=timeout * 1000)
    return script_done, time.monotonic()


def read_page(page: Page, screenshot: str | os.PathLike[str] | None = None, full_page: bool = True) -> PageFacts:
    """Facts about the page as it is now; optionally save a screenshot (the whole main area when ``full_page``)."""
    shot: Path | None = None
    if screenshot is not None:
        shot = Path(screenshot)
        shot.parent.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size or VIEWPORT
        height = page.evaluate(_MAIN_HEIGHT) if full_page else 0
        if height > size["height"]:  # Streamlit scrolls inside its main block: grow the viewport to fit it
            page.set_viewport_size({"width": size["width"], "height": min(height + 100, 12_000)})
            page.wait_for_timeout(500)
            page.screenshot(path=str(shot))
            page.set_viewport_size(size)
        else:
            page.screenshot(path=str(shot))
    return PageFacts(
        url=page.url,
        settled_s=0.0,
        drawn_s=0.0,
        charts=page.locator(CHART).count(),
        charts_drawn=page.evaluate(_CHARTS_DRAWN_COUNT),
        errors=[t.strip() for t in page.locator(ERROR_BOX).all_inner_texts()],
        warnings=[t.strip() for t in page.locator(WARNING_BOX).all_inner_texts()],
        direction=page.evaluate(_DIRECTION),
        text=page.evaluate(_MAIN_TEXT),
        chart_text=page.evaluate(_CHART_TEXT),
        widget_values=page.evaluate(_WIDGET_VALUES),
        screenshot=shot,
    )


def goto_settled(page: Page, url: str, timeout: float = 60.0, chart_timeout: float = 30.0) -> tuple[float, float]:
    """Navigate ``page`` to ``url`` and wait until it settles; returns (seconds to script done, to charts drawn)."""
    start = time.monotonic()
    page.goto(url, timeout=timeout * 1000)
    script_done, drawn = wait_until_settled(page, timeout=timeout, chart_timeout=chart_timeout)
    return script_done - start, drawn - start


def open_page(
    browser: Browser,
    url: str,
    screenshot: str | os.PathLike[str] | None = None,
    viewport: dict[str, int] | None = None,
    timeout: float = 60.0,
    chart_timeout: float = 30.0,
) -> PageFacts:
    """Open ``url`` in a new, cold browser context (no cache, no cookies), wait until settled, read it."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="fa-IR", timezone_id="Asia/Tehran")
    try:
        page = context.new_page()
        settled, drawn = goto_settled(page, url, timeout=timeout, chart_timeout=chart_timeout)
        facts = read_page(page, screenshot=screenshot)
        facts.settled_s, facts.drawn_s = settled, drawn
        return facts
    finally:
        context.close()


@contextmanager
def new_page(browser: Browser, viewport: dict[str, int] | None = None) -> Iterator[Page]:
    """A page in its own fresh context, for tests that interact with it."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="fa-IR", timezone_id="Asia/Tehran")
    try:
        yield context.new_page()
    finally:
        context.close()

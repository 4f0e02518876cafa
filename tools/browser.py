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
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page, Request, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT: ViewportSize = {"width": 1440, "height": 1000}

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
    viewport: ViewportSize | None = None,
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
def new_page(browser: Browser, viewport: ViewportSize | None = None) -> Iterator[Page]:
    """A page in its own fresh context, for tests that interact with it."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="fa-IR", timezone_id="Asia/Tehran")
    try:
        yield context.new_page()
    finally:
        context.close()


# ---------------------------------------------------------------- reading checks
# Each check below returns what a user would see wrong, as a list of short descriptions (empty when
# the page is right), so a test can assert ``== []`` and print exactly what is wrong.

DESK: ViewportSize = {"width": 1440, "height": 1000}
PHONE: ViewportSize = {"width": 390, "height": 844}

SIDEBAR = "[data-testid=stSidebar]"
# Streamlit 1.67: the sidebar's own «close» button sits in its header; once closed, the «open» button
# is drawn in the app's header (outside the sidebar)
SIDEBAR_CLOSE = "[data-testid=stSidebarCollapseButton] button"
SIDEBAR_OPEN = "[data-testid=stExpandSidebarButton]"
MAIN = "[data-testid=stMain]"
MAIN_CONTENT = "[data-testid=stMainBlockContainer]"


def own_host(url: str) -> str:
    """The host:port a page's URL belongs to."""
    return urlparse(url).netloc


def capture_foreign_requests(page: Page, base_url: str) -> list[str]:
    """Start recording every request ``page`` makes to a host other than ``base_url``'s; returns the
    list, which fills as the page runs (data: and blob: URLs are the page's own). Call before goto."""
    own = own_host(base_url)
    foreign: list[str] = []

    def note(request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlparse(url).netloc != own:
            foreign.append(url)

    page.on("request", note)
    return foreign


# A text node counts as on screen when it has a painted box: the union of its glyph boxes, cut by
# every ancestor that hides overflow and by the viewport. `rectOf(node)` returns that box or null.
_GEOMETRY = """
const cut = (a, b) => {
  const left = Math.max(a.left, b.left), top = Math.max(a.top, b.top);
  const right = Math.min(a.right, b.right), bottom = Math.min(a.bottom, b.bottom);
  return right - left > 2 && bottom - top > 2 ? {left, top, right, bottom} : null;  // 2 px: screen-reader-only text
};
const viewport = () => ({left: 0, top: 0, right: innerWidth, bottom: innerHeight});
const clipByAncestors = (el, box) => {
  for (let a = el; a && box; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || (cs.clipPath && cs.clipPath !== 'none')) {
      const r = a.getBoundingClientRect();
      const wide = {left: -1e9, top: -1e9, right: 1e9, bottom: 1e9};
      if (cs.overflowX !== 'visible') { wide.left = r.left; wide.right = r.right; }
      if (cs.overflowY !== 'visible') { wide.top = r.top; wide.bottom = r.bottom; }
      box = cut(box, wide);
    }
  }
  return box;
};
const clippedAway = (el) => {  // the old screen-reader-only trick: clip: rect(0 0 0 0)
  for (let a = el; a; a = a.parentElement) { const c = getComputedStyle(a).clip; if (c && c !== 'auto') return true; }
  return false;
};
const shown = (el) => !!el && el.checkVisibility({opacityProperty: true, visibilityProperty: true}) && !clippedAway(el);
const rectOfNode = (node) => {
  const el = node.parentElement;
  if (!shown(el)) return null;
  const range = document.createRange();
  range.selectNodeContents(node);
  let box = null;
  for (const r of range.getClientRects()) {
    if (r.width < 0.5 || r.height < 0.5) continue;
    box = box ? {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                 right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)}
              : {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }
  return box && clipByAncestors(el, box);
};
const short = (s, n = 40) => { s = (s || '').replace(/\\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n) + '…' : s; };
const px = (b) => `x ${Math.round(b.left)}–${Math.round(b.right)}, y ${Math.round(b.top)}–${Math.round(b.bottom)}`;
"""

_SIDEBAR_ON_SCREEN = (
    "() => {"
    + _GEOMETRY
    + """
  const bar = document.querySelector('[data-testid=stSidebar]');
  if (!bar) return [];
  const out = [];
  const panel = bar.querySelector('[data-testid=stSidebarContent]') || bar;
  if (shown(panel)) {
    const r = panel.getBoundingClientRect();
    const box = clipByAncestors(panel.parentElement || panel, cut(r, viewport()) || {left: 0, top: 0, right: 0, bottom: 0});
    if (box && cut(box, viewport())) out.push({what: 'the sidebar panel', box: cut(box, viewport())});
  }
  const walker = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || n.parentElement.closest('script, style, template')) continue;
    const box = rectOfNode(n);
    const seen = box && cut(box, viewport());
    if (seen) out.push({what: `«${short(n.textContent)}»`, box: seen});
  }
  return out.map(p => ({...p, where: px(p.box)}));
}"""
)

_MAIN_CONTENT_BOX = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const content = document.querySelector('[data-testid=stMainBlockContainer]') || main;
  if (!content) return null;
  const r = content.getBoundingClientRect(), m = main.getBoundingClientRect();
  return {left: Math.max(r.left, m.left, 0), right: Math.min(r.right, m.right, innerWidth),
          top: Math.max(r.top, m.top, 0), bottom: Math.min(r.bottom, m.bottom, innerHeight)};
}"""


def sidebar_on_screen(page: Page) -> list[str]:
    """Whatever of the sidebar is drawn inside the viewport: its panel and each of its texts, with where."""
    return [f"{p['what']} at {p['where']}" for p in page.evaluate(_SIDEBAR_ON_SCREEN)]


def sidebar_covers_main(page: Page) -> list[str]:
    """Pieces of the sidebar (its panel, its texts) drawn over the main content's box."""
    main = page.evaluate(_MAIN_CONTENT_BOX)
    if main is None:
        return ["the page has no main block"]
    covering = []
    for piece in page.evaluate(_SIDEBAR_ON_SCREEN):
        box = piece["box"]
        overlap_x = min(box["right"], main["right"]) - max(box["left"], main["left"])
        overlap_y = min(box["bottom"], main["bottom"]) - max(box["top"], main["top"])
        if overlap_x > 1 and overlap_y > 1:
            covering.append(
                f"{piece['what']} at {piece['where']} lies over the main content "
                f"(x {round(main['left'])}–{round(main['right'])})"
            )
    return covering


def sidebar_is_open(page: Page) -> bool:
    """Streamlit's own idea of the sidebar's state (not whether it looks right)."""
    return page.evaluate(
        "() => { const b = document.querySelector('[data-testid=stSidebar]');"
        " return !!b && b.getAttribute('aria-expanded') !== 'false' && b.dataset.collapsed !== 'true'; }"
    )


def _wait_until_still(page: Page, selector: str, timeout: float = 5.0) -> None:
    """Wait until ``selector``'s box (and its first child's) stops moving: the sidebar slides."""
    page.wait_for_function(
        """(sel) => new Promise(resolve => {
          const read = () => { const e = document.querySelector(sel); if (!e) return '';
            const c = e.firstElementChild || e; const a = e.getBoundingClientRect(), b = c.getBoundingClientRect();
            return [a.left, a.width, b.left, b.width].map(Math.round).join(','); };
          let last = read(), still = 0;
          const tick = () => { const now = read(); still = now === last ? still + 1 : 0; last = now;
            if (still >= 8) resolve(true); else requestAnimationFrame(tick); };
          requestAnimationFrame(tick);
        })""",
        arg=selector,
        timeout=timeout * 1000,
    )


def close_sidebar(page: Page, timeout: float = 10.0) -> None:
    """Press the sidebar's own close button and wait until it has stopped sliding."""
    # on a desk Streamlit shows the close button only while the pointer is over the sidebar
    page.locator("[data-testid=stSidebarHeader]").hover(timeout=timeout * 1000)
    page.locator(SIDEBAR_CLOSE).click(timeout=timeout * 1000)
    page.wait_for_selector(SIDEBAR_OPEN, state="visible", timeout=timeout * 1000)
    _wait_until_still(page, SIDEBAR, timeout)


def open_sidebar(page: Page, timeout: float = 10.0) -> None:
    """Press the header's «open sidebar» button and wait until the sidebar has stopped sliding."""
    page.locator(SIDEBAR_OPEN).click(timeout=timeout * 1000)
    page.wait_for_selector(SIDEBAR_CLOSE, state="attached", timeout=timeout * 1000)
    _wait_until_still(page, SIDEBAR, timeout)


_CLIPPED_TEXTS = (
    "() => {"
    + _GEOMETRY
    + """
  const main = document.querySelector('[data-testid=stMain]');
  if (!main) return [];
  const out = [];
  const kinds = [
    ['[data-testid=stMetricLabel]', 'card title'], ['[data-testid=stMetricValue]', 'card value'],
    ['[data-testid=stMetricDelta]', 'card change'], ['th', 'table header'], ['td', 'table cell'],
    ['h1, h2, h3, h4, h5, h6', 'heading'], ['[data-testid=stCaptionContainer]', 'caption'],
  ];
  const done = new Set();
  for (const [sel, kind] of kinds) {
    for (const root of main.querySelectorAll(sel)) {
      if (!shown(root)) continue;
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (done.has(el) || el.closest('svg, [data-testid=stIconMaterial], [data-testid=stHeaderActionElements]')) continue;
        done.add(el);
        if (!shown(el) || !el.textContent.trim()) continue;
        const cs = getComputedStyle(el);
        if (cs.display === 'inline' || cs.display === 'contents') continue;
        const ellipsis = cs.textOverflow === 'ellipsis'
          || (cs.webkitLineClamp && cs.webkitLineClamp !== 'none');
        const wide = el.scrollWidth > el.clientWidth + 1;
        const tall = ellipsis && el.scrollHeight > el.clientHeight + 1;
        if (wide) out.push(`${kind} «${short(root.innerText, 60)}» is cut: ${el.scrollWidth} px of text in a ${el.clientWidth} px box`);
        else if (tall) out.push(`${kind} «${short(root.innerText, 60)}» is cut: ${el.scrollHeight} px of lines in a ${el.clientHeight} px box`);
        if (wide || tall) break;
      }
    }
  }
  // a table wider than the box it scrolls in: its last columns are off screen
  for (const table of main.querySelectorAll('table')) {
    if (!shown(table)) continue;
    for (let a = table.parentElement; a && a !== main; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === 'visible') continue;
      if (a.scrollWidth > a.clientWidth + 1) {
        const head = Array.from(table.querySelectorAll('th')).map(th => th.innerText.trim()).filter(Boolean);
        out.push(`table (${short(head.join('، '), 60)}) is ${a.scrollWidth} px wide in a ${a.clientWidth} px box: columns are cut off`);
      }
      break;
    }
  }
  // chart texts: inside their chart, inside the main block's visible width, not cut by the plot area
  const m = main.getBoundingClientRect();
  const mainLeft = Math.max(m.left, 0), mainRight = Math.min(m.left + main.clientWidth, innerWidth, m.right);
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    if (!shown(plot)) continue;
    const host = plot.closest('[data-dash-chart]') || plot;
    const name = host.id || 'a chart';
    const c = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('svg text')) {
      const text = t.textContent.trim();
      if (!text || !shown(t)) continue;
      const r = t.getBoundingClientRect();
      if (r.width < 0.5 || r.height < 0.5) continue;
      const where = `x ${Math.round(r.left)}–${Math.round(r.right)}`;
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) {
        out.push(`${name}: «${short(text)}» at ${where} sticks out of its chart (x ${Math.round(c.left)}–${Math.round(c.right)})`);
        continue;
      }
      if (r.left < mainLeft - 1 || r.right > mainRight + 1) {
        out.push(`${name}: «${short(text)}» at ${where} is beyond the visible main block (x ${Math.round(mainLeft)}–${Math.round(mainRight)})`);
        continue;
      }
      const clipped = t.closest('[clip-path]');
      const ref = clipped && /url\\(["']?#([^"')]+)/.exec(clipped.getAttribute('clip-path'));
      const shape = ref && document.getElementById(ref[1]) && document.getElementById(ref[1]).querySelector('rect');
      if (shape && clipped.getScreenCTM()) {
        const ctm = clipped.getScreenCTM();
        const x = shape.x.baseVal.value, y = shape.y.baseVal.value, w = shape.width.baseVal.value, h = shape.height.baseVal.value;
        const a = new DOMPoint(x, y).matrixTransform(ctm), b = new DOMPoint(x + w, y + h).matrixTransform(ctm);
        const clip = {left: Math.min(a.x, b.x), right: Math.max(a.x, b.x), top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y)};
        if (r.left < clip.left - 1 || r.right > clip.right + 1 || r.top < clip.top - 1 || r.bottom > clip.bottom + 1) {
          out.push(`${name}: «${short(text)}» at ${where} is cut by the plot area (x ${Math.round(clip.left)}–${Math.round(clip.right)})`);
        }
      }
    }
  }
  return out;
}"""
)


def clipped_texts(page: Page) -> list[str]:
    """Texts in the main block a user sees cut: card titles, values and changes, table headers and cells
    (and tables wider than their box), headings, captions, and chart texts outside their chart, outside
    the visible main block or cut by the plot area. Each entry names the text and by how much."""
    return page.evaluate(_CLIPPED_TEXTS)


_LATIN_ON_SCREEN = (
    "(within) => {"
    + _GEOMETRY
    + """
  const english = (el) => { const marked = el.closest('body [lang]'); return !!marked && marked.lang.toLowerCase().startsWith('en'); };
  const icon = (el) => !!el.closest('[data-testid=stIconMaterial], script, style, template, noscript, code')
    || /Material Symbols|Material Icons/i.test(getComputedStyle(el).fontFamily);
  const latin = /[A-Za-z\\u00C0-\\u024F]+/g;
  const roots = within ? Array.from(document.querySelectorAll(within)) : [document.body];
  const inside = (el) => roots.some(r => r.contains(el));
  const out = [];
  const add = (text, where) => {
    const words = text.match(latin);
    if (words) out.push(`${[...new Set(words)].join(' ')} — in «${short(text, 70)}»${where}`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || icon(el) || english(el) || !inside(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right < 0 || r.bottom < 0) continue;  // moved off screen on purpose
    if (!rectOfNode(n)) continue;
    add(n.textContent, el.closest('svg') ? ' (chart)' : '');
  }
  // what inputs show: a selectbox's value, or its placeholder while empty
  for (const input of document.querySelectorAll('input, textarea')) {
    if (input.type === 'file' || input.type === 'hidden' || input.type === 'radio' || input.type === 'checkbox') continue;
    if (!shown(input) || english(input) || !inside(input)) continue;
    const r = input.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    add(input.value || input.placeholder || '', input.value ? ' (a field\\'s value)' : ' (a field\\'s placeholder)');
  }
  return out;
}"""
)


def latin_outside_english(page: Page, within: str | None = None) -> list[str]:
    """Latin words a reader sees on the page (page text, sidebar, chart texts, what fields show) outside
    an element marked lang="en" and outside <code>; icon ligatures are left out. One entry a text.
    ``within``: only inside the elements this CSS selector matches."""
    return page.evaluate(_LATIN_ON_SCREEN, within)


def english_placeholders(page: Page) -> list[str]:
    """Selectboxes and text fields whose placeholder (shown while empty) is in Latin letters."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('input[placeholder], textarea[placeholder]'))
          .filter(i => /[A-Za-z]/.test(i.placeholder) && !i.closest('body [lang^=en]'))
          .map(i => `«${i.getAttribute('aria-label') || i.name || 'a field'}» shows «${i.placeholder}» while empty`)"""
    )


def english_tooltips(page: Page) -> list[str]:
    """Tooltips (title / data-title) in Latin letters: plotly's modebar buttons, Streamlit's buttons."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[title], [data-title]'))
          .filter(e => e.checkVisibility() && !e.closest('body [lang^=en]'))
          .flatMap(e => [e.getAttribute('title'), e.getAttribute('data-title')].filter(t => t && /[A-Za-z]/.test(t))
            .map(t => `${e.classList.contains('modebar-btn') ? 'chart button' : e.tagName.toLowerCase()} tooltip «${t}»`))"""
    )


def first_chart_top(page: Page) -> float | None:
    """Where the first chart's box starts, in px from the top of the main block scrolled to its top."""
    return page.evaluate(
        """() => { const main = document.querySelector('[data-testid=stMain]');
          const box = main && main.querySelector('[data-dash-chart], [data-testid=stPlotlyChart]');
          if (!box) return null;
          return box.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop; }"""
    )


def widget_choices(page: Page) -> dict[str, str]:
    """What each selectbox, radio and checkbox shows, keyed «main: label» / «sidebar: label»."""
    return page.evaluate(
        """() => { const out = {};
          for (const w of document.querySelectorAll('[data-testid=stSelectbox], [data-testid=stRadio], [data-testid=stCheckbox]')) {
            const where = w.closest('[data-testid=stSidebar]') ? 'sidebar' : 'main';
            const labelEl = w.querySelector('[data-testid=stWidgetLabel]');
            const label = (labelEl ? labelEl.innerText : w.innerText).trim();
            let value = '';
            if (w.matches('[data-testid=stSelectbox]')) { const i = w.querySelector('input'); value = i ? i.value : w.innerText; }
            else if (w.matches('[data-testid=stRadio]')) {
              const c = w.querySelector('input:checked'); value = c ? (c.closest('label') || c.parentElement).innerText.trim() : ''; }
            else { const c = w.querySelector('input'); value = c && c.checked ? 'checked' : 'unchecked'; }
            out[`${where}: ${label}`] = value;
          }
          return out; }"""
    )


def notices(page: Page) -> list[dict[str, str]]:
    """The notice boxes in the main block (Streamlit's info and warning alerts, and boxes marked
    role="status" or role="alert"): each as {"text": all of it, "fa": its text outside lang="en"}."""
    return page.evaluate(
        """() => {
          const boxes = Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stAlertContentWarning],'
            + ' [data-testid=stMain] [data-testid=stAlertContentInfo], [data-testid=stMain] [role=status],'
            + ' [data-testid=stMain] [role=alert]')).filter(b => b.checkVisibility());
          return boxes.filter(b => !boxes.some(o => o !== b && o.contains(b))).map(b => {
            const copy = b.cloneNode(true);
            copy.querySelectorAll('[lang]:not([lang^=fa])').forEach(e => e.remove());
            return {text: b.innerText.trim(), fa: copy.textContent.replace(/\\s+/g, ' ').trim()};
          });
        }"""
    )


_COUNT_RUNS = """() => {
  if (!window.__dashRuns) {
    window.__dashRuns = {n: 0};
    new MutationObserver(ms => { window.__dashRuns.n += ms.length; }).observe(document.body,
      {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__dashRuns.n;
}"""


def settle_after(page: Page, action, timeout: float = 60.0, start_timeout: float = 5.0) -> None:
    """Do ``action`` (a click, a choice) and wait for the rerun it starts, and any it sets off, to finish."""
    before = page.evaluate(_COUNT_RUNS)
    action()
    try:
        page.wait_for_function(
            f"() => window.__dashRuns && window.__dashRuns.n > {before}", timeout=start_timeout * 1000
        )
    except PlaywrightTimeout:
        pass  # the rerun may have been too quick to see, or none was needed
    for _ in range(10):  # settle on a state no rerun is still changing
        runs = page.evaluate(_COUNT_RUNS)
        wait_until_settled(page, timeout=timeout)
        page.wait_for_timeout(400)
        if page.evaluate(_COUNT_RUNS) == runs:
            return


def choose_option(page: Page, label: str, option: str | None = None, within: str = "body") -> str:
    """Open the selectbox labelled ``label`` (inside ``within``) and pick ``option``, or, when None,
    the first option it is not showing now; waits for the rerun. Returns the option picked."""
    box = page.locator(within).get_by_role("combobox", name=label, exact=True)
    current = box.input_value()
    box.click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=10_000)
    if option is None:
        option = next((o.strip() for o in options.all_inner_texts() if o.strip() != current), None)
        if option is None:
            raise AssertionError(f"the selectbox «{label}» offers nothing but «{current}»")
    settle_after(page, lambda: page.get_by_role("option", name=option, exact=True).click())
    return option

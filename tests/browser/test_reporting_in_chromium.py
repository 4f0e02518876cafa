"""The reporting page (/reporting) read in Chromium on a desk (1440×1000) and a phone (390×844): the grid
is drawn with every month's name readable and none on top of another, nothing is cut, no Latin outside
lang="en", nothing fetched from another host, the sidebar closes cleanly, and a cell's hover says its
state in Persian. Screenshots of both widths go to test-artifacts/reporting-desk.png and -phone.png.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from monitoring import compliance
from tools.browser import (
    DESK,
    MAIN,
    PHONE,
    capture_foreign_requests,
    clipped_texts,
    close_sidebar,
    goto_settled,
    latin_outside_english,
    new_page,
    open_sidebar,
    read_page,
    sidebar_is_open,
    sidebar_on_screen,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
WIDTHS = {"desk": DESK, "phone": PHONE}
BOTH_WIDTHS = [pytest.param(w, id=w) for w in WIDTHS]
GRID = "#dash-chart-compliance_grid"
PATH = "/reporting?district=7"

_MONTH_LABELS = f"""() => Array.from(document.querySelectorAll('{GRID} .xtick text')).map(t => {{
  const r = t.getBoundingClientRect();
  return {{text: t.textContent, shown: getComputedStyle(t).display !== 'none' && r.width > 0 && r.height > 0,
           left: r.left, right: r.right, top: r.top, bottom: r.bottom}};
}})"""


@dataclass
class Look:
    screenshot: Path
    errors: list[str]
    charts: int
    charts_drawn: int
    direction: str
    text: str
    tables: int
    clipped: list[str]
    latin: list[str]
    months: list[dict]
    hover: str
    foreign: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def looks() -> dict[str, Look]:
    return {}


def _look(dashboard: str, browser: Browser, looks: dict, width: str) -> Look:
    if width in looks:
        return looks[width]
    with new_page(browser, WIDTHS[width]) as page:
        foreign = capture_foreign_requests(page, dashboard)
        goto_settled(page, dashboard + PATH)
        shot = ARTIFACTS / f"reporting-{width}.png"
        facts = read_page(page, screenshot=shot)
        clipped, latin = clipped_texts(page), latin_outside_english(page)
        months = page.evaluate(_MONTH_LABELS)
        # hover the middle of the grid's plot area: plotly draws its hover label in the hover layer
        area = page.locator(f"{GRID} .nsewdrag").first
        area.scroll_into_view_if_needed()
        box = area.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
        hovered = f"() => (document.querySelector('{GRID} .hoverlayer') || {{}}).textContent || ''"
        page.wait_for_function(hovered, timeout=10_000)  # polled until plotly has drawn the hover label
        hover = page.evaluate(hovered)
        look = Look(
            screenshot=shot,
            errors=facts.errors,
            charts=facts.charts,
            charts_drawn=facts.charts_drawn,
            direction=facts.direction,
            text=facts.text,
            tables=page.locator(f"{MAIN} table.dash-table").count(),
            clipped=clipped,
            latin=latin,
            months=months,
            hover=hover,
            foreign=foreign,
        )
    looks[width] = look
    return look


def _lines(items: list[str]) -> str:
    return "\n  - " + "\n  - ".join(items)


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_the_page_draws_its_grid_and_tables_right_to_left(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert look.errors == [] and look.charts == look.charts_drawn == 1, look.errors
    assert look.direction == "rtl"
    assert look.tables >= 1 and "کارنامهٔ مناطق" in look.text and "تا پایان روز ۵ ماه بعد" in look.text
    assert look.screenshot.is_file() and look.screenshot.stat().st_size > 10_000


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_every_month_of_the_grid_is_named_and_no_name_overlaps_another(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert len(look.months) == 12, [m["text"] for m in look.months]
    hidden = [m["text"] for m in look.months if not m["shown"]]
    assert hidden == [], f"at {WIDTHS[width]['width']} px plotly hid the month labels {hidden}"
    ordered = sorted(look.months, key=lambda m: m["left"])
    overlapping = [
        f"«{a['text']}» and «{b['text']}»"
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a["right"] > b["left"] + 0.5
    ]
    assert overlapping == [], f"at {WIDTHS[width]['width']} px month names overlap:{_lines(overlapping)}"
    # right to left, as a Persian table: the oldest month is the rightmost, beside the district names;
    # Farvardin follows Esfand to its left
    names = [m["text"] for m in reversed(ordered)]
    if "فروردین" in names and names.index("فروردین") > 0:
        assert names[names.index("فروردین") - 1] == "اسفند", names


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_no_text_is_clipped(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert look.clipped == [], f"/reporting at {WIDTHS[width]['width']} px cuts text:{_lines(look.clipped)}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_no_latin_letters_outside_english_marked_text(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert look.latin == [], f"/reporting at {WIDTHS[width]['width']} px shows Latin:{_lines(look.latin)}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_nothing_is_requested_from_another_host(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert look.foreign == [], f"/reporting asks other hosts:{_lines(sorted(set(look.foreign)))}"


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_a_cells_hover_says_its_district_month_and_state_in_persian(dashboard, browser, looks, width):
    look = _look(dashboard, browser, looks, width)
    assert "منطقه" in look.hover, f"no hover label over the grid: «{look.hover}»"
    words = ("به‌موقع", "تأخیر", "ناقص", "گزارش نشده", "سررسید نشده")
    assert any(w in look.hover for w in words) and any(m in look.hover for m in ("۱۴۰",)), look.hover
    assert not any("a" <= c.lower() <= "z" for c in look.hover), look.hover


@pytest.mark.parametrize("width", BOTH_WIDTHS)
def test_the_sidebar_closes_cleanly(dashboard, browser, width):
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, dashboard + PATH)
        if width == "phone":
            assert not sidebar_is_open(page), "on a phone the sidebar opens by itself over the page"
        if not sidebar_is_open(page):
            open_sidebar(page)
        assert sidebar_on_screen(page), "the sidebar was opened but nothing of it shows"
        close_sidebar(page)
        left = sidebar_on_screen(page)
    assert left == [], f"after closing the sidebar at {WIDTHS[width]['width']} px:{_lines(left)}"


def test_the_legend_names_the_five_states_in_persian(dashboard, browser):
    with new_page(browser, DESK) as page:
        goto_settled(page, dashboard + PATH)
        legend = page.evaluate(
            f"() => Array.from(document.querySelectorAll('{GRID} .legendtext')).map(t => t.textContent)"
        )
    assert sorted(legend) == sorted(compliance.STATE_LABELS.values())

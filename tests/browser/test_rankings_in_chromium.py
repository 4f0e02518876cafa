"""The rankings page read in Chromium at 1440×1000 and 390×844: each of its tabs (the ranking with its
rank changes, the bump chart of the last 12 periods, the composite index) shows no cut text and no
Latin letters outside lang="en" and code; the bump chart is drawn inside the page with labels and
period ticks that do not overlap; a composite chosen in a link is shown and kept.

Screenshots of every tab at both widths go to test-artifacts/rankings-<tab>-<width>.png.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from tools.browser import (
    DESK,
    MAIN,
    PHONE,
    clipped_texts,
    goto_settled,
    latin_outside_english,
    new_page,
    read_page,
    settle_after,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
WIDTHS = {"desk": DESK, "phone": PHONE}
TABS = {"ranking": "رتبه‌بندی", "trend": "روند رتبه‌ها", "index": "شاخص ترکیبی"}
# Aban 1405: some districts are late, so the bump chart has gaps; district 3 is one of them
LINK = "/rankings?metric=reports_submitted&period=1405-08&measure=per10k&district=3"
INDEX = "news_published:2,citizen_satisfaction:1,response_time_137_hours:1"

_BOXES = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(e => e.textContent.trim())
  .map(e => { const r = e.getBoundingClientRect();
    return {text: e.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"""


def _open_tab(page: Page, tab: str) -> None:
    control = page.locator(MAIN).get_by_role("tab", name=TABS[tab], exact=True)
    if control.get_attribute("aria-selected") != "true":
        settle_after(page, lambda: control.click(timeout=10_000))


def _overlaps(boxes: list[dict]) -> list[str]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
                min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            ):
                found.append(f"«{a['text']}» overlaps «{b['text']}»")
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("tab", list(TABS))
def test_every_tab_reads_in_persian_with_nothing_cut(dashboard: str, browser: Browser, tab: str, width: str) -> None:
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}{LINK}&index={INDEX}")
        _open_tab(page, tab)
        facts = read_page(page, screenshot=ARTIFACTS / f"rankings-{tab}-{width}.png")
        problems = [f"error on the page: {e}" for e in facts.errors]
        problems += [f"cut: {c}" for c in clipped_texts(page)]
        problems += [f"Latin: {w}" for w in latin_outside_english(page)]
        if facts.charts_drawn != facts.charts:
            problems.append(f"{facts.charts - facts.charts_drawn} of {facts.charts} charts not drawn")
    assert problems == [], f"{TABS[tab]} at {WIDTHS[width]['width']} px:\n  - " + "\n  - ".join(problems)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_bump_chart_is_drawn_with_labels_and_ticks_that_do_not_overlap(
    dashboard: str, browser: Browser, width: str
) -> None:
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, dashboard + LINK)
        _open_tab(page, "trend")
        chart = page.locator(f"{MAIN} #dash-chart-bump_chart")
        assert chart.get_attribute("data-dash-chart") == "drawn", "the bump chart was not drawn"
        lines = page.locator(f"{MAIN} #dash-chart-bump_chart .scatterlayer .trace").count()
        box, main = chart.bounding_box(), page.locator(MAIN).bounding_box()
        labels = page.evaluate(_BOXES, f"{MAIN} #dash-chart-bump_chart .annotation-text")
        ticks = page.evaluate(_BOXES, f"{MAIN} #dash-chart-bump_chart .xtick text")
        text = page.locator(f"{MAIN} #dash-chart-bump_chart").inner_text()
    problems = []
    if lines != 22:
        problems.append(f"{lines} lines drawn, not one for each of the 22 districts")
    if box["width"] > main["width"] + 1:
        problems.append(f"the chart is {box['width']:.0f} px wide in a {main['width']:.0f} px page")
    if not any(label["text"].startswith("منطقه ۳") for label in labels):
        problems.append(f"my district is not named at the end of its line (labels: {[x['text'] for x in labels]})")
    problems += [f"label {o}" for o in _overlaps(labels)]
    problems += [f"period tick {o}" for o in _overlaps(ticks)]
    if len(ticks) < 3:
        problems.append(f"only {len(ticks)} period ticks")
    if "ماه" in text and not any("۱۴۰۵" in t["text"] for t in ticks):
        problems.append("no tick names 1405")
    assert problems == [], f"bump chart at {WIDTHS[width]['width']} px:\n  - " + "\n  - ".join(problems)


def test_a_composite_from_a_link_is_shown_with_persian_weights_and_kept_in_the_url(
    dashboard: str, browser: Browser
) -> None:
    with new_page(browser, PHONE) as page:
        goto_settled(page, f"{dashboard}{LINK}&index={INDEX}")
        _open_tab(page, "index")
        weights = page.evaluate(
            f"() => Array.from(document.querySelectorAll('{MAIN} [data-testid=stSelectbox] input')).map(i => i.value)"
        )
        chips = page.locator(f"{MAIN} [data-testid=stMultiSelectTagsContainer]").inner_text().split("\n")
        rows = page.locator(f"{MAIN} table.dash-table tbody tr").count()
        body = page.locator(MAIN).inner_text()
        query = parse_qs(urlparse(page.url).query)
    problems = []
    if query.get("index") != [INDEX]:
        problems.append(f"the URL says index={query.get('index')}, not {INDEX}")
    if len(chips) != 3:
        problems.append(f"{len(chips)} metrics chosen, not 3: {chips}")
    if "۲" not in weights or any(ch in "0123456789" for w in weights for ch in w):
        problems.append(f"the weights read {weights}: not Persian digits, or the weight ۲ is missing")
    if rows != 22:
        problems.append(f"the composite table has {rows} rows, not 22")
    for needed in ("روش", "صدک", "۸۰ و بیشتر"):
        if needed not in body:
            problems.append(f"«{needed}» is not on the page: the method or the cut points are missing")
    assert problems == [], "composite on a phone:\n  - " + "\n  - ".join(problems)

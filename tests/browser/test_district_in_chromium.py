"""A district clicked on the overview's map opens its page, keeping the user's choices."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from monitoring import districts
from tools.browser import goto_settled, new_page, settle_after, wait_until_settled
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

# the centre of a heatmap cell in page coordinates, from plotly's own axes
_CELL_CENTRE = """([id, col, row]) => {
  const gd = document.getElementById(id), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(col), box.top + ya._offset + ya.l2p(row)];
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_a_click_on_a_map_tile_opens_that_districts_page(dashboard, browser, width):
    seven = districts.reference().loc[7]
    with new_page(browser, {"width": width, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/?metric=news_published&period=1405-07")
        tile = page.locator("#dash-chart-tile_map")
        tile.scroll_into_view_if_needed()
        x, y = page.evaluate(_CELL_CENTRE, ["dash-chart-tile_map", int(seven.tile_col), int(seven.tile_row)])
        settle_after(page, lambda: page.mouse.click(x, y))  # the district page's run, not the overview's last
        page.wait_for_url("**/district?**", timeout=30_000)
        wait_until_settled(page)
        query = parse_qs(urlparse(page.url).query)
        assert query["show"] == ["7"] and query["metric"] == ["news_published"] and query["period"] == ["1405-07"]
        assert "district" not in query  # looking at a district does not make it «منطقهٔ من»
        page.locator("h1", has_text="منطقه ۷").wait_for(timeout=30_000)
        assert page.locator("h1", has_text="منطقه ۷").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"district-from-map-{width}.png"), full_page=False)


def test_a_click_on_a_ranking_bar_opens_that_districts_page(dashboard, browser):
    with new_page(browser, {"width": 1440, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/rankings?metric=news_published&period=1405-07")
        bar = page.locator("#dash-chart-ranking_bars .bars path").first  # the best district, on top
        bar.scroll_into_view_if_needed()
        top = page.evaluate("() => document.getElementById('dash-chart-ranking_bars').data[0].customdata[0][0]")
        bar.click(force=True)
        page.wait_for_url("**/district?**", timeout=30_000)
        wait_until_settled(page)
        query = parse_qs(urlparse(page.url).query)
        assert query["show"] == [str(top)] and query["period"] == ["1405-07"] and "district" not in query


_SHOWN_HEADERS_AND_NOTES = """() => {
  const table = document.querySelector('[data-testid=stMain] .dash-table');
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';
  const heads = Array.from(table.querySelectorAll('th')).filter(visible).map(th => th.innerText.trim());
  const notes = Array.from(table.closest('div').parentElement.querySelectorAll('.dash-table-notes span'));
  return {heads, notes: notes.filter(visible).map(n => n.dataset.column || ''), text: notes.filter(visible).map(n => n.innerText).join(' ')};
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_the_district_tables_footnote_speaks_only_of_columns_shown(dashboard, browser, width):
    with new_page(browser, {"width": width, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/district?show=7&period=1405-07")
        shown = page.evaluate(_SHOWN_HEADERS_AND_NOTES)
    assert shown["notes"], "the table has no footnote"
    for column in filter(None, shown["notes"]):
        assert column in shown["heads"], f"at {width} px the footnote explains «{column}», not shown: {shown}"
    assert ("صدک" in shown["heads"]) == ("صدک" in shown["text"]), shown
    if width == 390:
        assert "صدک" not in shown["heads"]  # the phone's table drops it, and its footnote with it

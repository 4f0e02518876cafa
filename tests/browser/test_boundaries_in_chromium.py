"""The overview's map of real district boundaries read in Chromium on a desk (1440 px) and a phone (390 px):
offered beside the tile map once a boundaries file is loaded, drawn by the cartesian bundle with nothing
fetched from another host, every district's number on it, nothing cut, no Latin outside lang="en", and a
click on a district opens its page. Screenshots go to test-artifacts/boundaries-desk.png and -phone.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from data_loaders import boundaries, sample
from monitoring import store
from tests.access import open_upload_signed_in
from tools.browser import (
    DESK,
    PHONE,
    capture_foreign_requests,
    clipped_texts,
    goto_settled,
    latin_outside_english,
    new_page,
    read_page,
    settle_after,
    wait_until_settled,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
DEMO = PROJECT_ROOT / "sample_data" / "demo_files" / "districts_schematic.geojson"
WIDTHS = {"desk": DESK, "phone": PHONE}
MAP = "#dash-chart-boundary_map"
PATH = "/?metric=news_published&district=7"

# the page position of a point given in the chart's own coordinates (longitude, latitude)
_POINT = """([id, x, y]) => {
  const gd = document.getElementById(id), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(x), box.top + ya._offset + ya.l2p(y)];
}"""
_FILLED = f"() => document.querySelectorAll('{MAP} path.js-fill').length"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, serve_dashboard) -> Iterator[str]:
    """dashboard.py on a free port, on a SQLite store holding the sample data and the demo boundaries."""
    path = tmp_path_factory.mktemp("boundaries-store") / "dashboard.sqlite"
    engine = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(engine)
    sample.load_sample(engine)
    assert boundaries.load_boundaries_path(engine, DEMO).ok
    engine.dispose()
    with serve_dashboard(path) as url:  # the test accounts beside it: upload needs a signed-in administrator
        yield url


def _choose_real_map(page) -> None:
    settle_after(page, lambda: page.get_by_text("نقشهٔ مرزهای واقعی", exact=True).click())
    page.wait_for_selector(f"{MAP}[data-dash-chart=drawn]", timeout=30_000)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_real_map_draws_offline_readable_at_both_widths(dashboard, browser, width):
    with new_page(browser, WIDTHS[width]) as page:
        foreign = capture_foreign_requests(page, dashboard)
        goto_settled(page, dashboard + PATH)
        assert page.locator("#dash-chart-tile_map").count() == 1  # the tile map is the default
        _choose_real_map(page)
        page.locator(MAP).scroll_into_view_if_needed()
        facts = read_page(page, screenshot=ARTIFACTS / f"boundaries-{width}.png")
        assert facts.errors == []
        assert page.locator("#dash-chart-tile_map").count() == 0
        assert page.evaluate(_FILLED) >= 22  # every district a filled shape
        chart_text = page.evaluate(f"() => document.querySelector('{MAP}').textContent")
        for number in ("۱", "۷", "۱۰", "۱۷", "۲۲"):
            assert number in chart_text
        assert "تیره‌تر" in chart_text  # the colour bar says what darker means
        assert clipped_texts(page) == []
        assert latin_outside_english(page) == []
        assert foreign == []


def test_the_choice_survives_a_visit_to_another_page(dashboard, browser):
    with new_page(browser, DESK) as page:
        goto_settled(page, dashboard + PATH)
        _choose_real_map(page)
        settle_after(page, lambda: page.get_by_role("link", name="رتبه‌بندی مناطق").first.click())
        settle_after(page, lambda: page.get_by_role("link", name="نمای کلی").first.click())
        wait_until_settled(page)
        assert page.locator(MAP).count() == 1


def test_a_click_on_a_district_of_the_real_map_opens_its_page(dashboard, browser):
    shapes = boundaries.read_boundaries(DEMO.read_bytes(), range(1, 23)).shapes
    ring = shapes[21]["coordinates"][0]  # a big district: a point half way from its middle to a corner
    x = (sum(p[0] for p in ring[:-1]) / (len(ring) - 1) + ring[0][0]) / 2
    y = (sum(p[1] for p in ring[:-1]) / (len(ring) - 1) + ring[0][1]) / 2
    with new_page(browser, DESK) as page:
        goto_settled(page, dashboard + PATH)
        _choose_real_map(page)
        page.locator(MAP).scroll_into_view_if_needed()
        px, py = page.evaluate(_POINT, ["dash-chart-boundary_map", x, y])  # on the shape, away from its number
        page.mouse.move(px, py)
        hovered = f"() => (document.querySelector('{MAP} .hoverlayer') || {{}}).textContent || ''"
        page.wait_for_function(hovered, timeout=10_000)  # polled until plotly has drawn the hover label
        hover = page.evaluate(hovered)
        assert "منطقه ۲۱" in hover and "اخبار منتشرشده" in hover  # its Persian name and the metric's value
        page.mouse.click(px, py)
        page.wait_for_url("**/district?**", timeout=30_000)
        wait_until_settled(page)
        query = parse_qs(urlparse(page.url).query)
        assert query["show"] == ["21"] and query["district"] == ["7"]  # «منطقهٔ من» kept


_BAD = (
    '{"type": "FeatureCollection", "features": ['
    '{"type": "Feature", "properties": {"منطقه": "منطقه ۷"}, "geometry": {"type": "Polygon", '
    '"coordinates": [[[35.70, 51.40], [35.71, 51.40], [35.71, 51.41], [35.70, 51.40]]]}},'
    '{"type": "Feature", "properties": {"منطقه": 23}, "geometry": {"type": "Polygon", '
    '"coordinates": [[[51.40, 35.70], [51.41, 35.70], [51.41, 35.71], [51.40, 35.70]]]}}]}'
)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_upload_page_refuses_a_bad_boundaries_file_saying_where_and_why(dashboard, browser, width):
    with new_page(browser, WIDTHS[width]) as page:
        open_upload_signed_in(page, dashboard)
        assert page.locator("[data-testid=stMain] input[type=file]").count() == 1  # only the figures' uploader
        settle_after(page, lambda: page.get_by_text("فایل مرزهای مناطق را بارگذاری می‌کنم").click())
        files = page.locator("[data-testid=stMain] input[type=file]")
        assert files.count() == 2
        settle_after(
            page,
            lambda: files.nth(1).set_input_files(
                files=[{"name": "bad.geojson", "mimeType": "application/geo+json", "buffer": _BAD.encode()}]
            ),
        )
        settle_after(page, lambda: page.get_by_role("button", name="بارگذاری مرزها").click())
        page.locator("[data-testid=stMain] .dash-note-error", has_text="bad.geojson").wait_for(timeout=30_000)
        page.locator("[data-testid=stMain] table.dash-table").last.scroll_into_view_if_needed()
        facts = read_page(page, screenshot=ARTIFACTS / f"boundaries-upload-{width}.png")
        assert facts.errors == []
        assert "swapped" in facts.text and "district 23 does not exist" in facts.text
        assert "جابه‌جا" in facts.text and "منطقه ۲۳ وجود ندارد" in facts.text
        assert clipped_texts(page) == []
        assert latin_outside_english(page) == []

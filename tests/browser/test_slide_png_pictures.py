"""The slide PNGs of the map and the trend, drawn by the page's own export script in Chromium (served
without Streamlit, the figure HTML exactly as the pages write it): the colour bar's title clear of the
bar, a key for the grey «؟» tiles and the «منطقهٔ من» outline, and the trend running right to left."""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoring import calendar, charts, districts, metrics
from tools.browser import new_page
from tools.streamlit_server import PROJECT_ROOT
from ui import plot

pytestmark = pytest.mark.browser
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CATALOG = metrics.read_catalog()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A folder served on a free port whose ``app/static`` is the dashboard's static folder."""
    root = tmp_path_factory.mktemp("site")
    (root / "app").mkdir()
    (root / "app" / "static").symlink_to(PROJECT_ROOT / "static")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _export(browser, site, figure, key: str) -> tuple[bytes, str, dict]:
    """Draw ``figure`` as a page does, click nothing: call the slide export and return (PNG, SVG, layout)."""
    root, url = site
    export = plot.ChartExport.of("عنوان آزمایشی", ["مهر ۱۴۰۵", "واحد: مورد"], "مهر ۱۴۰۵", key)
    fonts = "".join(  # the page's font, as .streamlit/config.toml gives it: plotly measures text with it
        f'@font-face{{font-family:"Vazirmatn";font-weight:{w};src:url(app/static/fonts/Vazirmatn-{n}.woff2)}}'
        for w, n in ((400, "Regular"), (700, "Bold"))
    )
    # the document left to right, as the app's body is (the page's text is right to left inside it)
    html = (
        f"<html><head><style>{fonts} body{{font-family:Vazirmatn}}</style></head><body>"
        '<p style="font-weight:700">بارگذاری قلم</p>' + plot.figure_html(figure, key, export=export) + "</body></html>"
    )
    (root / f"{key}.html").write_text(html, encoding="utf-8")
    with new_page(browser, {"width": 1440, "height": 1000}) as page:
        page.goto(f"{url}/{key}.html")
        page.evaluate("() => document.fonts.ready")
        page.wait_for_selector(f"#dash-chart-{key}[data-dash-chart=drawn]", timeout=30_000)
        with page.expect_download(timeout=30_000) as caught:
            page.evaluate(
                "([id, meta]) => window.__dashSlidePng(document.getElementById(id), meta)",
                [f"dash-chart-{key}", json.loads(export.to_json())],
            )
        body = Path(caught.value.path()).read_bytes()
        svg = page.evaluate("() => window.__dashLastExportSvg")
        layout = page.evaluate("() => window.__dashLastExport")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{key}.png").write_bytes(body)
    return body, svg, layout


def _tiles(missing=(7, 12)):
    ref = districts.reference().reset_index(drop=True)
    tiles = ref[["district", "name_fa", "tile_row", "tile_col"]].copy()
    tiles["value"] = [np.nan if d in missing else float(d * 3) for d in tiles["district"]]
    return tiles


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_the_map_picture_keeps_the_colour_bar_title_off_the_bar_and_keys_grey_and_my_district(browser, site):
    metric = CATALOG["reports_submitted"]
    fig = charts.tile_map(_tiles(), metric, "گزارش", 0, highlight=3)
    body, svg, layout = _export(browser, site, fig, "map_png")
    # the title is drawn by the export above the bar, not by plotly over it
    title = charts.colour_meaning(metric)
    assert title in svg
    bars = [t["colorbar"] for t in layout["data"] if t.get("colorbar")]
    assert bars and all(not bar["title"]["text"] for bar in bars)  # plotly draws no title over the bar
    key = " ".join(a["text"] for a in layout["layout"]["annotations"])
    assert "گزارش نشده" in key and "منطقهٔ من" in key
    # the key and the colour bar title sit in the band under the plot, in that order, without overlapping
    placed = layout["placed"]
    assert placed["title_bottom"] > placed["bar_top"], placed  # pixels from the picture's bottom
    assert placed["key_top"] < placed["ticks_bottom"], placed
    pixels = _pixels(body)
    assert pixels.shape[:2] == (1080, 1920)
    # the grey swatch of the key is drawn, right of the orange outline, in the band under the bar
    band = pixels[1080 - placed["key_top"] : 1080 - 72]
    grey = np.flatnonzero((np.abs(band - [0xD9, 0xD9, 0xD9]).sum(axis=2) < 12).sum(axis=0) >= 20)
    orange = np.flatnonzero((np.abs(band - [0xE0, 0x7A, 0x1F]).sum(axis=2) < 40).sum(axis=0) >= 20)
    assert len(grey) >= 20 and len(orange) >= 2  # a filled grey square, an orange outline's sides
    assert grey.min() > orange.max()  # right to left: «؟» first


def test_a_map_with_every_district_reported_and_no_district_of_mine_needs_no_key(browser, site):
    metric = CATALOG["reports_submitted"]
    fig = charts.tile_map(_tiles(missing=()), metric, "گزارش", 0)
    _, _, layout = _export(browser, site, fig, "map_png_full")
    key = " ".join(a["text"] for a in layout["layout"]["annotations"])
    assert "گزارش نشده" not in key and "منطقهٔ من" not in key


def test_the_map_picture_keys_a_district_that_reported_only_some_months(browser, site):
    metric = CATALOG["reports_submitted"]
    tiles = _tiles(missing=())
    tiles["months"], tiles["due"] = [1 if d == 5 else 3 for d in tiles["district"]], 3
    body, _, layout = _export(browser, site, charts.tile_map(tiles, metric, "گزارش", 0), "map_png_partial")
    key = " ".join(a["text"] for a in layout["layout"]["annotations"])
    assert charts.PARTIAL_TILE_KEY in key and "گزارش نشده" not in key
    placed = layout["placed"]
    band = _pixels(body)[1080 - placed["key_top"] : 1080 - 72]
    pale = np.flatnonzero((np.abs(band - [0xF7, 0xF3, 0xEA]).sum(axis=2) < 6).sum(axis=0) >= 12)
    assert len(pale) >= 10, "no pale swatch in the key"


def test_the_trend_picture_runs_right_to_left_like_the_decks_trend(browser, site):
    metric = CATALOG["reports_submitted"]
    months = [calendar.month_start(1404, m) for m in range(1, 13)]
    series = pd.DataFrame({"period": months, "value": [float(i * 10) for i in range(12)], "districts": [22] * 12})
    fig = charts.city_trend(series, metric)
    assert fig.layout.xaxis.autorange != "reversed"  # the page keeps time left to right
    _, svg, layout = _export(browser, site, fig, "trend_png")
    assert layout["layout"]["xaxis"]["autorange"] == "reversed", (layout["layout"]["meta"], layout["layout"]["xaxis"])
    assert "فروردین" in svg


def test_the_boundary_maps_picture_has_its_bar_title_above_the_bar_and_its_key(browser, site):
    from data_loaders import boundaries
    from data_loaders.demo_boundaries import OUT as DEMO

    shapes = boundaries.read_boundaries(DEMO.read_bytes(), range(1, 23)).shapes
    metric = CATALOG["reports_submitted"]
    fig = charts.boundary_map(shapes, _tiles(), metric, "گزارش", 0, highlight=3)
    _, svg, layout = _export(browser, site, fig, "boundary_png")
    bars = [t["marker"]["colorbar"] for t in layout["data"] if (t.get("marker") or {}).get("colorbar")]
    assert bars and all(not bar["title"]["text"] for bar in bars)
    assert charts.colour_meaning(metric) in svg
    key = " ".join(a["text"] for a in layout["layout"]["annotations"])
    assert "گزارش نشده" in key and "منطقهٔ من" in key

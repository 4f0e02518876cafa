"""The map of real district boundaries: cartesian traces only (nothing fetched from the internet), one
filled shape a district, grey for not reported, the tile map's colour direction, a click target and an
outline for «منطقهٔ من»."""

from __future__ import annotations

import pandas as pd
import pytest

from data_loaders import boundaries
from data_loaders.demo_boundaries import OUT as DEMO
from monitoring import charts, districts, metrics, overview

COUNT = metrics.get("reports_submitted")
LOWER = metrics.get("response_time_137_hours")
SHAPES = boundaries.read_boundaries(DEMO.read_bytes(), range(1, 23)).shapes
# plotly.js's cartesian bundle (ui/plot.py): no geo, mapbox or maplibre traces
CARTESIAN = {"scatter", "bar", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "contour", "image", "pie"}


def tiles(metric=COUNT, reported=range(1, 21)) -> pd.DataFrame:
    ref = districts.reference().reset_index(drop=True)
    values = pd.DataFrame(
        [(metric.code, d, float(d), 1) for d in reported], columns=["metric", "district", "total", "months"]
    )
    return overview.district_tiles(ref, values, metric)


def shapes_of(fig) -> list:
    return [t for t in fig.data if t.fill == "toself"]


def test_the_map_uses_only_cartesian_traces_and_no_map_layout():
    fig = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0, highlight=7)
    assert {t.type for t in fig.data} <= CARTESIAN
    layout = fig.to_plotly_json()["layout"]
    assert not {"geo", "mapbox", "map"} & set(layout)
    assert layout["yaxis"]["scaleanchor"] == "x"  # equal aspect: a kilometre is a kilometre both ways
    assert layout["yaxis"]["scaleratio"] == pytest.approx(1.23, abs=0.01)


def test_every_district_is_one_filled_shape_that_a_click_opens():
    fig = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0)
    filled = shapes_of(fig)
    assert len(filled) == 22
    assert [set(t.customdata) for t in filled] == [{d} for d in range(1, 23)]
    labels = next(t for t in fig.data if t.mode == "text")
    assert list(labels.customdata) == list(range(1, 23))
    assert "<b>۷</b>" in labels.text and "منطقه ۷" in labels.hovertext[6]


def test_not_reported_districts_are_grey_and_say_so():
    fig = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0)
    grey = [t.customdata[0] for t in shapes_of(fig) if t.fillcolor == charts.MISSING_COLOUR]
    assert grey == [21, 22]
    hover = {t.customdata[0]: t.text for t in shapes_of(fig)}
    assert "گزارش نشده" in hover[21] and "گزارش نشده" not in hover[7]
    assert "؟" in next(t for t in fig.data if t.mode == "text").text[20]


def test_darker_means_better_as_on_the_tile_map():
    def darkness(colour: str) -> int:
        return -sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    for metric, best in ((COUNT, 20), (LOWER, 1)):  # values 1..20: the most reports, the shortest time
        fig = charts.boundary_map(SHAPES, tiles(metric), metric, metric.name_fa, 0)
        fills = {t.customdata[0]: t.fillcolor for t in shapes_of(fig) if t.fillcolor != charts.MISSING_COLOUR}
        assert max(fills, key=lambda d: darkness(fills[d])) == best
        key = fig.data[-1].marker
        assert key.colorscale == tuple(tuple(s) for s in charts.colour_scale(metric))
        assert key.colorbar.title.text == charts.colour_meaning(metric)
        assert all(t[0] in "۰۱۲۳۴۵۶۷۸۹" for t in key.colorbar.ticktext)


def test_my_district_is_outlined_and_no_outline_without_one():
    fig = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0, highlight=7)
    outlines = [t for t in fig.data if t.line.color == charts.HIGHLIGHT_COLOUR]
    assert len(outlines) == 1 and list(outlines[0].x) == [p[0] for p in SHAPES[7]["coordinates"][0]]
    plain = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0)
    assert not [t for t in plain.data if t.line.color == charts.HIGHLIGHT_COLOUR]


def test_districts_without_a_shape_are_left_out_and_nothing_reported_draws_no_colour_bar():
    some = {d: SHAPES[d] for d in (3, 7)}
    fig = charts.boundary_map(some, tiles(reported=[]), COUNT, COUNT.name_fa, 0)
    assert [t.customdata[0] for t in shapes_of(fig)] == [3, 7]
    assert all(t.fillcolor == charts.MISSING_COLOUR for t in shapes_of(fig))
    assert not [t for t in fig.data if t.mode == "markers"]


def test_a_multipolygon_with_a_hole_is_drawn_as_one_shape_with_gaps():
    outer = [[51.40, 35.70], [51.45, 35.70], [51.45, 35.75], [51.40, 35.75], [51.40, 35.70]]
    hole = [[51.41, 35.71], [51.41, 35.72], [51.42, 35.72], [51.42, 35.71], [51.41, 35.71]]
    island = [[51.50, 35.70], [51.51, 35.70], [51.51, 35.71], [51.50, 35.70]]
    geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}
    fig = charts.boundary_map({7: geometry}, tiles(), COUNT, COUNT.name_fa, 0)
    (shape,) = shapes_of(fig)
    assert list(shape.x).count(None) == 2 and len(shape.x) == 5 + 5 + 4 + 2
    labels = next(t for t in fig.data if t.mode == "text")
    assert 51.40 < labels.x[0] < 51.45  # the number sits in the biggest part


def test_the_maps_tell_their_slide_picture_what_to_key():
    """The grey «؟» of a district that did not report and the «منطقهٔ من» outline, keyed under the
    picture's colour bar (ui.plot's export reads layout.meta)."""
    both = charts.boundary_map(SHAPES, tiles(), COUNT, COUNT.name_fa, 0, highlight=7).layout.meta["png_key"]
    assert [k["kind"] for k in both] == ["missing", "mine"] and both[0]["text"].startswith("؟")
    assert charts.boundary_map(SHAPES, tiles(reported=range(1, 23)), COUNT, COUNT.name_fa, 0).layout.meta == {
        "png_key": []
    }
    tile_key = charts.tile_map(tiles(), COUNT, COUNT.name_fa, 0, highlight=7).layout.meta["png_key"]
    assert [k["kind"] for k in tile_key] == ["missing", "mine"]

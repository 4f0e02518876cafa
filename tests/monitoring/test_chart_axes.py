"""The pages' charts read without hovering: every drawn line inside its axes, whole-number ticks for
counts, small charts tall enough on a phone, rank ticks that do not crowd, the bump chart's leaders named."""

import numpy as np
import pandas as pd
import pytest

from monitoring import calendar, charts, district, metrics

CATALOG = metrics.read_catalog()
MONTHS = [calendar.month_start(1404, m) for m in range(1, 7)]


def _months(rows):
    return pd.DataFrame(rows, columns=["metric", "district", "period", "value"])


def _multiples(compare_scale: float = 1.0, codes: list[str] | None = None):
    catalog = {c: CATALOG[c] for c in codes} if codes else CATALOG
    rows = []
    for code in catalog:
        for d in range(1, 23):
            for i, m in enumerate(MONTHS):
                rows.append((code, d, m, float(d + i)))
    history = _months(rows)
    mine = history[history["district"] == 1]
    other = history[history["district"] == 4].assign(value=lambda f: f["value"] * compare_scale)
    return charts.district_small_multiples(
        mine[["metric", "period", "value"]],
        district.monthly_bands(history),
        catalog,
        MONTHS,
        "منطقه ۱",
        compare=other[["metric", "period", "value"]],
        compare_label="منطقه ۴",
    )


def _axis_of(fig, trace, letter):
    ref = trace[f"{letter}axis"]
    return fig["layout"][f"{letter}axis" if ref == letter else f"{letter}axis{ref[1:]}"]


def test_every_drawn_line_of_a_small_chart_is_inside_its_y_range_the_compared_district_too():
    fig = _multiples(compare_scale=40.0)  # district 4 far above the middle half and district 1
    checked = 0
    for trace in fig["data"]:
        values = [v for v in trace["y"] if v is not None]
        if not values:
            continue
        axis = _axis_of(fig, trace, "y")
        low, high = sorted(axis["range"])
        assert low <= min(values) and max(values) <= high, f"{trace.get('name')} leaves its axis"
        ticks = axis["tickvals"]
        step = ticks[1] - ticks[0]
        # the ticks reach the line: no line running far above the last tick or below the first
        assert max(values) - ticks[-1] <= step and ticks[0] - min(values) <= step, (trace.get("name"), ticks)
        checked += trace.get("name") == "منطقه ۴"
    assert checked == len(CATALOG)


def test_a_count_metric_has_whole_number_ticks_only():
    counts = [c for c, m in CATALOG.items() if m.decimals == 0]
    assert counts
    fig = _multiples(codes=counts)
    for name, axis in fig["layout"].items():
        if name.startswith("yaxis"):
            assert all(float(t).is_integer() for t in axis["tickvals"]), f"{name}: {axis['tickvals']}"
            assert not any("٫" in t for t in axis["ticktext"])


@pytest.mark.parametrize(("low", "high"), [(0, 5), (0, 3), (1, 2), (2, 7), (0.5, 1.5), (0, 1), (10, 13)])
def test_integer_ticks_are_whole_numbers_inside_the_range(low, high):
    ticks = charts.nice_ticks(low, high, count=3, integer=True)
    assert ticks and all(float(t).is_integer() and low <= t <= high for t in ticks)


def test_small_charts_are_tall_panels_with_small_gaps_at_any_width():
    fig = _multiples()
    layout = fig["layout"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    domains = sorted({tuple(a["domain"]) for n, a in layout.items() if n.startswith("yaxis")})
    panels = [(b - a) * plot for a, b in domains]
    assert min(panels) >= 140, f"panels of {min(panels):.0f} px"
    gaps = plot - sum(panels)
    assert gaps / plot < 0.3, f"{gaps / plot:.0%} of the plot is gaps"
    assert layout["margin"]["t"] >= 30  # the first row's titles


def test_rank_ticks_do_not_crowd_at_either_end():
    assert charts.rank_ticks(22) == [1, 5, 10, 15, 22]
    for total in range(2, 40):
        ticks = charts.rank_ticks(total)
        assert ticks[0] == 1 and ticks[-1] == total
        assert all(b - a >= 3 for a, b in zip(ticks, ticks[1:], strict=False)) or total < 4


def test_the_rank_history_has_uncrowded_ticks():
    history = pd.DataFrame({"period": MONTHS, "rank": [3, 4, 5, 4, 2, 1], "ranked": [22] * 6})
    fig = charts.rank_history_chart(history, "منطقه ۱", 22)
    ticks = list(fig.layout.yaxis.tickvals)
    assert 20 not in ticks and 22 in ticks
    assert fig.layout.yaxis.ticktext[-1] == "۲۲"


def _bump_history(missing: int | None = None):
    rows = []
    for position in range(4):
        for d in range(1, 23):
            rank = ((d + position) % 22) + 1
            reported = not (d == missing and position == 3)
            rows.append(
                {
                    "period": f"p{position}",
                    "label": f"{calendar.MONTHS_FA[position]} ۱۴۰۵",
                    "position": position,
                    "district": d,
                    "name_fa": f"منطقه {calendar.to_persian_digits(d)}",
                    "rank": float(rank) if reported else np.nan,
                    "ranked": 22,
                }
            )
    return pd.DataFrame(rows)


def _leaders(history):
    now = history[history["position"] == 3].dropna(subset=["rank"]).sort_values("rank")
    return now["name_fa"].tolist()[:3]


def test_the_bump_chart_names_the_first_three_without_my_district():
    history = _bump_history()
    fig = charts.bump_chart(history)
    names = [a.text for a in fig.layout.annotations]
    assert names == _leaders(history)
    coloured = {t.line.color for t in fig.data} - {charts.PALE_LINE}
    assert len(coloured) == 3  # the leaders' lines stand out of the 22 grey ones
    assert len(fig.data) == 22


def test_the_bump_chart_names_the_leaders_and_my_district():
    history = _bump_history()
    fig = charts.bump_chart(history, highlight=10)
    names = [a.text for a in fig.layout.annotations]
    assert set(_leaders(history)) <= set(names) and "منطقه ۱۰" in names
    assert fig.layout.yaxis.tickvals[-2:] == (15, 22)


def test_the_bump_chart_names_my_district_once_when_it_leads():
    history = _bump_history()
    first = history[(history["position"] == 3) & (history["rank"] == 1)]["district"].iloc[0]
    fig = charts.bump_chart(history, highlight=int(first))
    names = [a.text for a in fig.layout.annotations]
    assert len(names) == len(set(names)) == 3


def test_a_count_trend_and_a_count_maps_colour_bar_tick_whole_numbers():
    metric = CATALOG["reports_submitted"]
    series = pd.DataFrame({"period": MONTHS, "value": [1.0, 2.0, 3.0, 2.0, 4.0, 5.0], "districts": [22] * 6})
    fig = charts.city_trend(series, metric, decimals=0)
    assert all(float(t).is_integer() for t in fig.layout.yaxis.tickvals)
    tiles = pd.DataFrame(
        {"district": [1, 2, 3], "name_fa": ["الف", "ب", "پ"], "tile_row": [0, 0, 1], "tile_col": [0, 1, 0]}
    ).assign(value=[0.0, 2.0, 5.0])
    bar = charts.tile_map(tiles, metric, "گزارش", 0).data[-1].colorbar
    assert all(float(t).is_integer() for t in bar.tickvals) and not any("٫" in t for t in bar.ticktext)


def test_districts_tied_at_a_line_end_are_named_in_the_room_it_has():
    from monitoring.charts import _tied_names

    assert _tied_names(["منطقه ۱", "منطقه ۱۱"]) == "منطقه ۱، ۱۱"
    assert _tied_names(["منطقه ۱", "منطقه ۱۱", "منطقه ۲"]) == "منطقه ۱، ۱۱…"
    assert _tied_names(["منطقه ۴"]) == "منطقه ۴"

"""Figure builders: ``fn(df, ...) -> go.Figure``, all on one shared Persian template.

Every label, tick and hover is Persian with Persian digits; Jalali month ticks are built
here with the calendar module, never left to plotly's Gregorian axis.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitoring import calendar
from monitoring.metrics import Metric

FONT = "Vazirmatn, Tahoma, sans-serif"
GOOD_SCALE = [[0.0, "#e8f3f1"], [0.5, "#6fb6ac"], [1.0, "#0b5a57"]]
NEUTRAL_SCALE = [[0.0, "#eef1f8"], [0.5, "#8ea3cf"], [1.0, "#2c4a8a"]]
MISSING_COLOUR = "#d9d9d9"
LINE_COLOUR = "#0f6e6e"

_TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2a2e"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        hoverlabel={"font": {"family": FONT}, "align": "right"},
        separators="٫٬",
        title={"x": 1.0, "xanchor": "right", "font": {"size": 15}},
        legend={"x": 1.0, "xanchor": "right"},
        xaxis={"automargin": True},
        yaxis={"automargin": True},
    )
)


def _figure(**layout) -> go.Figure:
    """A new figure on a copy of the shared template (the template itself is never changed)."""
    fig = go.Figure()
    fig.update_layout(template=copy.deepcopy(_TEMPLATE), **layout)
    return fig


def colour_scale(metric: Metric) -> list:
    """Darker is better: reversed for lower-is-better metrics; a neutral scale otherwise."""
    if metric.direction == "neutral":
        return NEUTRAL_SCALE
    if metric.direction == "lower":
        return [[1 - p, c] for p, c in reversed(GOOD_SCALE)]
    return GOOD_SCALE


def colour_meaning(metric: Metric) -> str:
    """What a darker tile means, said on the colour bar: the scale's direction is never silent."""
    if metric.direction == "neutral":
        return "تیره‌تر: بیشتر (شاخص خنثی، بدون داوری)"
    if metric.direction == "lower":
        return "تیره‌تر: بهتر، یعنی کمتر"
    return "تیره‌تر: بهتر، یعنی بیشتر"


HIGHLIGHT_COLOUR = "#e07a1f"


def tile_map(
    tiles: pd.DataFrame, metric: Metric, value_label: str, decimals: int, highlight: int | None = None
) -> go.Figure:
    """The 22 districts as a tile grid (row 0 = north, col 0 = west), coloured by ``value``.

    ``tiles`` has district, name_fa, tile_row, tile_col, value (NaN = not reported).
    Each tile shows the district number and its value; not reported tiles are grey and say so.
    The colour bar, under the map, says what a darker tile means; ``highlight`` outlines a district.
    """
    rows = int(tiles["tile_row"].max()) + 1
    cols = int(tiles["tile_col"].max()) + 1
    z = np.full((rows, cols), np.nan)
    z_missing = np.full((rows, cols), np.nan)
    text = np.full((rows, cols), "", dtype=object)
    text_missing = np.full((rows, cols), "", dtype=object)
    hover = np.full((rows, cols), "", dtype=object)
    for t in tiles.itertuples(index=False):
        number = calendar.to_persian_digits(t.district)
        shown = calendar.format_figure(t.value, decimals, missing="گزارش نشده")
        hover[t.tile_row, t.tile_col] = f"{t.name_fa}<br>{value_label}: {shown}"
        if pd.isna(t.value):
            z_missing[t.tile_row, t.tile_col] = 1.0
            text_missing[t.tile_row, t.tile_col] = f"<b>{number}</b><br>؟"
        else:
            z[t.tile_row, t.tile_col] = t.value
            text[t.tile_row, t.tile_col] = f"<b>{number}</b><br>{shown}"
    fig = _figure(height=470, margin={"l": 4, "r": 4, "t": 4, "b": 4})
    common = {
        "x": list(range(cols)),
        "y": list(range(rows)),
        "xgap": 3,
        "ygap": 3,
        "texttemplate": "%{text}",
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    fig.add_trace(
        go.Heatmap(
            z=z_missing,
            text=text_missing,
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
            showscale=False,
            textfont={"color": "#555555", "size": 12},
            name="گزارش نشده",
            **common,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            text=text,
            colorscale=colour_scale(metric),
            textfont={"size": 12},
            colorbar={
                "orientation": "h",
                "thickness": 10,
                "len": 0.9,
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
                "tickfont": {"size": 11},
                "title": {"text": colour_meaning(metric), "side": "top", "font": {"size": 12}},
            },
            name=value_label,
            **common,
        )
    )
    _persian_colourbar(
        fig, np.nanmin(z) if np.isfinite(z).any() else 0, np.nanmax(z) if np.isfinite(z).any() else 1, decimals
    )
    if highlight is not None:
        mine = tiles[tiles["district"] == highlight]
        if len(mine):
            r, c = int(mine["tile_row"].iloc[0]), int(mine["tile_col"].iloc[0])
            fig.add_shape(
                type="rect",
                x0=c - 0.47,
                x1=c + 0.47,
                y0=r - 0.47,
                y1=r + 0.47,
                line={"color": HIGHLIGHT_COLOUR, "width": 3},
            )
    fig.update_xaxes(visible=False, range=[-0.5, cols - 0.5], fixedrange=True)
    fig.update_yaxes(visible=False, autorange="reversed", fixedrange=True, scaleanchor="x", scaleratio=1)
    return fig


_NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0)


def _nice_multiple(i: int, mantissa: float, exponent: int) -> float:
    """``i × mantissa × 10**exponent``, rounded once (so 3 × 0.2 is 0.6, not 0.6000000000000001)."""
    value = (i * mantissa) * 10.0**exponent if exponent >= 0 else (i * mantissa) / 10.0**-exponent
    return value + 0.0  # never -0.0


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten apart) inside ``low``..``high``.

    About ``count`` ticks, at least two whenever ``high > low``, equally spaced, never -0.0.
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return []
    low, high = float(low) + 0.0, float(high) + 0.0
    if high <= low:
        return [low]
    raw = high / max(count - 1, 1) - low / max(count - 1, 1)  # halves first: no overflow
    if raw < 1e-300 or raw < max(abs(low), abs(high)) * 1e-12:
        return [low, high]  # a range too thin for round numbers in floating point
    exponent = int(np.floor(np.log10(raw)))
    steps = [(m, e) for e in (exponent - 1, exponent, exponent + 1) for m in _NICE_MANTISSAS]
    choice = next(k for k, (m, e) in enumerate(steps) if _nice_multiple(1, m, e) >= raw)
    for mantissa, exp in reversed(steps[: choice + 1]):
        step = _nice_multiple(1, mantissa, exp)
        first, last = int(np.ceil(low / step - 1e-9)), int(np.floor(high / step + 1e-9))
        if last > first:
            return [_nice_multiple(i, mantissa, exp) for i in range(first, last + 1)]
    return [low, high]


def tick_decimals(ticks: list[float]) -> int:
    """Decimals needed to tell the ticks apart (0 for whole numbers).

    One tick alone (a range of a single value) gets the decimals that show it readably.
    """
    values = sorted({float(t) for t in ticks if np.isfinite(t)})
    if not values:
        return 0
    if len(values) == 1:
        tolerance, limit = 1e-9 * max(1.0, abs(values[0])), calendar.readable_decimals(values, max_decimals=6)
    else:
        spacing = float(np.min(np.diff(values)))
        tolerance, limit = spacing * 1e-6, max(0, int(np.ceil(-np.log10(spacing)))) + 1
    for decimals in range(0, limit):
        if all(abs(t - round(t, decimals)) <= tolerance for t in values):
            return decimals
    return limit


def persian_ticks(ticks: list[float]) -> list[str]:
    """Tick labels in Persian digits, with just enough decimals to tell the ticks apart."""
    decimals = tick_decimals(ticks)
    return [calendar.format_number(v, decimals) for v in ticks]


def _persian_colourbar(fig: go.Figure, low: float, high: float, decimals: int) -> None:
    ticks = nice_ticks(low, high)
    fig.data[-1].colorbar.tickvals = ticks
    fig.data[-1].colorbar.ticktext = persian_ticks(ticks)


def jalali_ticks(periods: list, every: int | None = None, max_ticks: int = 5) -> tuple[list, list[str]]:
    """Tick positions (Gregorian month starts) and Persian labels «فروردین<br>۱۴۰۳» (two short lines,
    so they fit side by side on a phone).

    ``every`` months apart; by default chosen so there are at most ``max_ticks`` ticks.
    Ticks fall on Farvardin when the step divides 12, so years line up.
    """
    if not periods:
        return [], []
    if every is None:
        every = next(s for s in (1, 2, 3, 6, 12, 24, 36, 60, 120) if len(periods) / s <= max_ticks)
    vals, labels = [], []
    for p in periods:
        year, month = calendar.jalali_month_of(p)
        if (month - 1) % every == 0 or every > 12 and month == 1 and year % (every // 12) == 0:
            vals.append(p)
            labels.append(f"{calendar.MONTHS_FA[month - 1]}<br>{calendar.to_persian_digits(year)}")
    return vals, labels


INCOMPLETE_COLOUR = "#c2410c"


def city_trend(
    series: pd.DataFrame,
    metric: Metric,
    highlight: list | None = None,
    decimals: int = 0,
    districts_total: int = 22,
) -> go.Figure:
    """The city figure month by month (``period``, ``value``, ``districts``) on Jalali ticks.

    A month in which not every district reported cannot bend the line: the line joins complete
    months only, and each incomplete month is a large hollow orange point of its own, in the
    legend and the hover («۱۹ از ۲۲ منطقه»), so a late district never looks like a fall.
    """
    fig = _figure(height=380, margin={"l": 4, "r": 4, "t": 10, "b": 10})
    periods = list(series["period"])
    labels = calendar.month_labels(series["period"]).tolist()
    shown = [calendar.format_number(v, decimals) for v in series["value"]]
    reported = [calendar.to_persian_digits(int(n)) for n in series["districts"]]
    total = calendar.to_persian_digits(districts_total)
    customdata = np.column_stack([labels, shown, reported]) if len(series) else None
    complete = (series["districts"] >= districts_total).to_numpy() if len(series) else np.array([], dtype=bool)
    hover = (
        "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]} از " + total + " منطقه گزارش داده‌اند<extra></extra>"
    )
    values = series["value"].astype(float).tolist()
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=[v if c else None for v, c in zip(values, complete, strict=True)],
            mode="lines+markers",
            connectgaps=True,
            line={"color": LINE_COLOUR, "width": 2.5},
            marker={"size": 5, "color": LINE_COLOUR},
            customdata=customdata,
            hovertemplate=hover,
            name=f"ماه کامل (هر {total} منطقه)",
        )
    )
    if (~complete).any():
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=[None if c else v for v, c in zip(values, complete, strict=True)],
                mode="markers",
                marker={
                    "size": 12,
                    "symbol": "circle-open",
                    "color": INCOMPLETE_COLOUR,
                    "line": {"color": INCOMPLETE_COLOUR, "width": 2.5},
                },
                customdata=customdata,
                hovertemplate=hover,
                name="ماه ناقص: همهٔ مناطق گزارش نداده‌اند",
            )
        )
    if highlight:
        start, end = highlight
        fig.add_vrect(x0=start, x1=end, fillcolor="#f2c94c", opacity=0.25, line_width=0)
    tickvals, ticktext = jalali_ticks(periods)
    fig.update_xaxes(tickvals=tickvals, ticktext=ticktext, tickangle=0, showgrid=False)
    y = series["value"].dropna()
    if len(y):
        yticks = nice_ticks(float(y.min()), float(y.max()))
        fig.update_yaxes(tickvals=yticks, ticktext=persian_ticks(yticks), gridcolor="#e6e6e6", side="right")
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom", "font": {"size": 11}},
    )
    return fig


NEUTRAL_BAR = "#5b73a8"


def ranking_bars(
    ranked: pd.DataFrame, value_label: str, decimals: int, highlight: int | None = None, neutral: bool = False
) -> go.Figure:
    """Horizontal bars of the districts that reported, best at the top (largest at the top for a
    neutral metric, which is not ranked); the chosen district stands out. The value axis leaves
    room for the labels outside the bars, so none is cut on a narrow screen."""
    df = ranked[ranked["reported"]]
    names = list(df["name_fa"])
    shown = [calendar.format_figure(v, decimals) for v in df["value"]]
    base = NEUTRAL_BAR if neutral else LINE_COLOUR
    colours = [HIGHLIGHT_COLOUR if d == highlight else base for d in df["district"]]
    fig = _figure(height=max(320, 24 * len(df) + 40), margin={"l": 4, "r": 4, "t": 4, "b": 4})
    fig.add_trace(
        go.Bar(
            x=df["value"],
            y=names,
            orientation="h",
            marker={"color": colours},
            text=shown,
            textposition="outside",
            cliponaxis=False,
            customdata=shown,
            hovertemplate="%{y}<br>" + value_label + ": %{customdata}<extra></extra>",
        )
    )
    values = df["value"].astype(float)
    high = float(values.max()) if len(values) else 1.0
    low = min(float(values.min()), 0.0) if len(values) else 0.0
    room = (high - low) * 0.28 or 1.0
    fig.update_yaxes(autorange="reversed", side="right", ticklabelposition="outside")
    fig.update_xaxes(range=[high + room, low], showticklabels=False, showgrid=False, zeroline=False)
    return fig

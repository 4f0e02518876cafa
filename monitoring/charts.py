"""Figure builders: ``fn(df, ...) -> go.Figure``, all on one shared Persian template.

Every label, tick and hover is Persian with Persian digits; Jalali month ticks are built
here with the calendar module, never left to plotly's Gregorian axis.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitoring import calendar, compliance, figures
from monitoring.metrics import Metric

FONT = "Vazirmatn, Tahoma, sans-serif"
# a plotly colour scale: (position 0..1, hex colour) stops, lowest first
ColourScale = list[tuple[float, str]]
GOOD_SCALE: ColourScale = [(0.0, "#e8f3f1"), (0.5, "#6fb6ac"), (1.0, "#0b5a57")]
NEUTRAL_SCALE: ColourScale = [(0.0, "#eef1f8"), (0.5, "#8ea3cf"), (1.0, "#2c4a8a")]
MISSING_COLOUR = "#d9d9d9"
# a district that reported only some of the months due: pale, with a dotted amber outline, its value
# on hover only (figures.is_partial); never coloured by a partial sum
PARTIAL_TILE_COLOUR = "#f7f3ea"
PARTIAL_TILE_LINE = "#9a6a00"
PARTIAL_TILE_INK = "#5c3b00"
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


_TEMPLATE_LAYOUT = _TEMPLATE.layout.to_plotly_json()  # the template as plain JSON, for figures written as dicts


def _figure(**layout) -> go.Figure:
    """A new figure on a copy of the shared template (the template itself is never changed)."""
    fig = go.Figure()
    fig.update_layout(template=copy.deepcopy(_TEMPLATE), **layout)
    return fig


def colour_scale(metric: Metric) -> ColourScale:
    """Darker is better: reversed for lower-is-better metrics; a neutral scale otherwise."""
    if metric.direction == "neutral":
        return NEUTRAL_SCALE
    if metric.direction == "lower":
        return [(1 - p, c) for p, c in reversed(GOOD_SCALE)]
    return GOOD_SCALE


def colour_meaning(metric: Metric) -> str:
    """What a darker tile means, said on the colour bar: the scale's direction is never silent."""
    if metric.direction == "neutral":
        return "تیره‌تر: بیشتر (شاخص خنثی، بدون داوری)"
    if metric.direction == "lower":
        return "تیره‌تر: بهتر، یعنی کمتر"
    return "تیره‌تر: بهتر، یعنی بیشتر"


HIGHLIGHT_COLOUR = "#e07a1f"


def colour_bar(metric: Metric) -> dict:
    """The colour bar under a map, saying what a darker colour means (the tile map and the real map)."""
    return {
        "orientation": "h",
        "thickness": 10,
        "len": 0.9,
        "x": 0.5,
        "xanchor": "center",
        "y": -0.02,
        "yanchor": "top",
        "tickfont": {"size": 11},
        "title": {"text": colour_meaning(metric), "side": "top", "font": {"size": 12}},
    }


PARTIAL_TILE_KEY = "ناقص: همهٔ ماه‌ها را گزارش نداده"


def map_key(missing: bool, highlight: bool, partial: bool = False) -> dict:
    """What a map's slide picture keys under its colour bar (``layout.meta``, read by ``ui.plot``'s
    export): the grey «؟» tile of a district that did not report, the pale dotted tile of one that
    reported only some months, and the «منطقهٔ من» outline."""
    key = []
    if missing:
        key.append({"kind": "missing", "colour": MISSING_COLOUR, "text": "؟ گزارش نشده"})
    if partial:
        key.append(
            {"kind": "partial", "colour": PARTIAL_TILE_COLOUR, "line": PARTIAL_TILE_LINE, "text": PARTIAL_TILE_KEY}
        )
    if highlight:
        key.append({"kind": "mine", "colour": HIGHLIGHT_COLOUR, "text": "منطقهٔ من"})
    return {"png_key": key}


TIME_RTL = {"png_time_rtl": True}  # layout.meta: the slide picture runs time right to left, as the deck


def _incomplete_note(tile) -> str:
    """«<br>ناقص: ۱ از ۳ ماه» for a tile whose district reported only some of the months due (a
    ``due`` column says how many are), so a partial sum never passes for the whole period's."""
    if not _partial(tile):
        return ""
    return "<br>" + figures.partial_note(int(tile.months), int(tile.due))


def _partial(tile) -> bool:
    due, months = getattr(tile, "due", None), getattr(tile, "months", None)
    return due is not None and not pd.isna(tile.value) and bool(figures.is_partial(months, int(due))[0])


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
    numbers = np.full((rows, cols), None, dtype=object)  # customdata: a click opens the district's page
    z_partial = np.full((rows, cols), np.nan)
    text_partial = np.full((rows, cols), "", dtype=object)
    partial_cells = []
    for t in tiles.itertuples(index=False):
        numbers[t.tile_row, t.tile_col] = int(t.district)
        number = calendar.to_persian_digits(t.district)
        shown = calendar.format_figure(t.value, decimals, missing=getattr(t, "missing_text", None) or "گزارش نشده")
        hover[t.tile_row, t.tile_col] = f"{t.name_fa}<br>{value_label}: {shown}" + _incomplete_note(t)
        if pd.isna(t.value):
            z_missing[t.tile_row, t.tile_col] = 1.0
            text_missing[t.tile_row, t.tile_col] = f"<b>{number}</b><br>؟"
        elif _partial(t):  # a partial sum is not coloured as if it were the period's
            z_partial[t.tile_row, t.tile_col] = 1.0
            text_partial[t.tile_row, t.tile_col] = f"<b>{number}</b><br>{figures.INCOMPLETE}"
            partial_cells.append((int(t.tile_row), int(t.tile_col)))
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
        "customdata": numbers,
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
            z=z_partial,
            text=text_partial,
            colorscale=[[0, PARTIAL_TILE_COLOUR], [1, PARTIAL_TILE_COLOUR]],
            showscale=False,
            textfont={"color": PARTIAL_TILE_INK, "size": 12},
            name=figures.INCOMPLETE,
            **common,
        )
    )
    for r, c in partial_cells:
        fig.add_shape(
            type="rect",
            x0=c - 0.44,
            x1=c + 0.44,
            y0=r - 0.44,
            y1=r + 0.44,
            line={"color": PARTIAL_TILE_LINE, "width": 1.5, "dash": "dot"},
            layer="above",
        )
    fig.add_trace(
        go.Heatmap(
            z=z,
            text=text,
            colorscale=colour_scale(metric),
            textfont={"size": 12},
            colorbar=colour_bar(metric),
            name=value_label,
            **common,
        )
    )
    _persian_colourbar(
        fig, np.nanmin(z) if np.isfinite(z).any() else 0, np.nanmax(z) if np.isfinite(z).any() else 1, decimals
    )
    mine = tiles[tiles["district"] == highlight] if highlight is not None else tiles.iloc[:0]
    fig.update_layout(meta=map_key(bool(tiles["value"].isna().any()), bool(len(mine)), bool(partial_cells)))
    if highlight is not None:
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


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten apart) inside ``low``..``high``.

    About ``count`` ticks, at least two whenever ``high > low``, equally spaced, never -0.0.
    ``integer``: whole numbers a whole step apart (a count has no tick at ۲٫۵).
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        return []
    low, high = float(low) + 0.0, float(high) + 0.0
    if high <= low:
        return [low]
    raw = high / max(count - 1, 1) - low / max(count - 1, 1)  # halves first: no overflow
    if raw < 1e-300 or raw < max(abs(low), abs(high)) * 1e-12:
        return [low, high]  # a range too thin for round numbers in floating point
    if integer:
        raw = max(raw, 1.0)
    exponent = int(np.floor(np.log10(raw)))
    steps = [(m, e) for e in (exponent - 1, exponent, exponent + 1) for m in _NICE_MANTISSAS]
    choice = next(k for k, (m, e) in enumerate(steps) if _nice_multiple(1, m, e) >= raw)
    for mantissa, exp in reversed(steps[: choice + 1]):
        step = _nice_multiple(1, mantissa, exp)
        if integer and (step < 1 or step != int(step)):
            continue
        first, last = int(np.ceil(low / step - 1e-9)), int(np.floor(high / step + 1e-9))
        if last > first:
            return [_nice_multiple(i, mantissa, exp) for i in range(first, last + 1)]
    if integer and np.ceil(low) <= np.floor(high):
        return sorted({float(np.ceil(low)), float(np.floor(high))})
    return [low, high]


def rank_ticks(total: int, highest: int = 1) -> list[int]:
    """Rank ticks 1, 5, 10, … and the last rank ``total``, leaving out a multiple of five closer than
    three ranks to either end (no ۲۰ crowding ۲۲, no ۵ on top of ۱ when few districts ranked)."""
    middle = [t for t in range(5, total, 5) if t - highest >= 3 and total - t >= 3]
    return sorted({highest, *middle, total})


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
    ticks = nice_ticks(low, high, integer=decimals == 0)
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
        yticks = nice_ticks(float(y.min()), float(y.max()), integer=decimals == 0)
        fig.update_yaxes(tickvals=yticks, ticktext=persian_ticks(yticks), gridcolor="#e6e6e6", side="right")
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom", "font": {"size": 11}},
        meta=TIME_RTL,
    )
    return fig


NEUTRAL_BAR = "#5b73a8"


def ranking_bars(
    ranked: pd.DataFrame, value_label: str, decimals: int, highlight: int | None = None, neutral: bool = False
) -> go.Figure:
    """Horizontal bars of the districts that hold a place (``rankings.rank_districts``: complete, with a
    denominator), best at the top (largest at the top for a neutral metric, which is not ranked); the
    chosen district stands out. Districts listed apart (incomplete, no population, not reported) are
    left to the table. The value axis leaves room for the labels outside the bars, so none is cut on a
    narrow screen."""
    df = ranked[ranked["status"].isin(["ranked", "shown"])] if "status" in ranked else ranked[ranked["reported"]]
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
            customdata=[[int(d), t] for d, t in zip(df["district"], shown, strict=True)],
            hovertemplate="%{y}<br>" + value_label + ": %{customdata[1]}<extra></extra>",
        )
    )
    values = df["value"].astype(float)
    high = float(values.max()) if len(values) else 1.0
    low = min(float(values.min()), 0.0) if len(values) else 0.0
    room = (high - low) * 0.28 or 1.0
    fig.update_yaxes(autorange="reversed", side="right", ticklabelposition="outside")
    fig.update_xaxes(range=[high + room, low], showticklabels=False, showgrid=False, zeroline=False)
    return fig


def wrap_title(text: str, width: int = 20) -> str:
    """A long title on two lines, broken at the space nearest its middle, so it fits a narrow chart."""
    if len(text) <= width or " " not in text:
        return text
    middle = len(text) // 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


MEDIAN_COLOUR = "#7a8a90"
BAND_COLOUR = "rgba(122, 138, 144, 0.18)"
COMPARE_COLOUR = "#8e44ad"
MULTIPLE_PANEL_PX = 150  # a small chart's plot height: readable on a phone as on a desktop
MULTIPLE_GAP_PX = 46  # between rows: the next metric's title, two lines at most


def _padded(low: float, high: float, ticks: list[float]) -> list[float]:
    """A y range holding every value and tick, with 6% air above and below."""
    bottom, top = min([low, *ticks]), max([high, *ticks])
    pad = (top - bottom) * 0.06 or max(abs(top) * 0.1, 1.0)
    return [bottom - pad, top + pad]


def _plain(values) -> list:
    """A column as JSON-ready values: dates as ISO text, NaN as None."""
    out: list = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
        elif hasattr(v, "isoformat"):
            out.append(v.isoformat())
        else:
            out.append(float(v) if isinstance(v, (int, float, np.floating, np.integer)) else v)
    return out


def _month_table(frame: pd.DataFrame | None, column: str, index: pd.Index) -> dict[str, np.ndarray]:
    """``frame``'s ``column`` (rows of metric, period and it) as metric -> its values on ``index``'s
    months (NaN where a month has none)."""
    if frame is None or frame.empty:
        return {}
    table = frame.pivot_table(index="period", columns="metric", values=column, aggfunc="first", dropna=False)
    table = table.reindex(index)
    return {code: table[code].to_numpy(dtype=float) for code in table.columns}


def district_small_multiples(
    mine: pd.DataFrame,
    bands: pd.DataFrame,
    catalog: dict[str, Metric],
    months: list,
    district_label: str,
    compare: pd.DataFrame | None = None,
    compare_label: str | None = None,
    columns: int = 2,
) -> dict:
    """One small chart a metric: the district month by month (``mine``: metric, period, value) against
    the districts' median and middle half (``bands`` from ``district.monthly_bands``), and optionally a
    second district (``compare``). Months the district did not report are gaps, never zeros.

    Returns the figure as a plain plotly dict (data, layout on the shared template), not a
    ``go.Figure``: eighty traces through plotly's validating objects cost over a second a page view;
    written directly they cost a few milliseconds, and ``ui.plot`` draws either."""
    codes = list(catalog)
    rows = max(1, (len(codes) + columns - 1) // columns)
    # sizes in pixels, so a panel is as tall at 390 px as at 1440 px: the gap between rows holds the
    # next row's title (two lines at most), the bottom margin the month ticks
    top, bottom = 40, 44
    plot_height = rows * MULTIPLE_PANEL_PX + (rows - 1) * MULTIPLE_GAP_PX
    h_gap, v_gap = 0.13, MULTIPLE_GAP_PX / plot_height  # h_gap: the left column's ticks
    width = (1 - h_gap * (columns - 1)) / columns
    height = MULTIPLE_PANEL_PX / plot_height
    tickvals, ticktext = jalali_ticks(months, max_ticks=3)
    x = _plain(months)
    index = pd.Index(months)
    labels = calendar.month_labels(months).tolist()
    data: list[dict] = []
    layout: dict = {
        "template": {"layout": _TEMPLATE_LAYOUT},
        "height": plot_height + top + bottom,
        "showlegend": False,
        "margin": {"l": 4, "r": 40, "t": top, "b": bottom},  # the legend is drawn above by the page; r: the ticks
        "annotations": [],
    }
    # each column as one (month × metric) table, read a metric at a time: one pivot, not a frame a metric
    tables = {
        "own": _month_table(mine, "value", index),
        "median": _month_table(bands, "median", index),
        "low": _month_table(bands, "low", index),
        "high": _month_table(bands, "high", index),
        "other": _month_table(compare, "value", index) if compare is not None else {},
    }
    gap = np.full(len(index), np.nan)
    for i, code in enumerate(codes):
        row, col = i // columns, columns - 1 - i % columns  # the first metric on the right
        n = i + 1
        xa, ya = ("x" if n == 1 else f"x{n}"), ("y" if n == 1 else f"y{n}")
        x0 = col * (width + h_gap)
        y1 = 1 - row * (height + v_gap)
        band = {column: tables[column].get(code, gap) for column in ("median", "low", "high")}
        own = tables["own"].get(code, gap)
        decimals = catalog[code].decimals
        common = {"x": x, "xaxis": xa, "yaxis": ya, "type": "scatter", "mode": "lines"}
        data.append({**common, "y": _plain(band["high"]), "line": {"width": 0}, "hoverinfo": "skip"})
        data.append(
            {
                **common,
                "y": _plain(band["low"]),
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": BAND_COLOUR,
                "hoverinfo": "skip",
                "name": "نیمهٔ میانی مناطق",
            }
        )
        data.append(
            {
                **common,
                "y": _plain(band["median"]),
                "line": {"color": MEDIAN_COLOUR, "width": 1.5, "dash": "dot"},
                "name": "میانهٔ مناطق",
                "customdata": [calendar.format_number(v, decimals) for v in band["median"]],
                "hovertemplate": "میانهٔ مناطق: %{customdata}<extra></extra>",
            }
        )
        if compare is not None:
            other = tables["other"].get(code, gap)
            data.append(
                {
                    **common,
                    "y": _plain(other),
                    "line": {"color": COMPARE_COLOUR, "width": 1.8},
                    "name": compare_label,
                    "customdata": [calendar.format_number(v, decimals, missing="گزارش نشده") for v in other],
                    "hovertemplate": f"{compare_label}: %{{customdata}}<extra></extra>",
                }
            )
        data.append(
            {
                **common,
                "mode": "lines+markers",
                "y": _plain(own),
                "line": {"color": LINE_COLOUR, "width": 2.2},
                "marker": {"size": 4},
                "name": district_label,
                "customdata": [
                    [label, calendar.format_number(v, decimals, missing="گزارش نشده")]
                    for label, v in zip(labels, own, strict=True)
                ],
                "hovertemplate": f"%{{customdata[0]}}<br>{district_label}: %{{customdata[1]}}<extra></extra>",
            }
        )
        drawn = [band["low"], band["high"], band["median"], own]
        if compare is not None:
            drawn.append(tables["other"].get(code, gap))
        values = np.concatenate(drawn)
        values = values[~np.isnan(values)]
        counts = decimals == 0  # a metric shown in whole numbers gets whole-number ticks
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)
        yticks = nice_ticks(low, high, count=3, integer=counts) if len(values) else []
        layout["xaxis" if n == 1 else f"xaxis{n}"] = {
            "domain": [x0, x0 + width],
            "anchor": ya,
            "tickvals": _plain(tickvals),
            "ticktext": ticktext if row == rows - 1 else [""] * len(tickvals),
            "showgrid": False,
            "tickfont": {"size": 10},
        }
        layout["yaxis" if n == 1 else f"yaxis{n}"] = {
            "domain": [y1 - height, y1],
            "anchor": xa,
            "tickvals": yticks,
            "ticktext": persian_ticks(yticks),
            # every drawn line inside the panel: the compared district's too (autorange would
            # follow the data, but the ticks are fixed, so the range is set to cover both)
            **({"range": _padded(low, high, yticks)} if len(values) else {}),
            "gridcolor": "#eceff1",
            "tickfont": {"size": 10},
            "side": "right",
        }
        layout["annotations"].append(
            {
                "text": wrap_title(catalog[code].name_fa),
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return {"data": data, "layout": layout}


def rank_history_chart(history: pd.DataFrame, label: str, districts_total: int = 22) -> go.Figure:
    """The district's monthly rank (``history``: period, rank, ranked), rank 1 at the top."""
    fig = _figure(height=260, margin={"l": 4, "r": 4, "t": 10, "b": 10})
    periods = list(history["period"])
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=history["rank"].tolist(),
            mode="lines+markers",
            line={"color": LINE_COLOUR, "width": 2.2, "shape": "hv"},
            customdata=[
                [m, calendar.to_persian_digits(int(r)), calendar.to_persian_digits(int(n))]
                for m, r, n in zip(calendar.month_labels(periods), history["rank"], history["ranked"], strict=True)
            ],
            hovertemplate="%{customdata[0]}<br>" + label + ": رتبهٔ %{customdata[1]} از %{customdata[2]}<extra></extra>",
            name=label,
        )
    )
    ticks = rank_ticks(districts_total)
    fig.update_yaxes(
        autorange=False,
        range=[districts_total + 0.5, 0.5],
        tickvals=ticks,
        ticktext=[calendar.to_persian_digits(t) for t in ticks],
        gridcolor="#eceff1",
        side="right",
    )
    tickvals, ticktext = jalali_ticks(periods, max_ticks=4)
    fig.update_xaxes(tickvals=tickvals, ticktext=ticktext, showgrid=False)
    fig.update_layout(showlegend=False, meta=TIME_RTL)
    return fig


PALE_LINE = "#c5cfd2"


def _two_lines(label: str) -> str:
    """«پاییز ۱۴۰۵» as «پاییز<br>۱۴۰۵»: two short lines fit side by side on a phone."""
    head, _, year = label.rpartition(" ")
    return f"{head}<br>{year}" if head else label


LEADER_COLOURS = ("#1d4e89", "#2a7f62", "#7a4e9c")  # the first three of the newest period


def _tied_names(names: list[str]) -> str:
    """Districts tied on one rank named in the room a line end has: «منطقه ۱، ۱۱» (the shared first
    word said once), a third and more as «…»."""
    shown = names[:2]
    head = shown[0].split(" ")[0] + " "
    rest = [n[len(head) :] if n.startswith(head) else n for n in shown[1:]]
    return "، ".join([shown[0], *rest]) + ("…" if len(names) > 2 else "")


def bump_chart(history: pd.DataFrame, highlight: int | None = None, max_ticks: int = 6) -> go.Figure:
    """Each district's rank period by period (``rankings.rank_history``): rank 1 at the top, one
    pale line a district, ``highlight`` in orange with its rank inside each point. A period a district
    did not report is a gap in its line, never a rank of 0. The leaders (ranks 1 to 3 of the newest
    period) are drawn in colours of their own and named at their line ends, as is the highlighted
    district, so the chart reads on a phone without hovering; at most ``max_ticks`` Persian period
    labels."""
    periods = history.drop_duplicates("position").sort_values("position")
    positions = periods["position"].astype(int).tolist()
    last = positions[-1] if positions else 0
    worst = int(np.nanmax(history["rank"])) if history["rank"].notna().any() else 22
    fig = _figure(height=max(360, 22 * worst + 100), margin={"l": 4, "r": 84, "t": 24, "b": 10})

    def points(rows: pd.DataFrame) -> tuple[list, list, list]:
        rows = rows.set_index("position").reindex(positions)
        y = [None if pd.isna(r) else float(r) for r in rows["rank"]]
        hover = [
            f"{name}<br>{label}<br>"
            + (
                "گزارش نشده"
                if pd.isna(r)
                else f"رتبهٔ {calendar.to_persian_digits(int(r))} از {calendar.to_persian_digits(int(n))}"
            )
            for name, label, r, n in zip(
                rows["name_fa"].ffill().bfill(), periods["label"], rows["rank"], rows["ranked"], strict=True
            )
        ]
        return y, hover, rows["rank"].tolist()

    now = history[(history["position"] == last) & history["rank"].notna()].sort_values(["rank", "district"])
    leaders = now[(now["rank"] <= 3) & (now["district"] != highlight)]
    leader_ranks = sorted({float(r) for r in leaders["rank"]})
    colour_of = {
        int(d): LEADER_COLOURS[min(leader_ranks.index(float(r)), len(LEADER_COLOURS) - 1)]
        for d, r in zip(leaders["district"], leaders["rank"], strict=True)
    }
    # the pale lines first, the leaders above them, «منطقهٔ من» on top
    order = sorted(history["district"].unique(), key=lambda d: (int(d) in colour_of, int(d)))
    for district in order:
        if district == highlight:
            continue
        y, hover, _ = points(history[history["district"] == district])
        colour = colour_of.get(int(district), PALE_LINE)
        fig.add_trace(
            go.Scatter(
                x=positions,
                y=y,
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "width": 1.5 if colour == PALE_LINE else 2.4},
                marker={"size": 4 if colour == PALE_LINE else 6, "color": colour},
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                showlegend=False,
            )
        )
    labelled: list[tuple[float, str, str]] = []  # (rank, name, colour) at the latest period
    mine_now = now[now["district"] == highlight]
    if highlight is not None and (history["district"] == highlight).any():
        rows = history[history["district"] == highlight]
        y, hover, ranks = points(rows)
        fig.add_trace(
            go.Scatter(
                x=positions,
                y=y,
                mode="lines+markers+text",
                connectgaps=False,
                line={"color": HIGHLIGHT_COLOUR, "width": 3},
                marker={"size": 19, "color": HIGHLIGHT_COLOUR, "line": {"color": "#ffffff", "width": 1.5}},
                text=["" if pd.isna(r) else calendar.to_persian_digits(int(r)) for r in ranks],
                textposition="middle center",
                textfont={"size": 10, "color": "#ffffff"},
                cliponaxis=False,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                showlegend=False,
            )
        )
        if len(mine_now):
            labelled.append((float(mine_now["rank"].iloc[0]), str(mine_now["name_fa"].iloc[0]), HIGHLIGHT_COLOUR))
        elif rows["rank"].notna().any():  # not reported lately: named at its last place, and says so
            known = rows[rows["rank"].notna()].sort_values("position").iloc[-1]
            name = f"{known['name_fa']}<br><span style='font-size:10px'>گزارش نشده</span>"
            labelled.append((float(known["rank"]), name, HIGHLIGHT_COLOUR))
    for rank in leader_ranks:
        names = leaders.loc[leaders["rank"] == rank, "name_fa"].tolist()
        if any(abs(rank - r) < (2.6 if "<br>" in n else 0.9) for r, n, _ in labelled):
            continue  # on the same rank as «منطقهٔ من» (a tie): its label is drawn there already
        colour = colour_of[int(leaders.loc[leaders["rank"] == rank, "district"].iloc[0])]
        labelled.append((rank, _tied_names(names), colour))
    for rank, name, colour in labelled:
        fig.add_annotation(
            x=last,
            y=rank,
            text=name,
            xanchor="left",
            xshift=8,
            showarrow=False,
            font={"size": 12, "color": colour},
        )
    step = max(1, int(np.ceil(len(positions) / max_ticks)))
    tickvals = positions[::-1][::step][::-1]
    labels = dict(zip(periods["position"].astype(int), periods["label"], strict=True))
    fig.update_xaxes(
        tickvals=tickvals,
        ticktext=[_two_lines(labels[p]) for p in tickvals],
        tickangle=0,
        showgrid=False,
        zeroline=False,
        range=[-0.4, last + 0.4],
        fixedrange=True,
    )
    yticks = rank_ticks(worst)
    fig.update_yaxes(
        range=[worst + 0.6, 0.2],
        tickvals=yticks,
        ticktext=[calendar.to_persian_digits(t) for t in yticks],
        gridcolor="#eef1f2",
        zeroline=False,
        side="left",
        fixedrange=True,
        title={"text": "رتبه", "font": {"size": 12}},
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig


COMPLIANCE_COLOURS = {
    compliance.ON_TIME: "#2f9e6e",
    compliance.LATE: "#f2a93b",
    compliance.PARTIAL: "#7fb2e5",
    compliance.MISSING: "#c0392b",
    compliance.NOT_DUE: "#e4e8eb",
}
_COMPLIANCE_TEXT = {compliance.MISSING: "#ffffff"}


def compliance_grid(states: pd.DataFrame, names: dict[int, str], highlight: int | None = None) -> go.Figure:
    """The districts (rows, district 1 at the top, names on the right) × Jalali months (columns, right to
    left from the oldest, labels on top), each cell coloured by its reporting state with a Persian legend.

    ``states`` comes from ``compliance.month_states``. A late cell shows its days late, a missing one
    «؟»; the hover says the state in a sentence (when it came, against which due date). ``highlight``
    outlines a district's row and sets its name in bold.
    """
    districts = list(dict.fromkeys(states["district"]))
    months = list(dict.fromkeys(zip(states["year"], states["month"], strict=True)))
    row = {d: i for i, d in enumerate(districts)}
    col = {m: i for i, m in enumerate(months)}
    digits = calendar.to_persian_digits
    # room on the left for the last month's label when a phone turns it upright (plotly hides what sticks out)
    fig = _figure(height=26 * len(districts) + 150, margin={"l": 24, "r": 4, "t": 10, "b": 10})
    for state in compliance.STATES:
        part = states[states["state"] == state]
        z = np.full((len(districts), len(months)), np.nan)
        text = np.full(z.shape, "", dtype=object)
        hover = np.full(z.shape, "", dtype=object)
        for r in part.itertuples(index=False):
            i, j = row[r.district], col[(r.year, r.month)]
            z[i, j] = 1.0
            if state == compliance.LATE:
                text[i, j] = digits(r.days_late)
            elif state == compliance.MISSING:
                text[i, j] = "؟"
            sentence = compliance.describe(
                r.state, r.metrics, r.expected, r.due, r.first_loaded_at, r.days_late, r.days_overdue
            )
            hover[i, j] = (
                f"{names.get(r.district, digits(r.district))} · {calendar.month_label(r.year, r.month)}<br>{sentence}"
            )
        colour = COMPLIANCE_COLOURS[state]
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=list(range(len(months))),
                y=list(range(len(districts))),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                xgap=2,
                ygap=2,
                text=text,
                texttemplate="%{text}",
                textfont={"size": 12, "color": _COMPLIANCE_TEXT.get(state, "#1f2a2e")},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                hoverongaps=False,
                name=compliance.STATE_LABELS[state],
                showlegend=False,
            )
        )
        fig.add_trace(  # the legend's swatch: heatmaps have none of their own
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 13, "color": colour, "line": {"color": "#9aa5aa", "width": 1}},
                name=compliance.STATE_LABELS[state],
                hoverinfo="skip",
                showlegend=True,
            )
        )
    labels = [names.get(d, digits(d)) for d in districts]
    ticktext = [f"<b>{t}</b>" if d == highlight else t for d, t in zip(districts, labels, strict=True)]
    fig.update_yaxes(
        tickvals=list(range(len(districts))),
        ticktext=ticktext,
        autorange="reversed",
        side="right",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        ticks="",
    )
    fig.update_xaxes(
        tickvals=list(range(len(months))),
        # month names only, one line: upright on a desk, turned on a phone without touching each other;
        # the years are written under the grid
        ticktext=[calendar.MONTHS_FA[m - 1] for _, m in months],
        tickfont={"size": 12},
        side="top",
        autotickangles=[0, 90],  # upright on a desk; on a phone, where twelve names cannot fit, turned
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        ticks="",
        range=[len(months) - 0.5, -0.5],  # right to left, as a Persian table reads: the oldest month by the names
    )
    for year in dict.fromkeys(y for y, _ in months):  # each year under its months, a line where one begins
        columns = [col[m] for m in months if m[0] == year]
        fig.add_annotation(
            x=(columns[0] + columns[-1]) / 2,
            y=0,
            yref="paper",
            yanchor="top",
            yshift=-3,
            text=f"<b>{digits(year)}</b>",
            showarrow=False,
            font={"size": 12, "color": "#4b575b"},
        )
        if columns[0] > 0:
            fig.add_shape(
                type="line",
                x0=columns[0] - 0.5,
                x1=columns[0] - 0.5,
                y0=-0.5,
                y1=len(districts) - 0.5,
                line={"color": "#1f2a2e", "width": 2},
            )
    if highlight in row:
        r = row[highlight]
        fig.add_shape(
            type="rect",
            x0=-0.5,
            x1=len(months) - 0.5,
            y0=r - 0.5,
            y1=r + 0.5,
            line={"color": HIGHLIGHT_COLOUR, "width": 3},
        )
    fig.update_layout(
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 1.0,
            "xanchor": "right",
            "y": -0.045,
            "yanchor": "top",
            "font": {"size": 12},
            "traceorder": "reversed",  # «به‌موقع» first, on the right
        },
        hovermode="closest",
    )
    return fig


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#rrggbb`` colour."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2's contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_ink(fill: str) -> str:
    """White or black, whichever reads better on ``fill``: one of the two always reaches 4.5:1
    (WCAG AA for text), whatever the fill."""
    return "#ffffff" if contrast_ratio(fill, "#ffffff") >= contrast_ratio(fill, "#000000") else "#000000"


def scale_colour(scale: ColourScale, t: float) -> str:
    """The colour at ``t`` (0..1) of a plotly colour scale of hex stops, interpolated in RGB."""
    t = min(max(float(t), 0.0), 1.0)
    for (p0, c0), (p1, c1) in zip(scale, scale[1:], strict=False):
        if t <= p1 or p1 == scale[-1][0]:
            share = 0.0 if p1 == p0 else (t - p0) / (p1 - p0)
            a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
            b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))
    return scale[-1][1]


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else list(geometry["coordinates"])


def _label_point(geometry: dict) -> tuple[float, float]:
    """Where a district's number goes: the area centroid of its largest polygon's outer ring."""
    best, best_area = (0.0, 0.0), -1.0
    for polygon in _polygons(geometry):
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) > best_area:
            if area == 0:
                xs, ys = zip(*ring, strict=True)
                best = (sum(xs) / len(xs), sum(ys) / len(ys))
            else:
                best = (cx / (3 * area), cy / (3 * area))
            best_area = abs(area)
    return best


def _outline(geometry: dict) -> tuple[list, list]:
    """Every ring of a shape as one line, rings apart by a gap (None)."""
    xs: list = []
    ys: list = []
    for polygon in _polygons(geometry):
        for ring in polygon:
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return xs, ys


def boundary_map(
    shapes: dict[int, dict],
    values: pd.DataFrame,
    metric: Metric,
    value_label: str,
    decimals: int,
    highlight: int | None = None,
) -> go.Figure:
    """The districts' real shapes (``shapes``: district -> GeoJSON Polygon or MultiPolygon, longitude
    and latitude), coloured by ``values`` (district, name_fa, value; NaN = not reported) on the tile
    map's scale and direction; grey for not reported. Filled cartesian polygons on axes whose aspect
    keeps a kilometre a kilometre: nothing is fetched from the internet. Each district's number sits
    at its centre; the hover gives its Persian name and value; customdata is the district number, so
    a click opens the district's page; ``highlight`` outlines a district; the colour bar under the map
    says what darker means."""
    scale = colour_scale(metric)
    rows = {int(r.district): r for r in values.itertuples(index=False)}
    finite = [float(r.value) for r in rows.values() if pd.notna(r.value) and not _partial(r)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    # about as tall as the city is at a phone's or a desk column's width: little blank above or below
    fig = _figure(height=380, margin={"l": 4, "r": 4, "t": 4, "b": 4}, showlegend=False, hovermode="closest")
    label_x, label_y, labels, label_colours, label_hover, label_ids = [], [], [], [], [], []
    lats: list[float] = []
    for district, geometry in sorted(shapes.items()):
        row = rows.get(district)
        name = row.name_fa if row is not None else f"منطقه {calendar.to_persian_digits(district)}"
        value = row.value if row is not None else float("nan")
        shown = calendar.format_figure(value, decimals, missing="گزارش نشده")
        hover = f"{name}<br>{value_label}: {shown}" + (_incomplete_note(row) if row is not None else "")
        partial = row is not None and _partial(row)
        if pd.isna(value):
            fill, ink = MISSING_COLOUR, "#555555"
        elif partial:  # a partial sum is not coloured as if it were the period's
            fill, ink = PARTIAL_TILE_COLOUR, PARTIAL_TILE_INK
        else:
            share = 0.5 if high == low else (float(value) - low) / (high - low)
            fill = scale_colour(scale, share)
            ink = readable_ink(fill)
        xs, ys = _outline(geometry)
        lats.extend(y for y in ys if y is not None)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"color": "#ffffff", "width": 1.2},
                hoveron="fills",
                text=hover,
                hoverinfo="text",
                customdata=[district] * len(xs),
                name=name,
            )
        )
        x, y = _label_point(geometry)
        label_x.append(x)
        label_y.append(y)
        mark = "<br>؟" if pd.isna(value) else f"<br>{figures.INCOMPLETE}" if partial else ""
        labels.append(f"<b>{calendar.to_persian_digits(district)}</b>{mark}")
        label_colours.append(ink)
        label_hover.append(hover)
        label_ids.append(district)
    if highlight is not None and highlight in shapes:
        xs, ys = _outline(shapes[highlight])
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line={"color": HIGHLIGHT_COLOUR, "width": 3}, hoverinfo="skip", name="mine"
            )
        )
    fig.add_trace(
        go.Scatter(
            x=label_x,
            y=label_y,
            mode="text",
            text=labels,
            textfont={"size": 12, "color": label_colours},
            hovertext=label_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=label_ids,
            name=value_label,
        )
    )
    if finite:  # the colour key: an invisible point carrying the scale and its bar
        fig.add_trace(
            go.Scatter(
                x=[label_x[0]] if label_x else [0],
                y=[label_y[0]] if label_y else [0],
                mode="markers",
                marker={
                    "size": 0.1,
                    "opacity": 0,
                    "color": [low],
                    "cmin": low,
                    "cmax": high if high > low else low + 1,
                    "colorscale": scale,
                    "showscale": True,
                    "colorbar": colour_bar(metric),
                },
                hoverinfo="skip",
                name="colour key",
            )
        )
        ticks = nice_ticks(low, high, integer=decimals == 0)
        fig.data[-1].marker.colorbar.tickvals = ticks
        fig.data[-1].marker.colorbar.ticktext = persian_ticks(ticks)
    middle = (min(lats) + max(lats)) / 2 if lats else 35.7
    fig.update_xaxes(visible=False, fixedrange=True, constrain="domain")
    fig.update_yaxes(
        visible=False,
        fixedrange=True,
        constrain="domain",
        scaleanchor="x",
        scaleratio=1 / float(np.cos(np.radians(middle))),  # a degree of longitude is shorter than one of latitude
    )
    missing = any(district not in rows or pd.isna(rows[district].value) for district in shapes)
    partial = any(district in rows and _partial(rows[district]) for district in shapes)
    fig.update_layout(meta=map_key(missing, highlight is not None and highlight in shapes, partial))
    return fig

"""Draw plotly figures with a plotly.js bundle of only the traces the dashboard uses.

``st.plotly_chart`` ships the whole plotly.js (4.7 MB) and a browser spends most of a second
parsing it before the first chart appears. Every figure here is a scatter, a bar or a heatmap, so
the charts are drawn by plotly.js's core with the bar and heatmap traces (1.17 MB, built by
``static/js/build-plotly.sh``, served from ``static/js``), whose download ``preload`` starts as
soon as the page shell arrives. The chart is a real plotly chart: hover labels and resizing work as usual.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from ui import html

CHART_ID_PREFIX = "dash-chart-"
# the traces static/js/plotly-dashboard.min.js holds (scatter is plotly's core); another needs a rebuild
TRACE_TYPES = frozenset({"scatter", "bar", "heatmap"})
SOURCE = "منبع: گزارش‌های ماهانهٔ مناطق، سامانهٔ رصد مناطق شهرداری تهران"


@dataclass(frozen=True)
class ChartExport:
    """What a chart's slide-ready PNG says beside the chart, and the file's name (without ``.png``)."""

    title: str
    subtitle: str  # the Jalali period, the unit and the colour bar's meaning
    footnote: str  # «داده‌ها تا …» and the source
    filename: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", self.filename):
            raise ValueError(f"a chart's file name must be ASCII letters, digits, '_', '.' and '-': {self.filename!r}")

    @classmethod
    def of(cls, title: str, parts: list[str | None], as_of: str, filename: str) -> ChartExport:
        """``parts`` (period, unit, colour meaning; None is left out) joined into the subtitle;
        ``as_of`` the Jalali month (or day) the data reach."""
        subtitle = " · ".join(p for p in parts if p)
        return cls(title, subtitle, f"داده‌ها تا {as_of} · {SOURCE}", filename)

    def to_json(self) -> str:
        return json.dumps(
            {"title": self.title, "subtitle": self.subtitle, "footnote": self.footnote, "filename": self.filename},
            ensure_ascii=False,
        )


def preload() -> None:
    """Start downloading plotly.js while the page's script still runs."""
    st.html(html.render("plot_loader.html"), unsafe_allow_javascript=True)


def figure_html(
    figure: go.Figure | dict, key: str, link: str | None = None, export: ChartExport | None = None
) -> html.Markup:
    """The HTML that draws ``figure`` (ui/templates/plot.html): a box, the figure as JSON, the loader
    and the draw call.

    ``link`` (with ``{district}`` where the number goes) makes a click on a point open that link;
    the point's customdata (or its first item) is the district number. ``export`` puts a button
    in the modebar that saves the chart as a 1920×1080 PNG with those texts, in Vazirmatn."""
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise ValueError(f"chart key must be lower-case letters, digits and _: {key!r}")
    chart_id = CHART_ID_PREFIX + key
    if isinstance(figure, dict):  # a figure written as plain plotly JSON (see charts.district_small_multiples)
        height = figure.get("layout", {}).get("height") or 450
        text = json.dumps(figure, ensure_ascii=False, allow_nan=False)
        kinds = {trace.get("type") or "scatter" for trace in figure.get("data", [])}
    else:
        height = figure.layout.height or 450
        text = figure.to_json()
        kinds = {trace.type or "scatter" for trace in figure.data}
    if kinds - TRACE_TYPES:
        raise ValueError(
            f"trace types {sorted(kinds - TRACE_TYPES)} are not in the dashboard's plotly.js bundle; "
            "add them to static/js/build-plotly.sh and TRACE_TYPES"
        )
    return html.render(
        "plot.html",
        chart={"id": chart_id, "key": key},
        height=height,
        link=link,
        figure=html.JsonText(text),
        export=html.JsonText(export.to_json()) if export else None,
    )


def cached_chart(
    memo: tuple,
    build: Callable[[], go.Figure | dict],
    key: str,
    link: str | None = None,
    export: ChartExport | None = None,
) -> None:
    """Draw the figure ``build()`` makes, built once for each ``memo`` and kept.

    ``memo`` must hold everything the figure depends on (the store's data version, the metric, the
    period, the measure, the district highlighted...): small values, cheap to hash. Building a
    figure through plotly's objects and writing its JSON is most of a chart page's script time."""
    st.html(_memo_html(memo, key, link, export, build), unsafe_allow_javascript=True)


@st.cache_data(max_entries=256, show_spinner=False)
def _memo_html(
    memo: tuple, key: str, link: str | None, export: ChartExport | None, _build: Callable[[], go.Figure | dict]
) -> html.Markup:
    return figure_html(_build(), key, link, export)


def figure_from_html(body: str) -> dict:
    """The figure a chart's HTML carries (for tests and tools): the JSON after the element whose id
    ends in ``-figure``, up to the first ``<``, since the figure's JSON holds none (see plot.html)."""
    match = re.search(r'id="[^"]+-figure">([^<]*)', body)
    if match is None:
        raise ValueError("no figure in this HTML")
    return json.loads(match.group(1))

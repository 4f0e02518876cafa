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

from monitoring.text import escape_html

_LOADER = """<script>
window.__dashPlotly = window.__dashPlotly || new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = "app/static/js/plotly-dashboard.min.js";
  performance.mark("dash-plotly-asked");
  script.onload = () => {
    performance.mark("dash-plotly-ready");  // read by benchmarks/profile.py
    // plotly.js's own strings in Persian: the modebar's tooltip and the like
    window.Plotly.register({moduleType: "locale", name: "fa", dictionary: {
      "Download plot as a PNG": "ذخیرهٔ نمودار به‌صورت تصویر",
      "Download plot": "ذخیرهٔ نمودار",
      "Autoscale": "مقیاس خودکار",
      "Reset axes": "بازنشانی محورها",
      "Zoom": "بزرگ‌نمایی",
      "Pan": "جابه‌جایی",
      "Produced with Plotly.js": "",
    }, format: {decimal: "٫", thousands: "٬"}});
    resolve(window.Plotly);
  };
  script.onerror = () => reject(new Error("plotly.js could not be loaded"));
  document.head.appendChild(script);
});
// a chart as a slide-ready 16:9 PNG: title, period, unit, «داده‌ها تا» and source drawn in, in Vazirmatn.
// plotly's own toImage draws its SVG as an image, where the page's web fonts are not available, so the
// font files (from this dashboard, never another host) go into the SVG as data URLs before it is drawn.
window.__dashFontFaces = window.__dashFontFaces || null;
window.__dashSlidePng = window.__dashSlidePng || (async (gd, meta) => {
  const W = 1920, H = 1080, K = 1.7;
  const asDataUrl = (path) => fetch(path).then((r) => r.arrayBuffer()).then((buf) => new Promise((ok) => {
    const reader = new FileReader();
    reader.onload = () => ok(reader.result);
    reader.readAsDataURL(new Blob([buf], {type: "font/woff2"}));
  }));
  window.__dashFontFaces = window.__dashFontFaces || Promise.all([
    asDataUrl("app/static/fonts/Vazirmatn-Regular.woff2"), asDataUrl("app/static/fonts/Vazirmatn-Bold.woff2"),
  ]).then(([regular, bold]) =>
    `@font-face{font-family:"Vazirmatn";font-weight:400;src:url(${regular}) format("woff2");}` +
    `@font-face{font-family:"Vazirmatn";font-weight:700;src:url(${bold}) format("woff2");}`);
  const layout = JSON.parse(JSON.stringify(gd.layout));
  const data = JSON.parse(JSON.stringify(gd.data));
  const scale = (node) => {  // every font a bit larger, for a 1920-pixel-wide picture
    if (Array.isArray(node)) { node.forEach(scale); return; }
    if (!node || typeof node !== "object") return;
    for (const [name, value] of Object.entries(node)) {
      if (/font$/i.test(name) && value && typeof value === "object" && !Array.isArray(value)) {
        if (typeof value.size === "number") value.size = Math.round(value.size * K);
      } else scale(value);
    }
  };
  scale(layout); scale(data);
  const meta_ = layout.meta || {};
  // under the plot, from the picture's foot up (pixels): the footnote, the map's key (grey «؟», the
  // «منطقهٔ من» outline), the colour bar's tick labels, the bar, and the bar's title above it, drawn here
  // as a note of its own: plotly puts a horizontal bar's title beside or across the bar
  const keys = Array.isArray(meta_.png_key) ? meta_.png_key : [];
  const keyBottom = 72, keyRow = keys.length ? 46 : 0;
  const barBottom = keyBottom + keyRow + 44, barTop = barBottom + 18, titleBottom = barTop + 10;
  let bar = 0, barTitle = null;
  for (const trace of data) {
    for (const holder of [trace, trace.marker]) {
      const colourbar = holder && holder.colorbar;
      if (colourbar && colourbar.orientation === "h" && trace.showscale !== false && holder.showscale !== false) {
        const title = colourbar.title;
        barTitle = barTitle || (typeof title === "string" ? title : title && title.text) || null;
        Object.assign(colourbar, {y: barTop / H, yref: "container", yanchor: "top", ypad: 0, thickness: 18, len: 0.6,
                                  title: {text: ""}});
        bar = titleBottom + (barTitle ? 44 : 0) - 110;
      }
    }
  }
  if (!bar && keys.length) bar = keyBottom + keyRow - 100;
  if (meta_.png_time_rtl) {  // time right to left, the oldest month on the right, as in the deck
    for (const name of Object.keys(layout)) {
      if (!/^xaxis[0-9]*$/.test(name)) continue;
      const axis = layout[name];
      if (axis.autorange === false && Array.isArray(axis.range)) axis.range = axis.range.slice().reverse();
      else { axis.autorange = "reversed"; delete axis.range; }
    }
  }
  const font = layout.font || {};
  layout.font = Object.assign({}, font, {family: "Vazirmatn, sans-serif", size: Math.round((font.size || 13) * K)});
  const old = layout.margin || {};
  const top = 210, bottom = 110 + Math.max(bar, 0);
  layout.margin = {t: top + Math.round((old.t || 0) * 0.5), b: bottom + Math.round((old.b || 0) * K),
                   l: 60 + Math.round((old.l || 0) * K), r: 60 + Math.round((old.r || 0) * K), pad: old.pad || 0};
  const rightEdge = layout.margin.r - 60;
  const t = layout.margin.t, b = layout.margin.b;
  const note = (text, y, yanchor, yshift, size, bold, colour) => ({
    // a right-to-left mark first: a line that starts with a digit still starts at the right
    text: "\\u200f" + (bold ? `\\x3cb>${text}\\x3c/b>` : text), xref: "paper", yref: "paper", x: 1, y, xanchor: "right", yanchor,
    xshift: rightEdge, yshift, showarrow: false, align: "right",
    font: {family: "Vazirmatn, sans-serif", size, color: colour},
  });
  layout.annotations = (layout.annotations || []).concat([
    note(meta.title, 1, "top", t - 40, 44, true, "#1f2a2e"),
    note(meta.subtitle, 1, "top", t - 118, 28, false, "#37474c"),
    note(meta.footnote, 0, "bottom", -(b - 28), 22, false, "#5b6b70"),
  ]);
  const placed = {bar_top: barTop, ticks_bottom: barBottom - 44 + 4, title_bottom: titleBottom,
                  key_top: keys.length ? keyBottom + 34 : 0};
  if (barTitle) {
    layout.annotations.push(Object.assign(note(barTitle, 0, "bottom", titleBottom - b, 24, false, "#37474c"),
                                          {x: 0.5, xanchor: "center", xshift: 0}));
  }
  // the key, right to left: a swatch (grey, pale with a dotted outline, or the orange outline) and its words
  layout.shapes = layout.shapes || [];
  let from = rightEdge;  // pixels left of the plot's right edge
  for (const item of keys) {
    const swatch = {type: "rect", xref: "paper", yref: "paper", xsizemode: "pixel", ysizemode: "pixel",
                    xanchor: 1, yanchor: 0, x0: from - 30, x1: from, y0: keyBottom + 2 - b, y1: keyBottom + 32 - b};
    layout.shapes.push(Object.assign(swatch, item.kind === "mine"
      ? {line: {color: item.colour, width: 4}, fillcolor: "rgba(0,0,0,0)"}
      : item.line ? {line: {color: item.line, width: 3, dash: "dot"}, fillcolor: item.colour}
      : {line: {width: 0}, fillcolor: item.colour}));
    layout.annotations.push(Object.assign(note(item.text, 0, "bottom", keyBottom - b, 24, false, "#37474c"),
                                          {xshift: from - 42}));
    from -= 42 + 14 * item.text.length + 56;
  }
  window.__dashLastExport = JSON.parse(JSON.stringify({data, layout, placed}));  // as asked (plotly rewrites it)
  delete layout.title;
  Object.assign(layout, {width: W, height: H, autosize: false, paper_bgcolor: "#ffffff"});
  let svg = await window.Plotly.toImage({data, layout}, {format: "svg", width: W, height: H, imageDataOnly: true});
  if (svg.startsWith("data:")) svg = decodeURIComponent(svg.slice(svg.indexOf(",") + 1));
  const faces = await window.__dashFontFaces;
  // no "<" written literally in this script: the page's HTML sanitiser drops a script that looks like markup
  svg = svg.replace(/\\x3csvg[^>]*>/, (open) => `${open}\\x3cdefs>\\x3cstyle>${faces}\\x3c/style>\\x3c/defs>`)
    .replace(/font-family: ?[^;"]*Vazirmatn[^;"]*/g, "font-family: Vazirmatn, sans-serif");
  window.__dashLastExportSvg = svg;
  const image = new Image();
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  await image.decode();
  await new Promise((ok) => setTimeout(ok, 50));
  const canvas = document.createElement("canvas");
  canvas.width = W; canvas.height = H;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, W, H);
  context.drawImage(image, 0, 0, W, H);
  const link = document.createElement("a");
  link.href = canvas.toDataURL("image/png");
  link.download = meta.filename + ".png";
  document.body.appendChild(link);
  link.click();
  link.remove();
  return link.download;
});
</script>"""

_DRAW = """<script>
(() => {
  const box = document.getElementById("%(id)s");
  const figure = JSON.parse(document.getElementById("%(id)s-figure").textContent);
  const exported = document.getElementById("%(id)s-export");
  const meta = exported ? JSON.parse(exported.textContent) : null;
  const config = {
    responsive: true, displaylogo: false, modeBarButtons: [["toImage"]], locale: "fa",
    toImageButtonOptions: {format: "png", scale: 2, filename: "%(key)s"},
  };
  performance.mark("dash-chart-waits");
  window.__dashPlotly
    .then((Plotly) => {
      performance.mark("dash-chart-starts");
      if (meta) config.modeBarButtons = [[{  // the picture for a slide, in place of plotly's bare PNG
        name: "slidePng", title: "ذخیرهٔ تصویر برای اسلاید", icon: Plotly.Icons.camera,
        click: (gd) => window.__dashSlidePng(gd, meta).catch((err) => console.error("slide picture failed", err)),
      }]];
      return Plotly.react(box, figure.data, figure.layout, config);
    })
    .then(() => {
      box.setAttribute("data-dash-chart", "drawn");
      performance.mark("dash-chart-drawn");
      const link = box.getAttribute("data-link");
      if (link && !box.__dashLinked) {  // a click on a district opens its page
        box.__dashLinked = true;
        box.on("plotly_click", (event) => {
          const point = event.points && event.points[0];
          // a filled shape (a district's boundary) reports no point of its own: its trace's customdata does
          const data = point && (point.customdata ?? (point.data && point.data.customdata && point.data.customdata[0]));
          const district = Array.isArray(data) ? data[0] : data;
          if (district) window.location.assign(link.replace("{district}", encodeURIComponent(district)));
        });
      }
    })
    .catch((err) => {
      box.setAttribute("data-dash-chart", "failed");
      box.textContent = "نمودار نمایش داده نشد؛ صفحه را دوباره باز کنید.";
      console.error("chart %(key)s could not be drawn", err);
    });
})();
</script>"""

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


def _script_json(text: str) -> str:
    """JSON safe inside a script tag: "<", ">" and "&" as JSON escapes (see figure_html)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def preload() -> None:
    """Start downloading plotly.js while the page's script still runs."""
    st.html(_LOADER, unsafe_allow_javascript=True)


def figure_html(figure: go.Figure | dict, key: str, link: str | None = None, export: ChartExport | None = None) -> str:
    """The HTML that draws ``figure``: a box, the figure as JSON, the loader and the draw call.

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
    # "<", ">" and "&" as JSON escapes: the script tag cannot close early, and the page's HTML
    # sanitiser, which drops an element whose text looks like markup («<br>»), leaves it alone
    payload = _script_json(text)
    link_attr = f' data-link="{escape_html(link, quote=True)}"' if link else ""
    meta = (
        f'<script type="application/json" id="{chart_id}-export">{_script_json(export.to_json())}</script>'
        if export
        else ""
    )
    return (
        f'<div id="{chart_id}" class="dash-chart" data-dash-chart="pending"{link_attr} '
        f'style="width:100%;min-height:{height}px;direction:ltr"></div>'
        f'<script type="application/json" id="{chart_id}-figure">{payload}</script>'
        + meta
        + _LOADER
        + _DRAW % {"id": chart_id, "key": key}
    )


def plotly_chart(
    figure: go.Figure | dict, key: str, link: str | None = None, export: ChartExport | None = None
) -> None:
    """Draw ``figure`` in the page; ``key`` names it (the box's id is ``dash-chart-<key>``);
    ``export`` makes its download a slide-ready PNG (see ChartExport)."""
    st.html(figure_html(figure, key, link, export), unsafe_allow_javascript=True)


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
) -> str:
    return figure_html(_build(), key, link, export)


def figure_from_html(body: str) -> dict:
    """The figure a chart's HTML carries (for tests and tools)."""
    match = re.search(r'<script type="application/json" id="[^"]+-figure">(.*?)</script>', body, re.S)
    if match is None:
        raise ValueError("no figure in this HTML")
    return json.loads(match.group(1))

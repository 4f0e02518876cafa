"""Draw plotly figures with plotly.js's cartesian bundle.

``st.plotly_chart`` ships the whole plotly.js (4.7 MB) and a browser spends most of a second
parsing it before the first chart appears. Every figure here is cartesian (heatmap tiles,
lines, bars), so the charts are drawn by plotly.js's official cartesian bundle (1.5 MB, served
from ``static/js``), whose download ``preload`` starts as soon as the page shell arrives.
The chart is a real plotly chart: hover labels and resizing work as usual.
"""

from __future__ import annotations

import html
import json
import re

import plotly.graph_objects as go
import streamlit as st

_LOADER = """<script>
window.__dashPlotly = window.__dashPlotly || new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = "app/static/js/plotly-cartesian.min.js";
  script.onload = () => {
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
</script>"""

_DRAW = """<script>
(() => {
  const box = document.getElementById("%(id)s");
  const figure = JSON.parse(document.getElementById("%(id)s-figure").textContent);
  const config = {
    responsive: true, displaylogo: false, modeBarButtons: [["toImage"]], locale: "fa",
    toImageButtonOptions: {format: "png", scale: 2, filename: "%(key)s"},
  };
  window.__dashPlotly
    .then((Plotly) => Plotly.react(box, figure.data, figure.layout, config))
    .then(() => {
      box.setAttribute("data-dash-chart", "drawn");
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


def preload() -> None:
    """Start downloading plotly.js while the page's script still runs."""
    st.html(_LOADER, unsafe_allow_javascript=True)


def figure_html(figure: go.Figure | dict, key: str, link: str | None = None) -> str:
    """The HTML that draws ``figure``: a box, the figure as JSON, the loader and the draw call.

    ``link`` (with ``{district}`` where the number goes) makes a click on a point open that link;
    the point's customdata (or its first item) is the district number."""
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise ValueError(f"chart key must be lower-case letters, digits and _: {key!r}")
    chart_id = CHART_ID_PREFIX + key
    if isinstance(figure, dict):  # a figure written as plain plotly JSON (see charts.district_small_multiples)
        height = figure.get("layout", {}).get("height") or 450
        text = json.dumps(figure, ensure_ascii=False, allow_nan=False)
    else:
        height = figure.layout.height or 450
        text = figure.to_json()
    # "<", ">" and "&" as JSON escapes: the script tag cannot close early, and the page's HTML
    # sanitiser, which drops an element whose text looks like markup («<br>»), leaves it alone
    payload = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    link_attr = f' data-link="{html.escape(link, quote=True)}"' if link else ""
    return (
        f'<div id="{chart_id}" class="dash-chart" data-dash-chart="pending"{link_attr} '
        f'style="width:100%;min-height:{height}px;direction:ltr"></div>'
        f'<script type="application/json" id="{chart_id}-figure">{payload}</script>'
        + _LOADER
        + _DRAW % {"id": chart_id, "key": key}
    )


def plotly_chart(figure: go.Figure | dict, key: str, link: str | None = None) -> None:
    """Draw ``figure`` in the page; ``key`` names it (the box's id is ``dash-chart-<key>``)."""
    st.html(figure_html(figure, key, link), unsafe_allow_javascript=True)


def figure_from_html(body: str) -> dict:
    """The figure a chart's HTML carries (for tests and tools)."""
    match = re.search(r'<script type="application/json" id="[^"]+-figure">(.*?)</script>', body, re.S)
    if match is None:
        raise ValueError("no figure in this HTML")
    return json.loads(match.group(1))

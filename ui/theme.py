"""The Persian right-to-left look, applied once by dashboard.py."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid="stAppViewContainer"] { direction: rtl; }
[data-testid="stMain"], [data-testid="stSidebar"], [data-testid="stSidebarContent"] {
  direction: rtl; text-align: right;
}
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], label, p, li, h1, h2, h3, h4 {
  text-align: right;
}
[data-testid="stMetricValue"], [data-testid="stMetricLabel"] { direction: rtl; text-align: right; }
[data-testid="stMetricDelta"] { direction: rtl; }
[data-testid="stMetricDelta"] div { direction: rtl; }
.stPlotlyChart, .js-plotly-plot, [data-testid="stDataFrame"] { direction: ltr; }
[data-testid="stTable"] table { direction: rtl; }
[data-testid="stTable"] th, [data-testid="stTable"] td { text-align: right; }
[data-testid="stSidebarNav"] a { flex-direction: row; }
[data-testid="stAlertContentInfo"], [data-testid="stAlertContentWarning"],
[data-testid="stAlertContentError"], [data-testid="stAlertContentSuccess"] { direction: rtl; text-align: right; }
.dash-asof { color: #5b6b70; font-size: 0.9rem; }
.dash-missing { color: #8a5a00; }
</style>
"""


def apply_rtl() -> None:
    st.html(_CSS)

"""The browser helpers report what is on a page: charts drawn, text, direction, error boxes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tools.browser import open_page
from tools.streamlit_server import serve

pytestmark = pytest.mark.browser

SCRIPT = """
import os
import plotly.graph_objects as go
import streamlit as st

st.markdown("<style>[data-testid=stMain] {direction: rtl;}</style>", unsafe_allow_html=True)
st.title(os.environ["GREETING"])
st.plotly_chart(go.Figure(go.Bar(x=["مهر", "آبان"], y=[3, 5])))
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[2, 1])))
if os.environ.get("BREAK") == "1":
    raise ValueError("شکست عمدی / broken on purpose")
"""


def _serve_script(folder: Path, **env: str):
    (folder / "probe.py").write_text(SCRIPT, encoding="utf-8")
    return serve("probe.py", cwd=folder, env={"GREETING": "درود بر تهران", **env})


def test_open_page_waits_for_every_chart_and_reads_text_and_direction(tmp_path: Path, browser: Browser) -> None:
    with _serve_script(tmp_path) as url:
        facts = open_page(browser, url, screenshot=tmp_path / "probe.png")
    assert facts.errors == []
    assert (facts.charts, facts.charts_drawn) == (2, 2)
    assert "درود بر تهران" in facts.text  # the server passed its environment to the script
    assert "آبان" in facts.chart_text
    assert facts.direction == "rtl"
    assert 0 < facts.settled_s <= facts.drawn_s
    assert facts.screenshot is not None and facts.screenshot.stat().st_size > 10_000


def test_open_page_reports_an_error_box(tmp_path: Path, browser: Browser) -> None:
    with _serve_script(tmp_path, BREAK="1") as url:
        facts = open_page(browser, url)
    assert len(facts.errors) == 1 and "broken on purpose" in facts.errors[0]

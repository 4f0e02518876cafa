"""A chart built through ``plot.cached_chart`` is built once for each memo and draws the same HTML."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
import streamlit as st

from ui import plot


def test_a_cached_chart_is_built_once_a_memo_and_again_for_another(monkeypatch):
    st.cache_data.clear()
    drawn: list[str] = []
    monkeypatch.setattr(plot.st, "html", lambda body, **_: drawn.append(body))
    builds: list[int] = []

    def bars(height: int):
        def build() -> go.Figure:
            builds.append(height)
            return go.Figure(go.Bar(x=[1, 2], y=[height, 4]))

        return build

    plot.cached_chart((7, "m", "1405-08"), bars(3), "bars")
    plot.cached_chart((7, "m", "1405-08"), bars(3), "bars")
    plot.cached_chart((8, "m", "1405-08"), bars(5), "bars")  # the data version moved
    assert builds == [3, 5]
    assert drawn[0] == drawn[1] == plot.figure_html(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "bars")
    assert plot.figure_from_html(drawn[2])["data"][0]["y"] == [5, 4]
    st.cache_data.clear()


def test_the_chart_key_link_and_export_are_part_of_the_memo(monkeypatch):
    st.cache_data.clear()
    drawn: list[str] = []
    monkeypatch.setattr(plot.st, "html", lambda body, **_: drawn.append(body))
    figure = go.Figure(go.Bar(x=[1], y=[2]))
    plot.cached_chart((1,), lambda: figure, "first")
    plot.cached_chart((1,), lambda: figure, "second", link="/district?district={district}")
    export = plot.ChartExport.of("عنوان", ["آبان ۱۴۰۵"], "آبان ۱۴۰۵", "chart-1")
    plot.cached_chart((1,), lambda: figure, "second", link="/district?district={district}", export=export)
    assert 'id="dash-chart-first"' in drawn[0]
    assert 'data-link="/district?district={district}"' in drawn[1] and 'id="dash-chart-second"' in drawn[1]
    assert 'id="dash-chart-second-export"' in drawn[2] and 'id="dash-chart-second-export"' not in drawn[1]
    st.cache_data.clear()


def test_a_trace_the_plotly_bundle_does_not_hold_is_refused_by_name():
    with pytest.raises(ValueError, match="pie"):
        plot.figure_html(go.Figure(go.Pie(values=[1, 2])), "pie")
    assert plot.figure_html(go.Figure([go.Scatter(y=[1]), go.Bar(y=[2]), go.Heatmap(z=[[1]])]), "mixed")

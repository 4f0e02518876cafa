import plotly.graph_objects as go
import pytest

from monitoring import metrics
from monitoring.calendar import Period
from ui import plot
from ui.urlstate import parse_view_params


def test_a_figure_survives_the_trip_through_the_chart_html_even_with_closing_tags():
    fig = go.Figure(go.Bar(x=[1], y=[2], text=["<b>۷</b><br>۱۲"], hovertemplate="</script><extra></extra>"))
    body = plot.figure_html(fig, "bars")
    assert body.count("</script>") == 3  # the figure's own "</script>" was escaped
    back = plot.figure_from_html(body)
    assert back["data"][0]["text"] == ["<b>۷</b><br>۱۲"]
    assert back["data"][0]["hovertemplate"] == "</script><extra></extra>"
    assert 'id="dash-chart-bars"' in body


def test_a_chart_key_cannot_break_out_of_its_html_attribute():
    with pytest.raises(ValueError):
        plot.figure_html(go.Figure(), 'x" onload="alert(1)')


def test_ranking_url_parameters_are_read():
    view = parse_view_params(
        {"metric": "news_published", "period": "1404-Q2", "measure": "per10k", "district": "۷"}, metrics.catalog()
    )
    assert (view.metric, view.period, view.measure, view.district) == (
        "news_published",
        Period.season(1404, 2),
        "per10k",
        7,
    )
    assert view.problems == []
    assert view.to_params(view.period) == {
        "metric": "news_published",
        "period": "1404-Q2",
        "measure": "per10k",
        "district": "7",
    }


def test_bad_url_parameters_fall_back_with_a_bilingual_problem_each():
    view = parse_view_params(
        {"metric": "x", "period": "1404-13", "measure": "big", "district": "23"}, metrics.catalog()
    )
    assert view.metric == next(iter(metrics.catalog())) and view.period is None
    assert view.measure == "raw" and view.district is None
    assert len(view.problems) == 4 and all(" / " in p for p in view.problems)

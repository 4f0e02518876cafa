import datetime as dt
import json
import re

import plotly.graph_objects as go
import pytest

from monitoring import metrics
from monitoring.calendar import Period, month_start
from tests.bilingual import assert_bilingual
from ui import messages, plot, tables
from ui.period import convert, nearest
from ui.state import View, read_params

CATALOG = metrics.read_catalog()
BOUNDS = (month_start(1401, 1), month_start(1405, 8))  # the sample: Farvardin 1401 to Aban 1405
BASE = View("reports_submitted", Period.month(1405, 8), "raw", None)


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


def test_url_parameters_are_read():
    view, notices = read_params(
        {"metric": "news_published", "period": "1404-Q2", "measure": "per10k", "district": "۷"}, CATALOG, BOUNDS, BASE
    )
    assert view == View("news_published", Period.season(1404, 2), "per10k", 7)
    assert notices == []
    assert view.to_params() == {"metric": "news_published", "period": "1404-Q2", "measure": "per10k", "district": "7"}


def test_missing_url_parameters_keep_the_choices_made_before():
    before = View("citizen_satisfaction", Period.whole_year(1403), "perkm2", 12)
    view, notices = read_params({}, CATALOG, BOUNDS, before)
    assert view == before and notices == []


def test_bad_url_parameters_keep_the_base_with_a_bilingual_notice_each():
    view, notices = read_params(
        {"metric": "x", "period": "1404-13", "measure": "big", "district": "23"}, CATALOG, BOUNDS, BASE
    )
    assert view == BASE
    assert len(notices) == 4
    # the Persian never echoes what the link said (it may be Latin); the English beside it does
    assert all(n.fa and n.en and not re.search("[A-Za-z]", n.fa) for n in notices)
    assert "'big'" in notices[2].en


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        (Period.whole_year(1410), Period.whole_year(1405)),
        (Period.month(1390, 1), Period.month(1401, 1)),
        (Period.season(1405, 4), Period.season(1405, 3)),
        (Period.season(1400, 4), Period.season(1401, 1)),
        (Period.month(1404, 7), Period.month(1404, 7)),
    ],
)
def test_a_period_outside_the_data_becomes_the_nearest_of_its_kind(asked, shown):
    assert nearest(asked, (1401, 1), (1405, 8)) == shown
    view, notices = read_params({"period": asked.code}, CATALOG, BOUNDS, BASE)
    assert view.period == shown
    assert len(notices) == (0 if asked == shown else 1)


def test_switching_month_season_and_year_keeps_the_time_looked_at():
    first, last = (1401, 1), (1405, 8)
    assert convert(Period.month(1404, 5), "season", first, last) == Period.season(1404, 2)
    assert convert(Period.season(1404, 2), "year", first, last) == Period.whole_year(1404)
    assert convert(Period.whole_year(1405), "month", first, last) == Period.month(1405, 8)


def test_a_domain_error_reaches_the_page_with_its_persian_and_english_apart(monkeypatch):
    from monitoring.calendar import PeriodParseError, parse_month

    with pytest.raises(PeriodParseError) as caught:
        parse_month("9999-99")
    shown: list[str] = []
    monkeypatch.setattr(messages.st, "html", shown.append)
    messages.error(caught.value.message)
    assert_bilingual(caught.value.message)
    (body,) = shown
    fa_part, en_part = body.split('<p class="en" lang="en" dir="ltr">')
    assert "وجود ندارد" in fa_part and "does not exist" not in fa_part
    assert "does not exist" in en_part and "وجود" not in en_part


def test_a_notice_keeps_the_english_in_its_own_element_marked_english():
    body = messages.note_html("warning", "دوره خوانا نیست", "cannot read <the> period")
    assert '<p class="en" lang="en" dir="ltr">cannot read &lt;the&gt; period</p>' in body
    assert 'role="alert"' in body


def test_table_cells_are_escaped_and_my_row_is_marked():
    import pandas as pd

    body = tables.table_html(
        pd.DataFrame({"فایل": ["<img src=x onerror=alert(1)>", "a.csv"]}), highlight=[False, True], code=["فایل"]
    )
    assert "<img" not in body and "&lt;img" in body
    assert body.count("class='mine'") == 1


def test_dates_in_the_view_stay_gregorian_month_starts():
    assert Period.month(1404, 7).start == dt.date(2025, 9, 23)


def test_values_embedded_in_persian_are_isolated_so_they_read_as_written():
    body = messages.persian_html("ماه ۱۳ در «1404/13» نیست؛ فایل «report.csv»، دوره 9999-99 & <x>")
    assert '<bdi dir="ltr">1404/13</bdi>' in body and '<bdi dir="ltr">9999-99</bdi>' in body
    assert '<bdi lang="en" dir="ltr">report.csv</bdi>' in body
    assert "&amp;" in body and "<x>" not in body  # still escaped


def test_a_message_in_a_table_cell_shows_both_languages_each_in_its_element():
    from monitoring.message import Message

    for value in (Message("۳ مورد رد شد", "3 value(s) rejected"), {"fa": "۳ مورد رد شد", "en": "3 value(s) rejected"}):
        cell = tables.cell_html(value, bilingual=True)
        assert cell.startswith("۳ مورد رد شد<br>")
        assert cell.endswith('<span class="en dash-muted" lang="en" dir="ltr">3 value(s) rejected</span>')


def test_per_resident_decimals_keep_small_figures_readable():
    from ui import fmt

    count = CATALOG["street_naming_cases"]
    small = [0.0042, 0.0031, 0.0057]
    decimals = fmt.measure_decimals(count, "per10k", small)
    assert all(re.search("[۱-۹]", fmt.num(v, decimals)) for v in small)
    assert fmt.measure_decimals(count, "raw", small) == count.decimals
    assert fmt.value_text(count, 0.0, decimals, "per10k") == "۰ پرونده در هر ۱۰٬۰۰۰ نفر"


def test_a_figure_written_as_a_dict_carries_no_markup_in_its_json():
    # the page's HTML sanitiser drops a script whose text looks like markup, so no «<» may be in it
    body = plot.figure_html(
        {"data": [{"type": "scatter", "x": [1], "y": [1], "text": ["الف<br>ب"]}], "layout": {}}, "d"
    )
    payload = body.split('id="dash-chart-d-figure">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and ">" not in payload
    assert plot.figure_from_html(body)["data"][0]["text"] == ["الف<br>ب"]


def test_a_chart_with_an_export_carries_its_slide_texts_and_file_name_as_escaped_json():
    export = plot.ChartExport.of(
        "رتبه‌بندی مناطق: <b>اخبار</b> & گزارش",
        ["مهر ۱۴۰۵", "واحد: خبر", None, "تیره‌تر: بهتر، یعنی بیشتر"],
        "آبان ۱۴۰۵",
        "ranking-news_published-1405-07",
    )
    body = plot.figure_html(go.Figure(go.Bar(x=[1], y=[2])), "bars", export=export)
    payload = body.split('id="dash-chart-bars-export">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and ">" not in payload and "&" not in payload
    meta = json.loads(payload)
    assert meta == {
        "title": "رتبه‌بندی مناطق: <b>اخبار</b> & گزارش",
        "subtitle": "مهر ۱۴۰۵ · واحد: خبر · تیره‌تر: بهتر، یعنی بیشتر",
        "footnote": f"داده‌ها تا آبان ۱۴۰۵ · {plot.SOURCE}",
        "filename": "ranking-news_published-1405-07",
    }
    assert "ذخیرهٔ تصویر برای اسلاید" in body and "Plotly.Icons.camera" in body
    assert 'id="dash-chart-bars-export"' not in plot.figure_html(go.Figure(), "bars")  # no export: plotly's own button


def test_a_chart_file_name_is_plain_ascii():
    with pytest.raises(ValueError):
        plot.ChartExport.of("عنوان", [], "مهر ۱۴۰۵", "رتبه ۷")


def test_a_link_with_several_problems_gets_one_compact_notice_listing_each():
    from html import unescape

    from ui import messages

    _, notices = read_params(
        {"metric": "<b>x</b>", "period": "1404-99", "measure": "big", "district": "99"}, CATALOG, BOUNDS, BASE
    )
    html = messages.link_problems_html([(n.fa, n.en, n.short_fa) for n in notices])
    assert html.count('class="dash-note') == 1 and html.count("<li>") == 4
    assert html.count('lang="en" dir="ltr">Ignored in the link:') == 1  # the English in its own element
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html  # the link's text is escaped
    items = re.findall(r"<li>(.*?)</li>", html)
    assert all(len(unescape(re.sub("<[^>]+>", "", i))) <= 64 for i in items), items  # short lines on a phone
    one = messages.link_problems_html([(notices[1].fa, notices[1].en, notices[1].short_fa)])
    assert "<li>" not in one and notices[1].fa.split("(")[0].strip() in one  # one problem: its full sentence


def test_the_pages_plotly_js_is_the_version_plotly_writes_figures_for():
    """The bundle ui/plot.py serves (static/js, built by build-plotly.sh) is the plotly.js the Python
    plotly package writes its figures' JSON for: an upgrade of one without the other fails here."""
    import re
    from pathlib import Path

    import plotly.offline

    js = Path(__file__).resolve().parents[2] / "static" / "js"
    banner = (js / "plotly-dashboard.min.js").open(encoding="utf-8").readline()
    built = re.search(r"plotly\.js v(\S+)", banner)
    script = re.search(r"^PLOTLY_VERSION=(\S+)$", (js / "build-plotly.sh").read_text(encoding="utf-8"), re.M)
    assert built and script
    assert built.group(1) == script.group(1) == plotly.offline.get_plotlyjs_version()


def test_every_trace_the_charts_build_is_one_the_bundle_registers():
    """build-plotly.sh registers scatter (plotly.js's core), bar and heatmap only."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "monitoring" / "charts.py").read_text(encoding="utf-8")
    built = {m.lower() for m in re.findall(r"go\.([A-Z][a-zA-Z]+)\(", source)} - {"figure", "layout"}
    built |= set(re.findall(r'"type": "([a-z]+)"', source))
    assert built and built <= {"scatter", "bar", "heatmap"}

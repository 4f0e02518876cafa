"""The district page under AppTest against the sample store."""

import re

import pytest

from tests.views.helpers import figures, html_bodies, notes, plain, tables
from ui import state


@pytest.fixture
def district_page(app):
    app.switch_page("views/district.py")
    return app


def test_without_a_district_the_page_offers_links_to_all_22(district_page):
    at = district_page.run()
    assert not at.exception
    nav = next(b for b in html_bodies(at) if "dash-district-links" in b)
    assert nav.count("<a ") == 22 and "show=7" in nav and "district=" not in nav


def test_a_district_page_shows_every_metric_with_rank_and_change(district_page):
    at = district_page
    at.query_params.update({"district": "10", "period": "1405-07", "metric": "reports_submitted"})
    at.run()
    assert not at.exception and not notes(at, "error")
    assert "منطقه ۱۰" in [t.value for t in at.title]
    rows, _ = tables(at)[0]
    assert len(rows) == 16
    assert all(" از " in r["رتبه"] or r["رتبه"] in ("گزارش نشده", "بدون رتبه") for r in rows)
    assert any("نسبت به" in k for k in rows[0])
    rank_chart, multiples = figures(at)
    assert all(1 <= r <= 22 for r in rank_chart["data"][0]["y"])
    assert len(multiples["layout"]["annotations"]) >= 16
    record = next(plain(b) for b in html_bodies(at) if "dash-record" in b)
    assert "مهر ۱۴۰۵" in record and "آبان ۱۴۰۴" in record  # the twelve months up to the period
    assert "به‌موقع" in record


def test_compare_with_another_district_travels_in_the_url(district_page):
    at = district_page
    at.query_params.update({"district": "10", "compare": "4"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="district_compare").value == "4"
    assert any(t.get("name") == "منطقه ۴" for t in figures(at)[-1]["data"])
    at.selectbox(key="district_compare").set_value("median").run()
    assert "compare" not in at.query_params or at.query_params["compare"] == "median"
    assert not any(t.get("name") == "منطقه ۴" for t in figures(at)[-1]["data"])


def test_the_district_chosen_in_the_sidebar_is_the_page_shown(district_page):
    at = district_page
    at.query_params.update({"district": "3"})
    at.run()
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(12).run()
    assert "منطقه ۱۲" in [t.value for t in at.title]
    assert at.query_params["district"] == "12"


def test_the_overview_map_opens_the_district_page_on_a_click(app):  # noqa: F811
    at = app.run()
    body = next(b for b in html_bodies(at) if "dash-chart-tile_map" in b)
    assert 'data-link="./district?' in body and "{district}" in body
    tile_map = figures(at)[0]
    numbers = {n for trace in tile_map["data"] for row in trace["customdata"] for n in row if n}
    assert numbers == set(range(1, 23))


def test_my_district_has_its_line_on_every_city_card(app):  # noqa: F811
    at = app
    at.query_params.update({"district": "7", "period": "1405-07"})
    at.run()
    grid = next(b for b in html_bodies(at) if "dash-cards" in b)
    assert grid.count('class="d mine"') == 16
    assert "منطقه ۷: " in plain(grid) and "رتبهٔ" in plain(grid)


def test_the_district_page_lists_its_own_alerts(district_page):
    at = district_page
    at.query_params.update({"district": "7", "period": "1405-08"})
    at.run()
    alerts_box = next(plain(b) for b in html_bodies(at) if "district-alerts" in b or "هشدارهای" in b)
    assert "آبان ۱۴۰۵" in alerts_box
    assert "منطقه ۷" in alerts_box or "موردی نیست" in alerts_box
    # no other district's alert on this district's page
    assert not re.search(r"منطقه (?!۷\b)[۰-۹]+", alerts_box.replace("منطقه ۷", ""))


@pytest.mark.parametrize("page", ["views/rankings.py", "views/reporting.py"])
def test_district_names_in_tables_open_the_district_page(app, page):  # noqa: F811
    at = app
    at.switch_page(page)
    at.query_params.update({"period": "1405-07"})
    at.run()
    body = next(b for b in html_bodies(at) if "dash-table" in b)
    hrefs = re.findall(r'class="dash-cell-link" href="([^"]+)"', body)
    assert hrefs and all(h.startswith("./district?") and "period=1405-07" in h for h in hrefs)
    charts = [b for b in html_bodies(at) if "dash-chart-ranking_bars" in b]
    if page == "views/rankings.py":
        assert 'data-link="./district?' in charts[0]


def test_looking_at_another_district_keeps_my_district(district_page):
    at = district_page
    at.query_params.update({"district": "3", "show": "7", "period": "1405-07"})
    at.run()
    assert not at.exception
    assert "منطقه ۷" in [t.value for t in at.title]
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 3  # «منطقهٔ من» untouched
    assert at.query_params["district"] == "3" and at.query_params["show"] == "7"
    # the page's own picker looks at another district; «منطقهٔ من» still does not move
    at.selectbox(key=state.SHOW_KEY).set_value(12).run()
    assert "منطقه ۱۲" in [t.value for t in at.title]
    assert at.query_params["district"] == "3" and at.query_params["show"] == "12"
    # back to my own district: no ``show`` in the URL, and the page follows «منطقهٔ من» again
    at.selectbox(key=state.SHOW_KEY).set_value(3).run()
    assert "show" not in at.query_params and "منطقه ۳" in [t.value for t in at.title]
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(5).run()
    assert "منطقه ۵" in [t.value for t in at.title] and at.query_params["district"] == "5"


def test_a_district_shown_without_my_district_sets_none(district_page):
    at = district_page
    at.query_params.update({"show": "9"})
    at.run()
    assert not at.exception and "منطقه ۹" in [t.value for t in at.title]
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == state.NO_DISTRICT
    assert "district" not in at.query_params


def test_the_district_page_links_keep_my_district(district_page):
    at = district_page
    at.query_params.update({"district": "3", "show": "7", "period": "1405-07"})
    at.run()
    record = next(b for b in html_bodies(at) if "dash-record" in b)
    href = re.search(r'href="([^"]+)"', record).group(1)
    assert href.startswith("./reporting?") and "period=1405-07" in href and "district=3" in href


def test_an_opened_address_is_normalised_in_place_and_a_choice_after_it_still_counts(district_page):
    """The document's first run writes the normalised address without a URL message (so the browser
    replaces its entry); Streamlit's frontend still reports the address it opened with until the next
    URL message, and a choice made meanwhile is not undone by reading that address again."""
    at = district_page
    at.query_params.update({"district": "3"})
    at.run()
    assert at.query_params["district"] == "3" and "metric" in at.query_params  # normalised on the server too
    assert any("replaceState" in b for b in html_bodies(at)), "no in-place address for the browser"
    at.query_params.clear()
    at.query_params.update({"district": "3"})  # what the browser still reports
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(12).run()
    assert "منطقه ۱۲" in [t.value for t in at.title] and at.query_params["district"] == "12"
    assert not any("replaceState" in b for b in html_bodies(at))  # a choice: a new entry

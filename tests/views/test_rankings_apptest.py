"""The rankings page under AppTest against the sample store: rank change in the table and beside
«منطقهٔ من», the bump chart of the last 12 periods, and the composite index kept in the URL."""

from __future__ import annotations

import re

import pytest

from monitoring import metrics, rankings
from tests.views.helpers import figures, notes, tables, text_of
from ui import composite

RANKINGS = "views/rankings.py"
TAB_KEY = "rankings_tab"
TREND, INDEX = "روند رتبه‌ها", "شاخص ترکیبی"
CATALOG = metrics.read_catalog()
CHANGE = re.compile(r"^(↑[۱-۹][۰-۹]*|↓[۱-۹][۰-۹]*|بی‌تغییر|—)$")
TIERS = {label for _, label in rankings.INDEX_TIERS} | {rankings.NOT_REPORTED}


def open_rankings(at, tab: str | None = None, **params):
    at.switch_page(RANKINGS)
    at.query_params.update(params)
    if tab:
        at.session_state[TAB_KEY] = tab
    at.run()
    assert not at.exception
    return at


def test_the_table_shows_each_district_s_move_since_the_previous_period(app):
    at = open_rankings(app, metric="reports_submitted", period="1405-08")
    rows, _ = tables(at)[0]
    assert all(CHANGE.match(r["تغییر"]) for r in rows), [r["تغییر"] for r in rows]
    moved = [r for r in rows if r["تغییر"].startswith(("↑", "↓"))]
    assert moved, "on the sample data some district moves between Mehr and Aban 1405"
    # a district that did not report is outside the ranking: no change is made up for it
    assert all(r["تغییر"] == "—" for r in rows if r["رتبه"] == "گزارش نشده")
    assert any("مهر ۱۴۰۵" in c.value for c in at.caption)  # the table says what it compares with


def test_my_district_s_note_says_how_it_moved_since_the_previous_season_across_the_year(app):
    at = open_rankings(app, metric="reports_submitted", period="1405-Q1", district="7")
    said = [n for kind in ("success", "info", "error") for n in notes(at, kind) if "منطقه ۷" in n]
    assert said and "زمستان ۱۴۰۴" in said[0], said  # spring 1405 is compared with winter 1404
    rows, mine = tables(at)[0]
    change = next(r["تغییر"] for r, m in zip(rows, mine, strict=True) if m)
    assert change in said[0] or (change == "—" and "رتبه‌ای نداشت" in said[0])


def test_a_neutral_metric_has_no_change_column(app):
    at = open_rankings(app, metric="meeting_requests")
    rows, _ = tables(at)[0]
    assert "تغییر" not in rows[0]


def test_the_bump_chart_draws_twelve_periods_rank_one_on_top_my_district_highlighted(app):
    at = open_rankings(app, TREND, metric="reports_submitted", period="1405-08", district="3")
    bump = figures(at)[0]
    assert bump["layout"]["yaxis"]["range"][0] > bump["layout"]["yaxis"]["range"][1]  # rank 1 at the top
    highlighted = [t for t in bump["data"] if t["marker"]["color"] == "#e07a1f"]
    assert len(highlighted) == 1 and len(bump["data"]) == 22
    assert len(highlighted[0]["x"]) == 12
    ys = [y for t in bump["data"] for y in t["y"]]
    assert None in ys and 0 not in ys  # gaps where a district did not report, never rank 0
    assert highlighted[0]["y"][-1] is None  # district 3 did not report Aban 1405
    ticks = bump["layout"]["xaxis"]["ticktext"]
    assert ticks and all(re.search("[\u0600-\u06ff]", t) and not re.search("[0-9]", t) for t in ticks)
    names = [a["text"] for a in bump["layout"]["annotations"]]
    assert len(names) <= 4 and all(n.startswith("منطقه") for n in names)  # the first three and mine


def test_the_bump_chart_of_a_season_crosses_the_year_boundary(app):
    at = open_rankings(app, TREND, metric="citizen_satisfaction", period="1405-Q1")
    bump = figures(at)[0]
    hovers = " ".join(h for t in bump["data"] for h in t["customdata"])
    assert "زمستان ۱۴۰۴" in hovers and "بهار ۱۴۰۵" in hovers
    assert "برجسته" in text_of(at)  # without «منطقهٔ من», the caption says how to highlight one


def test_a_neutral_metric_has_no_rank_trend(app):
    at = open_rankings(app, TREND, metric="requests_137")
    assert not figures(at)
    assert any("رتبه ندارد" in n for n in notes(at, "info"))


def test_the_composite_index_from_a_link_with_its_method_and_tiers(app):
    at = open_rankings(app, INDEX, period="1405-Q2", district="7", index="news_published:2,citizen_satisfaction:1")
    assert at.multiselect(key=composite.METRICS_KEY).value == ["news_published", "citizen_satisfaction"]
    assert at.selectbox(key="rank_index_w_news_published").value == 2
    assert rankings.INDEX_METHOD in text_of(at)
    assert "۸۰ و بیشتر" in text_of(at)  # the cut points are stated
    rows, mine = tables(at)[0]
    assert len(rows) == 22 and {r["سطح"] for r in rows} <= TIERS
    assert [r["منطقه"] for r, m in zip(rows, mine, strict=True) if m] == ["منطقه ۷"]
    ranked = [r for r in rows if r["رتبه"] != rankings.NOT_REPORTED]
    assert ranked[0]["رتبه"] == "۱"
    assert at.query_params["index"] == "news_published:2,citizen_satisfaction:1"


def test_neutral_metrics_cannot_be_chosen_and_the_page_says_so(app):
    at = open_rankings(app, INDEX)
    options = at.multiselect(key=composite.METRICS_KEY).options
    neutral = [m.name_fa for m in CATALOG.values() if m.direction == "neutral"]
    assert neutral and not set(neutral) & set(options)
    assert all(name in text_of(at) for name in neutral)


def test_a_changed_composite_goes_into_the_url_and_survives_another_page(app):
    at = open_rankings(app, INDEX, index="news_published:2,citizen_satisfaction:1")
    at.selectbox(key="rank_index_w_news_published").set_value(5).run()
    assert at.query_params["index"] == "news_published:5,citizen_satisfaction:1"
    at.switch_page("views/overview.py").run()
    at.switch_page(RANKINGS).run()
    assert not at.exception
    assert at.selectbox(key="rank_index_w_news_published").value == 5
    assert at.query_params["index"] == "news_published:5,citizen_satisfaction:1"


def test_the_composite_survives_a_visit_to_another_tab(app):
    at = open_rankings(app, INDEX, index="media_coverage:3")
    at.session_state[TAB_KEY] = "رتبه‌بندی"
    at.run()
    assert at.query_params["index"] == "media_coverage:3"
    at.session_state[TAB_KEY] = INDEX
    at.run()
    assert at.multiselect(key=composite.METRICS_KEY).value == ["media_coverage"]
    assert at.selectbox(key="rank_index_w_media_coverage").value == 3


def test_a_link_with_a_bad_composite_warns_and_keeps_what_it_can(app):
    at = open_rankings(app, INDEX, index="requests_137:2,nope:1,news_published:40")
    warnings = notes(at, "warning")
    assert len(warnings) == 1, warnings  # one notice listing the problems, not one each
    assert "137" in warnings[0] and "'nope'" in warnings[0] and "1 to 10" in warnings[0], warnings
    assert at.multiselect(key=composite.METRICS_KEY).value == ["news_published"]
    assert at.selectbox(key="rank_index_w_news_published").value == 10


def test_a_district_below_half_the_weight_is_not_reported_in_the_composite(app):
    # Aban 1405: some districts sent nothing; with every metric chosen they have no index
    every = ",".join(f"{code}:1" for code in rankings.rankable(CATALOG))
    at = open_rankings(app, INDEX, period="1405-08", index=every)
    rows, _ = tables(at)[0]
    missing = [r for r in rows if r["رتبه"] == rankings.NOT_REPORTED]
    assert missing and all(r["سطح"] == rankings.NOT_REPORTED and r["شاخص ترکیبی (۰ تا ۱۰۰)"] == "—" for r in missing)
    assert rows[-len(missing) :] == missing  # listed last, outside the ranking


def test_clearing_every_metric_asks_for_one(app):
    at = open_rankings(app, INDEX)
    at.multiselect(key=composite.METRICS_KEY).set_value([]).run()
    assert not at.exception
    assert any("دست‌کم یک شاخص" in n for n in notes(at, "info"))
    assert at.query_params["index"] == composite.NONE


@pytest.mark.parametrize("tab", [None, TREND, INDEX])
def test_every_tab_runs_for_a_year_and_per_km2(app, tab):
    at = open_rankings(app, tab, metric="news_published", period="1404", measure="perkm2", district="12")
    assert "سال ۱۴۰۴" in text_of(at)
    assert figures(at) if tab != INDEX else tables(at)[0][0]


def test_moves_are_coloured_by_direction_up_green_down_red(app):
    from tests.views.helpers import html_bodies

    at = open_rankings(app, metric="reports_submitted", period="1405-08")
    table = next(b for b in html_bodies(at) if "dash-table" in b)
    ups = re.findall(r'<span class="chg (\w+)"[^>]*>↑', table)
    downs = re.findall(r'<span class="chg (\w+)"[^>]*>↓', table)
    assert ups and downs and set(ups) == {"good"} and set(downs) == {"bad"}, (ups, downs)


def test_the_months_column_only_for_a_season_or_a_year(app):
    at = open_rankings(app, metric="reports_submitted", period="1405-08")
    rows, _ = tables(at)[0]
    assert "ماه‌های گزارش‌شده" not in rows[0]  # a month: «۱ از ۱» on every row said nothing
    at = open_rankings(app, metric="reports_submitted", period="1405-Q1")
    rows, _ = tables(at)[0]
    assert "ماه‌های گزارش‌شده" in rows[0]

"""Every page runs under AppTest against the sample store without an exception, and says what it
should: the one rule for «گزارش نشده», honest signals, choices shared by the pages and the URL."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from monitoring import metrics
from tests.access import sign_in_apptest
from tests.views.helpers import DASHBOARD, figures, html_bodies, notes, plain, tables, text_of
from ui import state

CATALOG = metrics.read_catalog()


def test_overview_shows_22_tiles_and_a_card_per_metric(app):
    at = app.run()
    assert not at.exception
    cards = [b for b in html_bodies(at) if "dash-cards" in b]
    assert len(cards) == 1 and cards[0].count("data-metric=") == len(CATALOG)
    tile_map = figures(at)[0]
    tiles = [t for trace in tile_map["data"] for row in trace["text"] for t in row if t]
    assert len(tiles) == 22
    # the latest month (Aban 1405) is the default; the sample has districts that are late
    assert "آبان ۱۴۰۵" in text_of(at)


def test_overview_names_late_districts_by_one_rule_and_greys_them_on_the_map(app):
    at = app.run()
    panel = next(b for b in html_bodies(at) if "dash-attention-panel" in b)
    missing_box = panel.split('class="dash-att missing_report', 1)[1].split("</section>", 1)[0]
    listed = set(re.findall(r"منطقه ([۰-۹]+)", plain(missing_box)))
    assert listed, "no district named among the missing reports"
    tile_map = figures(at)[0]
    grey = {t for t in tile_map["data"][0]["text"] for t in t if t}  # the "not reported" trace
    # every district greyed for the map's metric is named among the missing or partial reports
    for tile in grey:
        number = re.search(r"<b>([۰-۹]+)</b>", tile).group(1)
        assert number in listed, (
            f"district {number} is grey on the map but not named in the panel: {plain(missing_box)}"
        )


def test_overview_attention_lines_link_to_the_page_that_explains_them(app):
    at = app.run()
    panel = next(b for b in html_bodies(at) if "dash-attention-panel" in b)
    hrefs = re.findall(r'href="([^"]+)"', panel)
    assert hrefs and all(h.startswith(("./district?", "./reporting", "./rankings?", "./review?")) for h in hrefs), hrefs
    assert any(h.startswith("./reporting") for h in hrefs)
    # the sample store holds no review meeting: every district is flagged, each a link to its pack
    reviews = [h.replace("&amp;", "&") for h in hrefs if h.startswith("./review?")]
    assert sorted(int(re.search(r"show=(\d+)", h).group(1)) for h in reviews) == list(range(1, 23))


def test_overview_colour_bar_says_what_darker_means(app):
    at = app
    at.query_params.update({"metric": "response_time_137_hours"})
    at.run()
    colourbar = figures(at)[0]["data"][-1]["colorbar"]  # the value tiles: drawn last, over the grey and pale ones
    assert "کمتر" in colourbar["title"]["text"] and "بهتر" in colourbar["title"]["text"]
    assert all(not t.startswith("\u2212۰") for t in colourbar["ticktext"])


def test_overview_trend_has_jalali_ticks_and_marks_incomplete_months_apart(app):
    at = app.run()
    trend = figures(at)[1]
    ticks = trend["layout"]["xaxis"]["ticktext"]
    assert ticks and all(any(month in t for month in ("فروردین", "مهر")) for t in ticks)
    line, incomplete = trend["data"][0], trend["data"][1]
    # a month is either on the line (complete) or an orange point of its own (incomplete), never both
    for on_line, apart in zip(line["y"], incomplete["y"], strict=True):
        assert (on_line is None) != (apart is None)


def test_overview_season_picker_changes_the_period(app):
    at = app.run()
    at.sidebar.radio(key=f"{state.PERIOD_KEY}_kind").set_value("season").run()
    at.sidebar.selectbox(key=f"{state.PERIOD_KEY}_year").set_value(1404).run()
    at.sidebar.selectbox(key=f"{state.PERIOD_KEY}_season").set_value(2).run()
    assert not at.exception
    assert "تابستان ۱۴۰۴" in text_of(at)
    assert at.query_params["period"] == "1404-Q2"


def test_ranking_lists_all_22_districts(app):
    at = app
    at.switch_page("views/rankings.py")
    at.run()
    assert not at.exception
    rows, _ = tables(at)[0]
    assert len(rows) == 22
    assert sorted(r["منطقه"] for r in rows) == sorted(
        f"منطقه {n}" for n in "۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۱۰ ۱۱ ۱۲ ۱۳ ۱۴ ۱۵ ۱۶ ۱۷ ۱۸ ۱۹ ۲۰ ۲۱ ۲۲".split()
    )
    # the late districts are listed at the bottom as not reported, never as zero
    ranks = [r["رتبه"] for r in rows]
    assert "گزارش نشده" in ranks
    first_missing = ranks.index("گزارش نشده")
    assert all(r == "گزارش نشده" for r in ranks[first_missing:])


def test_ranking_reopens_the_view_in_the_url(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "news_published", "period": "1404-Q2", "measure": "per10k", "district": "7"})
    at.run()
    assert not at.exception
    assert at.selectbox(key=state.METRIC_KEY).value == "news_published"
    assert at.radio(key=state.MEASURE_KEY).value == "per10k"
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 7
    assert "تابستان ۱۴۰۴" in text_of(at)
    rows, mine = tables(at)[0]
    assert [r["منطقه"] for r, m in zip(rows, mine, strict=True) if m] == ["منطقه ۷"]
    profile, _ = tables(at)[1]  # why district 7 ranks where it does: its place on every metric
    assert len(profile) == len(CATALOG)
    assert all(" از " in r["رتبه"] or r["رتبه"] in ("گزارش نشده", "بدون رتبه") for r in profile)
    assert dict(at.query_params) == {
        "metric": "news_published",
        "period": "1404-Q2",
        "measure": "per10k",
        "district": "7",
    }


def test_per_resident_values_of_small_counts_stay_readable(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "street_naming_cases", "period": "1405-08", "measure": "per10k"})
    at.run()
    rows, _ = tables(at)[0]
    column = next(k for k in rows[0] if "۱۰٬۰۰۰" in k)
    counted = [r for r in rows if r["رتبه"] != "گزارش نشده" and not r["رقم خام"].startswith("۰ ")]
    # a district that counted something never shows «۰٫۰۰»: some digit of its figure is not zero
    unreadable = [r[column] for r in counted if not re.search("[۱-۹]", r[column])]
    assert counted and not unreadable, unreadable


def test_a_neutral_metric_is_shown_but_not_ranked(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "meeting_requests", "district": "10"})
    at.run()
    rows, _ = tables(at)[0]
    assert all(r["رتبه"] in ("—", "گزارش نشده") for r in rows)
    assert any("رتبه ندارد" in n for n in notes(at, "info"))
    assert not notes(at, "success") and not notes(at, "error")


def test_a_district_ranked_last_is_not_shown_in_green(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "reports_submitted", "period": "1405-08"})
    at.run()
    rows, _ = tables(at)[0]
    last = [r for r in rows if r["رتبه"] != "گزارش نشده"][-1]["منطقه"]
    number = re.search(r"[۰-۹]+", last).group(0)
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(
        int(number.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
    ).run()
    assert not notes(at, "success")
    assert any("رتبهٔ" in n for n in notes(at, "error"))


def test_my_district_can_be_cleared(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"district": "7"})
    at.run()
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(state.NO_DISTRICT).run()
    assert "district" not in at.query_params
    assert not any(tables(at)[0][1])


def test_ranking_with_a_bad_link_warns_and_shows_the_nearest_view(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "nope", "period": "1404-99", "district": "40"})
    at.run()
    assert not at.exception
    warnings = notes(at, "warning")
    assert len(warnings) == 1, warnings  # one notice listing what the link got wrong, not one each
    assert all(asked in warnings[0] for asked in ("nope", "۴۰", "1404-99")), warnings
    assert "Ignored in the link" in warnings[0]
    assert len(tables(at)[0][0]) == 22


@pytest.mark.parametrize(
    ("asked", "shown", "label"),
    [("1410", "1405", "سال ۱۴۰۵"), ("1390-01", "1401-01", "فروردین ۱۴۰۱"), ("1405-Q4", "1405-Q3", "پاییز ۱۴۰۵")],
)
def test_a_period_outside_the_data_opens_the_nearest_one_and_says_so(app, asked, shown, label):
    at = app
    at.query_params.update({"period": asked})
    at.run()
    assert not at.exception
    warning = notes(at, "warning")
    assert len(warning) == 1 and label in warning[0], warning
    assert at.query_params["period"] == shown


def test_choices_follow_the_user_from_page_to_page(app, tmp_path, monkeypatch):
    at = sign_in_apptest(app, monkeypatch, tmp_path)  # the upload page is for administrators
    at.query_params.update({"metric": "citizen_satisfaction", "period": "1404-Q2", "district": "7"})
    at.run()
    at.switch_page("views/upload.py").run()
    at.switch_page("views/rankings.py").run()
    assert not at.exception
    assert at.selectbox(key=state.METRIC_KEY).value == "citizen_satisfaction"
    assert "تابستان ۱۴۰۴" in text_of(at)
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 7
    at.switch_page("views/overview.py").run()
    assert at.selectbox(key=state.METRIC_KEY).value == "citizen_satisfaction"
    assert dict(at.query_params)["period"] == "1404-Q2"


def test_upload_page_runs(app, tmp_path, monkeypatch):
    at = sign_in_apptest(app, monkeypatch, tmp_path)
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception
    assert at.get("file_uploader"), "the administrator did not get the uploader"


@pytest.mark.parametrize("view", ["views/overview.py", "views/rankings.py", "views/upload.py"])
def test_an_empty_store_shows_a_hint_not_an_error(view, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "empty.sqlite"))
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    at = sign_in_apptest(AppTest.from_file(DASHBOARD, default_timeout=60), monkeypatch, tmp_path)
    at.switch_page(view)
    at.run()
    assert not at.exception and not notes(at, "error")
    if view != "views/upload.py":
        assert "هنوز داده‌ای بارگذاری نشده است" in notes(at, "info")[0]


def test_an_unreachable_database_is_explained_without_a_traceback(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    error = notes(at, "error")[0]
    assert "پایگاه داده در دسترس نیست" in error and "could not be opened" in error


def test_a_fault_in_a_page_is_logged_and_shown_with_a_reference(app, monkeypatch, caplog):
    from monitoring import overview

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the overview")

    monkeypatch.setattr(overview, "build_cards", broken)
    st.cache_data.clear()  # the city cards are cached (ui/data.city_cards): built again, they fail
    at = app.run()
    assert not at.exception  # no traceback on the page
    error = notes(at, "error")[0]
    reference = re.search(r"E-[0-9A-F]+", error).group(0)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "a bug in the overview" in str(logged[0].exc_info[1])


@pytest.mark.postgres
@pytest.mark.parametrize("view", ["views/overview.py", "views/rankings.py", "views/upload.py"])
def test_every_view_runs_on_postgresql(view, pg_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", pg_engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)  # a first start loads the sample data
    sign_in_apptest(at, monkeypatch, tmp_path)
    at.switch_page(view)
    at.run()
    assert not at.exception and not notes(at, "error")
    if view == "views/overview.py":
        assert len([t for trace in figures(at)[0]["data"] for row in trace["text"] for t in row if t]) == 22
    if view == "views/rankings.py":
        assert len(tables(at)[0][0]) == 22


def test_overview_reopens_the_view_in_the_url(app):
    at = app
    at.query_params.update({"metric": "citizen_satisfaction", "period": "1404", "measure": "per10k"})
    at.run()
    assert not at.exception and not notes(at, "warning")
    assert at.selectbox(key=state.METRIC_KEY).value == "citizen_satisfaction"
    assert "شاخص‌های شهر، سال ۱۴۰۴" in text_of(at)
    at.selectbox(key=state.METRIC_KEY).set_value("news_published").run()
    assert dict(at.query_params) == {"metric": "news_published", "period": "1404", "measure": "per10k"}


def test_overview_links_look_at_a_district_and_keep_mine_and_the_choices(app):
    at = app
    at.query_params.update({"district": "3", "period": "1405-Q2", "measure": "per10k", "metric": "news_published"})
    at.run()
    assert not at.exception
    panel = next(b for b in html_bodies(at) if "dash-attention-panel" in b)
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', panel)]
    assert hrefs and all("district=3" in h and "measure=per10k" in h for h in hrefs), hrefs
    assert all("show=" in h for h in hrefs if h.startswith("./district?")), hrefs
    assert any(h.startswith("./reporting?") and "period=1405-Q2" in h for h in hrefs), hrefs
    tile_map = next(b for b in html_bodies(at) if "dash-chart-tile_map" in b)
    assert "show={district}" in tile_map and "district=3" in tile_map


def test_my_district_s_line_on_each_card_is_coloured_by_its_standing(app):
    at = app
    at.query_params.update({"district": "3", "period": "1405-07"})
    at.run()
    grid = next(b for b in html_bodies(at) if "dash-cards" in b)
    lines = re.findall(r'<div class="d mine" data-tone="(\w+)">(.*?)</div>', grid)
    assert len(lines) >= 10
    for tone, body in lines:
        if "رتبهٔ" in body:
            chip = {"good": "good", "bad": "bad", "middle": "flat"}[tone]
            assert f'class="chg {chip}"' in body, body
        else:  # not reported, incomplete or neutral: no colour
            assert tone == "none" and "chg" not in body, body
    assert {t for t, _ in lines} & {"good", "bad"}


def test_an_address_changed_under_the_page_is_read_again_as_back_does(app):
    at = app
    at.query_params.update({"period": "1405-07", "district": "3"})
    at.run()
    at.sidebar.selectbox(key=state.DISTRICT_KEY).set_value(5).run()
    assert at.query_params["district"] == "5"
    # Back: the browser shows the address before, and Streamlit reruns the page with it
    at.query_params.clear()
    at.query_params.update(
        {"metric": at.session_state["_view"].metric, "period": "1405-07", "measure": "raw", "district": "3"}
    )
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 3 and at.query_params["district"] == "3"

"""Every page runs under AppTest against the sample store without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

from monitoring import metrics
from tests.conftest import ROOT
from ui import plot

DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture
def app(sample_db_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_db_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return AppTest.from_file(DASHBOARD, default_timeout=60)


def figures(at):
    """The figures the page drew, read back from the charts' HTML."""
    bodies = [el.proto.body for el in at.get("html") if plot.CHART_ID_PREFIX in el.proto.body]
    return [plot.figure_from_html(body) for body in bodies]


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [m.label for m in at.metric]
    return "\n".join(parts)


def test_overview_shows_22_tiles_and_a_card_per_metric(app):
    at = app.run()
    assert not at.exception
    assert len(at.metric) == len(metrics.catalog())
    tile_map = figures(at)[0]
    tiles = [t for trace in tile_map["data"] for row in trace["text"] for t in row if t]
    assert len(tiles) == 22
    # the latest month (Aban 1405) is the default; three districts are late in the sample
    assert "آبان ۱۴۰۵" in text_of(at)
    assert "گزارش نشده:" in text_of(at)
    assert "هیچ گزارشی برای آبان ۱۴۰۵ نرسیده از:" in text_of(at)


def test_overview_trend_has_jalali_ticks(app):
    at = app.run()
    trend = figures(at)[1]
    ticks = trend["layout"]["xaxis"]["ticktext"]
    assert ticks and all(any(month in t for month in ("فروردین", "مهر")) for t in ticks)


def test_overview_season_picker_changes_the_period(app):
    at = app.run()
    at.sidebar.radio(key="overview_kind").set_value("season").run()
    at.sidebar.selectbox(key="overview_year").set_value(1404).run()
    at.sidebar.selectbox(key="overview_index_season").set_value(2).run()
    assert not at.exception
    assert "تابستان ۱۴۰۴" in text_of(at)


def test_ranking_lists_all_22_districts(app):
    at = app
    at.switch_page("views/rankings.py")
    at.run()
    assert not at.exception
    table = at.table[0].value
    assert len(table) == 22
    assert sorted(table["منطقه"]) == sorted(
        f"منطقه {n}" for n in "۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۱۰ ۱۱ ۱۲ ۱۳ ۱۴ ۱۵ ۱۶ ۱۷ ۱۸ ۱۹ ۲۰ ۲۱ ۲۲".split()
    )
    # the late districts are listed at the bottom as not reported, never as zero
    ranks = table["رتبه"].tolist()
    assert "گزارش نشده" in ranks
    first_missing = ranks.index("گزارش نشده")
    assert all(r == "گزارش نشده" for r in ranks[first_missing:])


def test_ranking_reopens_the_view_in_the_url(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "news_published", "period": "1404-Q2", "measure": "per10k", "district": "7"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="rank_metric").value == "news_published"
    assert at.radio(key="rank_measure").value == "per10k"
    assert at.selectbox(key="rank_district").value == 7
    assert "تابستان ۱۴۰۴" in text_of(at)
    assert any("منطقه ۷: رتبهٔ" in s.value for s in at.success)
    profile = at.table[1].value  # why district 7 ranks where it does: its place on every metric
    assert len(profile) == len(metrics.catalog())
    assert all(" از " in r or r == "گزارش نشده" for r in profile["رتبه"])
    assert dict(at.query_params) == {
        "metric": "news_published",
        "period": "1404-Q2",
        "measure": "per10k",
        "district": "7",
    }


def test_ranking_with_a_bad_link_warns_and_shows_the_default(app):
    at = app
    at.switch_page("views/rankings.py")
    at.query_params.update({"metric": "nope", "period": "1404-99", "district": "40"})
    at.run()
    assert not at.exception
    assert len(at.warning) == 3
    assert len(at.table[0].value) == 22


def test_upload_page_runs(app):
    at = app
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception


@pytest.mark.parametrize("view", ["views/overview.py", "views/rankings.py", "views/upload.py"])
def test_an_empty_store_shows_a_hint_not_an_error(view, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "empty.sqlite"))
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page(view)
    at.run()
    assert not at.exception and not at.error
    if view != "views/upload.py":
        assert "هنوز داده‌ای بارگذاری نشده است" in at.info[0].value


def test_an_unreachable_database_is_explained_without_a_traceback(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert "پایگاه داده در دسترس نیست" in at.error[0].value and "could not be opened" in at.error[0].value


@pytest.mark.postgres
@pytest.mark.parametrize("view", ["views/overview.py", "views/rankings.py", "views/upload.py"])
def test_every_view_runs_on_postgresql(view, pg_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", pg_engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)  # a first start loads the sample data
    at.switch_page(view)
    at.run()
    assert not at.exception and not at.error
    if view == "views/overview.py":
        assert len(at.metric) == len(metrics.catalog())
        assert len([t for trace in figures(at)[0]["data"] for row in trace["text"] for t in row if t]) == 22
    if view == "views/rankings.py":
        assert len(at.table[0].value) == 22


def test_overview_reopens_the_view_in_the_url(app):
    at = app
    at.query_params.update({"metric": "citizen_satisfaction", "period": "1404", "measure": "per10k"})
    at.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="overview_metric").value == "citizen_satisfaction"
    assert "شاخص‌های شهر — سال ۱۴۰۴" in text_of(at)
    at.selectbox(key="overview_metric").set_value("news_published").run()
    assert dict(at.query_params) == {"metric": "news_published", "period": "1404", "measure": "per10k"}

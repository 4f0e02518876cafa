"""The reporting page under AppTest on the sample store, as on 5 Azar 1405 (the day Aban is due):
the grid of 22 districts × 12 Jalali months, the overdue list, the table per district, the due day
in one sentence, my district highlighted, and a bounded number of SQL statements."""

from __future__ import annotations

import sqlite3

import pytest
import streamlit as st
from sqlalchemy import event
from sqlalchemy.pool import Pool
from streamlit.testing.v1 import AppTest

from monitoring import calendar, compliance
from tests.conftest import SAMPLE_TODAY
from tests.views.helpers import DASHBOARD, figures, notes, tables, text_of
from ui import state

PAGE = "views/reporting.py"
DISTRICT_NAMES = [f"منطقه {n}" for n in "۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۱۰ ۱۱ ۱۲ ۱۳ ۱۴ ۱۵ ۱۶ ۱۷ ۱۸ ۱۹ ۲۰ ۲۱ ۲۲".split()]
STATE_LABELS = set(compliance.STATE_LABELS.values())


@pytest.fixture
def app(app, monkeypatch):
    """The reporting page on the sample store, today being the sample's day."""
    monkeypatch.delenv("DASHBOARD_DUE_DAY", raising=False)
    monkeypatch.setattr(calendar, "today_in_tehran", lambda now=None: SAMPLE_TODAY)
    app.switch_page(PAGE)
    return app


def grid(at) -> dict:
    return next(f for f in figures(at) if any(t.get("type") == "heatmap" for t in f["data"]))


def cells(figure: dict) -> dict[str, list[str]]:
    """State label -> the hover sentences of its cells."""
    out: dict[str, list[str]] = {}
    for trace in figure["data"]:
        if trace.get("type") == "heatmap":
            out[trace["name"]] = [h for row in trace["hovertext"] for h in row if h]
    return out


def test_the_grid_shows_22_districts_by_the_last_12_jalali_months(app):
    at = app.run()
    assert not at.exception
    figure = grid(at)
    by_state = cells(figure)
    assert set(by_state) == STATE_LABELS
    assert sum(len(v) for v in by_state.values()) == 22 * 12
    assert figure["layout"]["yaxis"]["ticktext"] == DISTRICT_NAMES
    months = figure["layout"]["xaxis"]["ticktext"]
    assert months == [
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "شهریور",
        "مهر",
        "آبان",
    ]
    # the years under their months, and a line where 1405 begins
    years = {a["text"]: a["x"] for a in figure["layout"]["annotations"]}
    assert years == {"<b>۱۴۰۴</b>": 1.5, "<b>۱۴۰۵</b>": 7.5}
    assert [s["x0"] for s in figure["layout"]["shapes"] if s["type"] == "line"] == [3.5]
    legend = [t["name"] for t in figure["data"] if t.get("type") == "scatter" and t.get("showlegend")]
    assert sorted(legend) == sorted(STATE_LABELS)
    # every hover names its district and month and says its state in Persian
    assert all("منطقه" in h and "۱۴۰" in h for hs in by_state.values() for h in hs)
    assert all(h.split("<br>")[1].startswith("با ") for h in by_state["با تأخیر"])


def test_aban_is_not_yet_due_on_its_due_day_and_mehr_is_overdue(app):
    at = app.run()
    by_state = cells(grid(at))
    not_due = by_state["هنوز سررسید نشده"]
    assert len(not_due) == 3 and all("آبان ۱۴۰۵" in h for h in not_due)  # the sample's three late districts
    overdue_rows, _ = tables(at)[0]
    assert len(overdue_rows) == 1
    row = overdue_rows[0]
    assert (row["ماه"], row["موعد"], row["روز گذشته از موعد"]) == ("مهر ۱۴۰۵", "۵ آبان ۱۴۰۵", "۳۰")
    assert any(row["منطقه"] in h for h in not_due)  # the district late for Aban has not sent Mehr either
    assert any("۱ گزارش سررسیدشده نرسیده است" in n for n in notes(at, "error"))


def test_the_due_day_is_said_in_one_persian_sentence_and_follows_the_setting(app, monkeypatch):
    at = app.run()
    assert "تا پایان روز ۵ ماه بعد" in text_of(at)
    monkeypatch.setenv("DASHBOARD_DUE_DAY", "10")
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page(PAGE)
    at.run()
    assert "تا پایان روز ۱۰ ماه بعد" in text_of(at)
    row = tables(at)[0][0][0]
    assert (row["موعد"], row["روز گذشته از موعد"]) == ("۱۰ آبان ۱۴۰۵", "۲۵")


def test_the_table_has_every_district_least_complete_first(app):
    at = app.run()
    rows, _ = tables(at)[1]
    assert sorted(r["منطقه"] for r in rows) == sorted(DISTRICT_NAMES)
    assert set(rows[0]) >= {"کامل بودن", "با تأخیر", "روز از آخرین گزارش"}
    shares = [float(r["کامل بودن"].rstrip("٪").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789."))) for r in rows]
    assert shares == sorted(shares) and shares[0] < 100 <= shares[-1]
    assert all(r["به‌موقع"].endswith("از ۱۱") for r in rows)  # 11 months due on 5 Azar: Aban is due today


def test_my_district_is_highlighted_in_the_grid_and_the_table(app):
    at = app
    at.query_params.update({"district": "7"})
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 7
    figure = grid(at)
    assert figure["layout"]["yaxis"]["ticktext"][6] == "<b>منطقه ۷</b>"
    outlines = [s for s in figure["layout"]["shapes"] if s["type"] == "rect"]
    assert len(outlines) == 1 and outlines[0]["y0"] == 5.5
    rows, mine = tables(at)[1]
    assert [r["منطقه"] for r, m in zip(rows, mine, strict=True) if m] == ["منطقه ۷"]
    assert any(n.startswith("منطقه ۷:") and "به‌موقع" in n for n in notes(at, "info"))
    assert at.query_params["district"] == "7"


def test_a_year_chosen_shows_its_twelve_months_and_says_when_nothing_is_overdue(app):
    at = app
    at.query_params.update({"period": "1404"})
    at.run()
    assert not at.exception
    figure = grid(at)
    months = figure["layout"]["xaxis"]["ticktext"]
    assert months[0] == "فروردین" and months[-1] == "اسفند"
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["<b>۱۴۰۴</b>"]
    assert "فروردین ۱۴۰۴ تا اسفند ۱۴۰۴" in text_of(at)
    assert any("همهٔ گزارش‌های سررسیدشده" in n for n in notes(at, "success"))
    assert len(tables(at)) == 1  # no overdue list, the table per district only


def test_the_period_follows_the_user_from_the_reporting_page(app):
    at = app
    at.query_params.update({"period": "1404-Q2", "district": "3"})
    at.run()
    at.switch_page("views/rankings.py").run()
    assert not at.exception
    assert "تابستان ۱۴۰۴" in text_of(at)
    assert at.sidebar.selectbox(key=state.DISTRICT_KEY).value == 3


def test_an_empty_store_shows_a_hint_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "empty.sqlite"))
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception and not notes(at, "error")
    assert "هنوز داده‌ای بارگذاری نشده است" in notes(at, "info")[0]


def _statements_of_a_run(at, monkeypatch) -> list[str]:
    """Every SQL statement the page sends to SQLite in one run, caches cold."""
    from ui import data

    statements: list[str] = []

    def trace(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(statements.append)

    st.cache_data.clear()
    data.engine().dispose()  # the next connections are new, and traced
    event.listen(Pool, "connect", trace)
    try:
        at.run()
    finally:
        event.remove(Pool, "connect", trace)
    return statements


def test_the_page_runs_a_bounded_number_of_sql_statements_whatever_the_window(app, monkeypatch):
    app.run()  # the engine is ready and migrated
    month = _statements_of_a_run(app, monkeypatch)
    app.query_params.update({"period": "1403"})
    year = _statements_of_a_run(app, monkeypatch)
    for statements in (month, year):
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(reads) <= 12, reads
        assert sum("submissions" in s for s in reads) == 1
        assert sum("GROUP BY" in s.upper() and "observations" in s for s in reads) <= 2
    assert len(month) == len(year)
    print(f"\nreporting page, caches cold: {len(month)} statements ({len(reads)} reads)")

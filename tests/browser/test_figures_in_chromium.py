"""The figures' rules as a reader meets them in Chromium, on the sample data: equal figures share a
rank in the table; a running year's card is compared like for like (its sign worked out here from the
store's rows with plain SQL and Python) and says how far the year has run; a district that sent one
month of a running season is listed apart with its months, and its change against the season before
counts only the months present in both."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from data_loaders import sample
from monitoring import calendar, figures, store
from monitoring.calendar import Period
from tools.browser import DESK, MAIN, goto_settled, launch, new_page
from tools.streamlit_server import serve

pytestmark = pytest.mark.browser

_ROWS = """(selector) => {
  const table = document.querySelector(selector);
  const head = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
  const rows = Array.from(table.querySelectorAll('tbody tr'))
    .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()));
  return {head, rows};
}"""


@pytest.fixture(scope="module")
def store_and_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    store_path: Path = tmp_path_factory.mktemp("figures-store") / "dashboard.sqlite"
    # the sample a first start loads, there before the server starts: a test may read the store before
    # any page has been opened (the server prepares its store at the first page's run)
    engine = store.make_engine(f"sqlite:///{store_path}")
    store.ensure_ready(engine)
    sample.load_sample_if_empty(engine)
    engine.dispose()
    env = {"DASHBOARD_DB_PATH": str(store_path), "DATABASE_URL": "", "DASHBOARD_SAMPLE": "1"}
    with serve("dashboard.py", env=env, timeout=120) as url:
        yield store_path, url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as b:
        yield b


def _table(page: Page, index: int = 0) -> dict:
    return page.evaluate(
        _ROWS.replace("document.querySelector(selector)", f"document.querySelectorAll(selector)[{index}]"),
        f"{MAIN} table.dash-table",
    )


def _monthly(store: Path, metric: str) -> dict[tuple[int, str], float]:
    """(district, month's first day as ISO text) -> value, straight from the store."""
    with sqlite3.connect(store) as conn:
        rows = conn.execute("SELECT district, period, value FROM observations WHERE metric = ?", (metric,)).fetchall()
    return {(int(d), str(p)[:10]): float(v) for d, p, v in rows if v is not None}


def _plain_change(values: dict[tuple[int, str], float], now: Period, then: Period, districts=None) -> float:
    """The like-for-like change of a count, summed over the district-months present in both periods."""
    a = b = 0.0
    for now_start, then_start in zip(now.month_starts(), then.month_starts(), strict=True):
        for (district, month), value in values.items():
            if month != now_start.isoformat() or (districts and district not in districts):
                continue
            base = values.get((district, then_start.isoformat()))
            if base is not None:
                a, b = a + value, b + base
    return (a - b) / b


def test_equal_figures_share_a_rank_in_the_rankings_table(store_and_url, browser: Browser) -> None:
    _, url = store_and_url
    with new_page(browser, DESK) as page:
        goto_settled(page, url + "/rankings?metric=citizen_satisfaction&period=1405-Q2")
        table = _table(page)
    head = table["head"]
    rank_at, value_at = head.index("رتبه"), next(i for i, h in enumerate(head) if "رضایت" in h)
    seen: dict[str, str] = {}
    ties = 0
    for row in table["rows"]:
        value, rank = row[value_at], row[rank_at]
        if not rank[:1].isdigit() and not calendar.to_latin_digits(rank)[:1].isdigit():
            continue  # listed apart
        if value in seen:
            ties += 1
            assert seen[value] == rank, f"«{value}» is ranked {seen[value]} and {rank}"
        seen[value] = rank
    assert ties >= 1, "the sample's summer 1405 holds a tie on citizen satisfaction; none was found"


def test_a_running_year_is_compared_like_for_like_on_its_card(store_and_url, browser: Browser) -> None:
    store, url = store_and_url
    year = Period.whole_year(1405)
    coverage = figures.Coverage.of(year, calendar.today_in_tehran())
    if not coverage.running:
        pytest.skip("1405 has ended: nothing runs")
    change = _plain_change(_monthly(store, "news_published"), year, year.previous())
    with new_page(browser, DESK) as page:
        goto_settled(page, url + "/?metric=news_published&period=1405")
        card = page.locator(f"{MAIN} .dash-card[data-metric=news_published]")
        text = card.inner_text()
    assert coverage.label in text, text
    arrow = "↑" if change > 0 else "↓"
    shown = calendar.format_percent_change(change)
    assert arrow in text and shown in text, f"the card says {text!r}; like for like it is {shown}"


def test_a_district_with_one_month_of_a_running_season_is_apart_and_compared_like_for_like(
    store_and_url, browser: Browser
) -> None:
    store, url = store_and_url
    autumn = Period.season(1405, 3)
    values = _monthly(store, "news_published")
    months_18 = [m for m in autumn.month_starts() if (18, m.isoformat()) in values]
    due = figures.months_due(autumn, calendar.today_in_tehran())
    if not 0 < len(months_18) < due:
        pytest.skip("district 18 is not partly reported in the sample's autumn 1405")
    change = _plain_change(values, autumn, autumn.previous(), districts={18})
    with new_page(browser, DESK) as page:
        goto_settled(page, url + "/district?district=18&period=1405-Q3&metric=news_published")
        table = _table(page)
    head = table["head"]
    row = next(r for r in table["rows"] if r[0] == "اخبار منتشرشده")
    assert "ناقص" in row[head.index("رتبه")]
    assert calendar.format_percent_change(change) in row[head.index(f"نسبت به {autumn.previous().label}")]

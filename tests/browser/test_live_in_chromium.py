"""An open page notices a batch loaded while it is open and redraws without a reload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from monitoring import calendar, store
from tools.browser import goto_settled, new_page

pytestmark = pytest.mark.browser

LIVE_SECONDS = 3  # the test server checks often; the dashboard's default is 30 s


@pytest.fixture(scope="module")
def live_dashboard(dashboard_store: Path, serve_dashboard) -> Iterator[tuple[str, str]]:
    with serve_dashboard(dashboard_store, accounts=False, DASHBOARD_LIVE_SECONDS=str(LIVE_SECONDS)) as url:
        yield url, f"sqlite:///{dashboard_store}"


def test_a_batch_loaded_while_the_overview_is_open_shows_without_a_reload(live_dashboard, browser):
    url, database = live_dashboard
    with new_page(browser) as page:
        goto_settled(page, f"{url}/")
        before = page.inner_text(".dash-asof")
        page.evaluate("() => { window.__sameDocument = true; }")
        engine = store.make_engine(database)
        try:
            # a month after the newest one the page shows, so «data as of» must move on
            newest = store.period_range(engine)[1]
            rows = pd.DataFrame(
                {
                    "district": [1],
                    "metric": ["reports_submitted"],
                    "period": [calendar.next_month_start(newest)],
                    "value": [7.0],
                }
            )
            info = store.BatchInfo("late-report.csv", "0" * 64, 1, 0, "tester")
            store.write_batch(engine, rows, info)
        finally:
            engine.dispose()
        page.wait_for_function(
            "(before) => { const e = document.querySelector('.dash-asof'); return e && e.innerText !== before; }",
            arg=before,
            timeout=60_000,
        )
        assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded, not redrawn"
        assert page.inner_text(".dash-asof") != before

"""The dashboard as a user sees it: a real Streamlit server on a fresh store, driven by headless Chromium.

The server starts on an empty SQLite file, so these tests also check that a first start migrates the
store and loads the sample data by itself. Full-page screenshots go to test-artifacts/ for CI.
A missing Chromium fails these tests: it is never a reason to skip them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitoring import calendar, metrics
from monitoring.calendar import Period
from tests.access import open_upload_signed_in
from tools.browser import (
    PageFacts,
    check_chromium,
    clipped_texts,
    latin_outside_english,
    new_page,
    open_page,
    read_page,
    wait_until_settled,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SUCCESS_TEXT = "ذخیره شد"
SUCCESS_ALERT = "[data-testid=stMain] .dash-note-success"
ERROR_ALERT = "[data-testid=stMain] .dash-note-error"
# rows of each table in the main block: the dashboard's RTL HTML tables, st.dataframe's accessible grid
_TABLE_ROWS = """() => Array.from(document.querySelectorAll(
    '[data-testid=stMain] [data-testid=stDataFrame], [data-testid=stMain] [data-testid=stTable], [data-testid=stMain] table.dash-table'))
  .map(t => { const grid = t.querySelector('table[role=grid][aria-rowcount]');
              return grid ? Number(grid.getAttribute('aria-rowcount')) - 1 : t.querySelectorAll('tbody tr').length; })"""
FILE_INPUT = "[data-testid=stMain] input[type=file]"
PRIMARY_BUTTON = "[data-testid=stMain] [data-testid=stBaseButton-primary]"
PREVIEW_LABEL, CONFIRM_LABEL = "بررسی و پیش‌نمایش", "تأیید و ذخیره"

# two rows a district office could send: known districts, catalog metrics, Jalali months
VALID_CSV = "district,metric,period,value\n1,reports_submitted,1404/07,12\n2,reports_submitted,1404/07,9\n"
# nothing in it can be stored: a district that does not exist, a month 13, a metric not in the catalog
BAD_ROWS = 3
BAD_CSV = "district,metric,period,value\n23,reports_submitted,1404/07,5\n1,reports_submitted,1404/13,5\n1,no_such_metric,1404/07,5\n"


def _shot(name: str) -> Path:
    return ARTIFACTS / f"{name}.png"


def _has_month_name(text: str) -> bool:
    return any(month in text for month in calendar.MONTHS_FA)


def _assert_user_sees_a_healthy_page(facts: PageFacts, charts: bool) -> None:
    assert facts.errors == [], f"{facts.url} shows error boxes: {facts.errors}"
    if charts:
        assert facts.charts >= 1, f"{facts.url} has no plotly chart"
        assert facts.charts_drawn == facts.charts, f"{facts.url}: {facts.charts_drawn} of {facts.charts} charts drawn"
    assert facts.direction == "rtl", f"{facts.url}: the main text runs {facts.direction}, not right to left"


def test_chromium_is_installed() -> None:
    check_chromium()


def test_overview_draws_its_charts_right_to_left_with_persian_months(dashboard: str, browser: Browser) -> None:
    facts = open_page(browser, f"{dashboard}/", screenshot=_shot("overview"))
    _assert_user_sees_a_healthy_page(facts, charts=True)
    assert _has_month_name(facts.all_text), "no Persian month name on the overview"


def test_rankings_draws_its_chart_right_to_left_with_persian_months(dashboard: str, browser: Browser) -> None:
    facts = open_page(browser, f"{dashboard}/rankings", screenshot=_shot("rankings"))
    _assert_user_sees_a_healthy_page(facts, charts=True)
    assert _has_month_name(facts.all_text), "no Persian month name on the rankings page"


def test_rankings_link_reopens_the_metric_and_period_it_names(dashboard: str, browser: Browser) -> None:
    url = f"{dashboard}/rankings?metric=citizen_satisfaction&period=1404-Q2&measure=raw"
    facts = open_page(browser, url, screenshot=_shot("rankings-citizen-satisfaction-1404-Q2"))
    _assert_user_sees_a_healthy_page(facts, charts=True)
    assert metrics.get("citizen_satisfaction").name_fa in facts.all_text
    assert Period.parse("1404-Q2").label in facts.all_text  # «تابستان ۱۴۰۴»
    assert facts.warnings == [], f"the link's parameters were not all accepted: {facts.warnings}"
    assert "metric=citizen_satisfaction" in facts.url and "period=1404-Q2" in facts.url


def test_upload_page_opens_right_to_left_without_errors(dashboard: str, browser: Browser) -> None:
    with new_page(browser) as page:
        open_upload_signed_in(page, dashboard)
        facts = read_page(page, screenshot=_shot("upload"))
    _assert_user_sees_a_healthy_page(facts, charts=False)


def _wait_until_the_page_has_the_file(page: Page, name: str) -> None:
    """The page names the chosen file once its script has rerun with it: only then is a click safe
    (a click during that rerun could be merged into it and lost)."""
    page.locator("[data-testid=stMain] [data-testid=upload-chosen]", has_text=name).wait_for(timeout=30_000)
    wait_until_settled(page)


def _choose_file(page: Page, name: str, content: str) -> None:
    """Pick a file in the page's uploader as a user would, and press the page's load button if it has one."""
    uploader = page.locator(FILE_INPUT)
    assert uploader.count() == 1, f"the upload page should have one file input, it has {uploader.count()}"
    page.set_input_files(
        FILE_INPUT,
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}],
    )
    page.locator("[data-testid=stFileChipName]", has_text=name).wait_for(timeout=30_000)
    _wait_until_the_page_has_the_file(page, name)
    _preview_and_confirm(page)


def _preview_and_confirm(page: Page) -> None:
    """Press «بررسی و پیش‌نمایش»; when the preview offers «تأیید و ذخیره», press it too, as a user who
    agrees with the preview would."""
    page.get_by_role("button", name=PREVIEW_LABEL).click(timeout=30_000)  # waits until enabled for the file
    preview = page.locator("[data-testid=stMain] h3", has_text="پیش‌نمایش")
    preview.first.wait_for(timeout=90_000)
    wait_until_settled(page)
    confirm = page.get_by_role("button", name=CONFIRM_LABEL)
    if confirm.count() == 1:
        confirm.click(timeout=30_000)
        page.locator("[data-testid=stMain] h3", has_text="نتیجهٔ بارگذاری").first.wait_for(timeout=90_000)
        wait_until_settled(page)


def test_valid_csv_is_loaded_and_a_bad_file_lists_its_rejections(dashboard: str, browser: Browser) -> None:
    with new_page(browser) as page:
        open_upload_signed_in(page, dashboard)

        _choose_file(page, "district-report.csv", VALID_CSV)
        page.locator(SUCCESS_ALERT, has_text=SUCCESS_TEXT).first.wait_for(timeout=60_000)
        facts = read_page(page, screenshot=_shot("upload-accepted"))
        assert facts.errors == []
        assert page.locator(ERROR_ALERT).count() == 0

        _choose_file(page, "bad-report.csv", BAD_CSV)
        page.locator(ERROR_ALERT).first.wait_for(timeout=60_000)
        facts = read_page(page, screenshot=_shot("upload-rejected"))
        assert facts.errors == [], f"the refusal came as a traceback: {facts.errors}"
        try:  # the table may arrive a moment after the alert
            page.wait_for_function(f"() => ({_TABLE_ROWS})().includes({BAD_ROWS})", timeout=30_000)
        except PlaywrightTimeout:
            pass
        rows = page.evaluate(_TABLE_ROWS)
        assert BAD_ROWS in rows, f"no table lists the {BAD_ROWS} rejected values (tables with {rows} rows)"
        assert page.locator(SUCCESS_ALERT, has_text=SUCCESS_TEXT).count() == 0, (
            "a refused file still shows the success message"
        )
        # the refusal and its table speak Persian; file names, headers and values are marked as code or English
        # (the uploader's own chip shows the user's file name as it is)
        latin = latin_outside_english(page, within="[data-testid=stMain] [data-testid=stHtml]")
        assert latin == [], f"Latin text outside elements marked English on the refused upload: {latin}"
        assert "skip-bad-rows" not in page.inner_text("[data-testid=stMain]"), "the page names a command-line flag"
        assert clipped_texts(page) == [], clipped_texts(page)


DEMO_FILES = PROJECT_ROOT / "sample_data" / "demo_files"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_demo(page: Page, name: str) -> str:
    """Upload a demo file through the page and return the success message it shows."""
    page.set_input_files(
        FILE_INPUT,
        files=[
            {
                "name": name,
                "mimeType": XLSX_MIME if name.endswith(".xlsx") else "text/csv",
                "buffer": (DEMO_FILES / name).read_bytes(),
            }
        ],
    )
    _wait_until_the_page_has_the_file(page, name)
    _preview_and_confirm(page)
    success = page.locator(SUCCESS_ALERT, has_text=name)
    success.first.wait_for(timeout=60_000)
    return success.first.inner_text()


def test_each_demo_form_loads_through_the_page(dashboard: str, browser: Browser) -> None:
    for name in ("long_persian_headers.csv", "wide_persian_names.xlsx"):
        with new_page(browser) as page:
            open_upload_signed_in(page, dashboard)
            assert SUCCESS_TEXT in _upload_demo(page, name)
    # a wide file without a period column: the user names the month on the page
    with new_page(browser) as page:
        open_upload_signed_in(page, dashboard)
        page.get_by_text("فایل ستون دوره ندارد").click()
        wait_until_settled(page)
        message = _upload_demo(page, "wide_codes_no_period.csv")
        assert SUCCESS_TEXT in message and "۳۴۷" in message  # 352 cells, 5 of them blank (not reported)
        facts = read_page(page, screenshot=_shot("upload-demo-files"))
        assert facts.errors == []
        assert "wide_codes_no_period.csv" in facts.all_text  # listed among the recent loads

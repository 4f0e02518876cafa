"""Loading as an administrator does it, in Chromium against a real server: choose a file, see the
preview (new, changed, unchanged, rejected; nothing stored yet), confirm, find the batch on the batches
page and roll it back; and the batches and catalog pages read right at both widths. Screenshots go to
test-artifacts/upload-flow-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitoring import store
from tests.access import open_upload_signed_in, sign_in_browser
from tests.data_loaders.helpers import stored
from tools.browser import (
    DESK,
    MAIN,
    PHONE,
    clipped_texts,
    goto_settled,
    latin_outside_english,
    new_page,
    read_page,
    settle_after,
    wait_until_settled,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
WIDTHS = {"desk": DESK, "phone": PHONE}
# Mehr 1404 of the sample: district 1's news changes, district 23 does not exist
CHANGE = "district,metric,period,value\n1,news_published,1404/07,987654\n"
BAD = "district,metric,period,value\n1,news_published,1404/07,5\n23,news_published,1404/07,6\n"


@pytest.fixture(scope="module")
def served(dashboard_store: Path, serve_dashboard) -> Iterator[tuple[str, Path]]:
    with serve_dashboard(dashboard_store, timeout=180) as url:
        yield url, dashboard_store


def _value(db: Path) -> float | None:
    from monitoring import calendar

    engine = store.make_engine(f"sqlite:///{db}")
    try:
        return stored(engine).get((1, "news_published", calendar.month_start(1404, 7)))
    finally:
        engine.dispose()


def _latin(page, chosen: str) -> list[str]:
    """Latin on screen, but for the uploader's chip naming the user's own file as they named it."""
    return [entry for entry in latin_outside_english(page) if f"«{chosen}»" not in entry]


def _choose_file(page, path: Path) -> None:
    settle_after(page, lambda: page.locator(f"{MAIN} input[type=file]").first.set_input_files(str(path)))


def test_preview_then_confirm_then_roll_back(served, browser, tmp_path):
    url, db = served
    upload = tmp_path / "tasks-mehr.csv"
    upload.write_text(CHANGE, encoding="utf-8")
    with new_page(browser, DESK) as page:
        open_upload_signed_in(page, url)  # a fresh server prepares its store on the first visit
        before = _value(db)
        _choose_file(page, upload)
        settle_after(page, lambda: page.get_by_role("button", name="بررسی و پیش‌نمایش").click(), timeout=120)
        page.locator("[data-testid=load-count-changed]").wait_for(timeout=60_000)
        assert page.locator("[data-testid=load-count-changed] strong").inner_text() == "۱"
        assert "۹۸۷٬۶۵۴" in page.inner_text(MAIN)  # the new value beside the old one
        read_page(page, screenshot=ARTIFACTS / "upload-flow-preview-desk.png")
        assert _value(db) == before  # a preview writes nothing
        settle_after(page, lambda: page.get_by_role("button", name="تأیید و ذخیره").click(), timeout=120)
        page.get_by_text("نتیجهٔ بارگذاری").wait_for(timeout=60_000)
        assert _value(db) == 987654.0
        assert _latin(page, upload.name) == []

        # through the menu, as the signed-in administrator (a new address would be a new session)
        settle_after(page, lambda: page.locator("[data-testid=stSidebarNav] a[href*='/batches']").click())
        main = page.inner_text(MAIN)
        assert "tasks-mehr.csv" in main and "دسته‌های بارگذاری" in main
        page.get_by_text("می‌خواهم دستهٔ", exact=False).click()
        wait_until_settled(page)
        settle_after(page, lambda: page.get_by_role("button", name="برگرداندن دسته").click(), timeout=120)
        page.get_by_text("برگردانده شد", exact=False).first.wait_for(timeout=60_000)
        read_page(page, screenshot=ARTIFACTS / "upload-flow-rolled-back-desk.png")
    assert _value(db) == before


def test_a_strict_refusal_names_the_page_option_not_the_command_line_flag(served, browser, tmp_path):
    url, db = served
    upload = tmp_path / "bad.csv"
    upload.write_text(BAD, encoding="utf-8")
    with new_page(browser, PHONE) as page:
        open_upload_signed_in(page, url)
        _choose_file(page, upload)
        settle_after(page, lambda: page.get_by_role("button", name="بررسی و پیش‌نمایش").click(), timeout=120)
        page.locator(f"{MAIN} .dash-note-error").first.wait_for(timeout=60_000)
        text = page.inner_text(MAIN)
        assert "موارد درست را ذخیره کن" in text and "--skip-bad-rows" not in text
        assert page.get_by_role("button", name="تأیید و ذخیره").count() == 0
        assert _latin(page, upload.name) == []
        read_page(page, screenshot=ARTIFACTS / "upload-flow-refused-phone.png")


@pytest.mark.parametrize("path", ["/batches", "/catalog"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_admin_pages_read_right_at_both_widths(served, browser, path, width):
    url, _ = served
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, url + path)
        sign_in_browser(page)
        wait_until_settled(page)
        facts = read_page(page, screenshot=ARTIFACTS / f"upload-flow{path.replace('/', '-')}-{width}.png")
        assert facts.errors == []
        assert "این صفحه فقط برای مدیران است" not in page.inner_text(MAIN)
        assert latin_outside_english(page) == []
        assert clipped_texts(page) == []

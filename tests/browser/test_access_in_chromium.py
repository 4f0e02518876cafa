"""Who may load, in Chromium against a real server with a temporary accounts file: a viewer who opens
/upload by its address sees the «administrators only» notice (Persian, with the English marked
lang="en") and the sign-in form but no file input; a wrong password gets one bilingual message; an
administrator who signs in there gets the uploader, sees the upload page in the menu, and signs out.
Screenshots go to test-artifacts/access-*.png.
"""

from __future__ import annotations

import pytest

from tests.access import ADMIN, ADMIN_DISPLAY, ADMIN_ONLY, ADMIN_PASSWORD, FILE_INPUT, sign_in_browser
from tools.browser import (
    DESK,
    MAIN,
    PHONE,
    SIDEBAR,
    goto_settled,
    latin_outside_english,
    new_page,
    open_sidebar,
    read_page,
    settle_after,
    sidebar_is_open,
)
from tools.streamlit_server import PROJECT_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
WIDTHS = {"desk": DESK, "phone": PHONE}
_MENU_PATHS = f"() => Array.from(document.querySelectorAll('{SIDEBAR} [data-testid=stSidebarNav] a')).map(a => new URL(a.href).pathname)"


def _menu(page) -> list[str]:
    if not sidebar_is_open(page):
        open_sidebar(page)
    return page.evaluate(_MENU_PATHS)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_viewer_opening_upload_by_its_address_gets_the_notice_and_no_file_input(dashboard, browser, width):
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/upload")
        facts = read_page(page, screenshot=ARTIFACTS / f"access-viewer-{width}.png")
        assert facts.errors == []
        assert ADMIN_ONLY in page.inner_text(MAIN)
        assert page.locator(FILE_INPUT).count() == 0 and page.locator("input[type=file]").count() == 0
        english = page.locator(f"{MAIN} [lang=en]", has_text="administrators only")
        assert english.count() == 1 and english.get_attribute("dir") == "ltr"
        assert page.locator(MAIN).get_by_label("گذرواژه", exact=True).get_attribute("type") == "password"
        assert latin_outside_english(page) == []
        assert not any(path.endswith("/upload") for path in _menu(page))


def test_a_wrong_password_is_refused_in_both_languages(dashboard, browser):
    with new_page(browser) as page:
        goto_settled(page, f"{dashboard}/upload")
        sign_in_browser(page, ADMIN, "not-the-password")
        error = page.locator(f"{MAIN} .dash-note-error")
        error.wait_for(timeout=30_000)
        text = error.inner_text()
        assert "نام کاربری یا گذرواژه درست نیست" in text and "The name or the password is not right" in text
        assert page.locator(FILE_INPUT).count() == 0
        assert page.locator(MAIN).get_by_label("گذرواژه", exact=True).input_value() == ""  # not kept


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_administrator_signs_in_on_the_notice_and_gets_the_uploader(dashboard, browser, width):
    with new_page(browser, WIDTHS[width]) as page:
        goto_settled(page, f"{dashboard}/upload")
        assert page.locator(FILE_INPUT).count() == 0
        sign_in_browser(page, ADMIN, ADMIN_PASSWORD)
        page.locator(FILE_INPUT).wait_for(state="attached", timeout=30_000)
        facts = read_page(page, screenshot=ARTIFACTS / f"access-admin-{width}.png")
        assert facts.errors == [] and ADMIN_ONLY not in facts.all_text
        assert any(path.endswith("/upload") for path in _menu(page))
        assert ADMIN_DISPLAY in page.inner_text(SIDEBAR)

        settle_after(page, lambda: page.locator(SIDEBAR).get_by_role("button", name="خروج").click())
        assert ADMIN_ONLY in page.inner_text(MAIN) and page.locator(FILE_INPUT).count() == 0

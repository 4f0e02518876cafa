"""The administrators' pages on a phone (390 px): the batches page is a few screens, not a dozen, its
long lists grow with «more», its file hash is short with the whole one a tap away; the upload page
shows a long file name whole; nothing is wider than the screen. The catalog's inputs show Persian
digits, at both widths."""

from __future__ import annotations

import re

import pytest

from tests.access import FILE_INPUT, open_upload_signed_in, sign_in_browser
from tools.browser import PHONE, goto_settled, new_page, settle_after, wait_until_settled

pytestmark = pytest.mark.browser

_WIDER_THAN_THE_SCREEN = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const out = [];
  for (const e of main.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width && (r.right > window.innerWidth + 1 || r.left < -1) && !e.closest('.dash-table-wrap, [data-testid=stTabs] [role=tablist]'))
      out.push(e.tagName + ' ' + (e.innerText || '').slice(0, 40));
  }
  return [main.scrollWidth <= main.clientWidth + 1, out.slice(0, 5)];
}"""
_HEIGHT = "() => document.querySelector('[data-testid=stMain]').scrollHeight"
_ROWS = "() => document.querySelector('[data-testid=stMain] .dash-table').querySelectorAll('tbody tr').length"


def test_the_batches_page_is_compact_on_a_phone(dashboard, browser):
    with new_page(browser, PHONE) as page:
        goto_settled(page, f"{dashboard}/batches")
        sign_in_browser(page)
        wait_until_settled(page)
        fits, wide = page.evaluate(_WIDER_THAN_THE_SCREEN)
        assert fits and not wide, f"wider than a phone: {wide}"
        height = page.evaluate(_HEIGHT)
        assert height < 3200, f"the batches page is {height} px tall on a phone"
        code = page.locator("[data-testid=stMain] .dash-hash > code")
        full = code.get_attribute("title")
        assert full and len(full) == 64 and code.inner_text() == f"{full[:8]}…{full[-6:]}"
        box = code.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.locator("[data-testid=stMain] .dash-hash summary").click()
        whole = page.locator("[data-testid=stMain] .dash-hash code.full")
        assert whole.inner_text().replace("\n", "") == full
        assert page.evaluate(_WIDER_THAN_THE_SCREEN)[0]  # the whole hash wraps
        before = page.evaluate(_ROWS)
        settle_after(page, page.get_by_role("button", name="نمایش ۱۵ دسته دیگر").click)
        assert page.evaluate(_ROWS) == before + 15


def test_the_upload_page_shows_a_long_file_name_whole_on_a_phone(dashboard, browser):
    name = "گزارش-ماهانهٔ-مناطق-آبان-۱۴۰۵-نسخهٔ-نهایی-اصلاح‌شده.csv"
    with new_page(browser, PHONE) as page:
        open_upload_signed_in(page, dashboard)
        page.set_input_files(
            FILE_INPUT, files=[{"name": name, "mimeType": "text/csv", "buffer": b"district,metric,period,value\n"}]
        )
        chosen = page.locator("[data-testid=stMain] [data-testid=upload-chosen]")
        chosen.wait_for(timeout=30_000)
        wait_until_settled(page)
        assert name in chosen.inner_text()  # whole, not «گزارش-م...اح‌شده.csv» as the uploader's chip says
        assert chosen.locator("code").count() == 0  # a Persian name in the page's font, its letters joined
        fits, wide = page.evaluate(_WIDER_THAN_THE_SCREEN)
        assert fits and not wide, f"wider than a phone: {wide}"


# what each input in the main area shows (a text input's value, a selectbox's chosen option)
_SHOWN_IN_INPUTS = """() => Array.from(document.querySelectorAll('[data-testid=stMain] input'))
  .filter(i => i.type !== 'file' && i.type !== 'checkbox' && i.type !== 'radio')
  .map(i => i.value).filter(Boolean)"""


@pytest.mark.parametrize("width", [1440, 390])
def test_the_catalogs_inputs_show_persian_digits(dashboard, browser, width):
    with new_page(browser, {"width": width, "height": 1000}) as page:
        goto_settled(page, f"{dashboard}/catalog")
        sign_in_browser(page)
        wait_until_settled(page)
        page.get_by_label("رقم‌های اعشار").wait_for(timeout=30_000)
        shown = page.evaluate(_SHOWN_IN_INPUTS)
        decimals = page.get_by_role("combobox", name="رقم‌های اعشار", exact=True).input_value()
        assert re.fullmatch("[۰-۴]", decimals), decimals
    with_digits = [s for s in shown if re.search(r"[0-9۰-۹]", s)]
    assert with_digits, shown
    assert not [s for s in with_digits if re.search("[0-9]", s)], f"Latin digits in the inputs: {with_digits}"

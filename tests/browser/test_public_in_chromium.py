"""The public page in Chromium, at a desk's width and a phone's, in Persian and in English: each language's
text only inside elements marked with it (the walk below reads every text node a reader sees, and what the
fields show), the page's direction, nothing wider than the screen, no error; and an internal address opened
in the browser gets the not-found page, with no link to anything but the public page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.public_seed import DISTRICT, MONTH, PUBLIC_TITLE, seeded_copy
from tools.browser import DESK, ERROR_BOX, PHONE, SCRIPT_DONE, new_page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PERIOD = f"{MONTH[0]}-{MONTH[1]:02d}"

# Every visible text (and every field's value or placeholder) whose script is not the language of the
# closest element marked with a lang (the document's own included): Latin letters outside lang="en", Persian
# letters and digits outside lang="fa".
_WRONG_LANGUAGE = """() => {
  const latin = /[A-Za-z]/, persian = /[\\u0600-\\u06ff\\ufb50-\\ufdff\\ufe70-\\ufeff]/;
  const langOf = (el) => { const m = el.closest('[lang]'); return m ? m.getAttribute('lang').toLowerCase() : ''; };
  // on screen: visible, not clipped away (the screen-reader-only trick clip: rect(0 0 0 0), which Streamlit's
  // own «Skip to main content» link uses until it is focused: left alone, as tools/browser.py does)
  const clipped = (el) => { for (let a = el; a; a = a.parentElement) { const c = getComputedStyle(a).clip; if (c && c !== 'auto') return true; } return false; };
  const seen = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true}) && !clipped(el);
  const out = [];
  const check = (text, el, what) => {
    const lang = langOf(el);
    if (latin.test(text) && !lang.startsWith('en')) out.push(`English outside lang=en (${lang || 'none'}): «${text.trim().slice(0, 60)}»${what}`);
    if (persian.test(text) && !lang.startsWith('fa')) out.push(`Persian outside lang=fa (${lang || 'none'}): «${text.trim().slice(0, 60)}»${what}`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest('script, style, template, noscript')) continue;
    if (!seen(el)) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    if (!Array.from(range.getClientRects()).some(r => r.width > 0.5 && r.height > 0.5)) continue;
    check(n.textContent, el, '');
  }
  for (const input of document.querySelectorAll('input')) {
    if (input.type === 'hidden' || !seen(input)) continue;
    check(input.value || input.placeholder || '', input, ' (a field)');
  }
  return out;
}"""

_FACTS = """() => ({
  lang: document.documentElement.lang,
  direction: getComputedStyle(document.querySelector('h1')).direction,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  text: document.body.innerText,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')).filter(h => !h.startsWith('#')),
})"""


@pytest.fixture(scope="module")
def public_site(sample_db_path, tmp_path_factory, serve_dashboard):
    store_path = seeded_copy(sample_db_path, tmp_path_factory.mktemp("public-chromium"))
    with serve_dashboard(store_path, accounts=False, DASHBOARD_MODE="public", DASHBOARD_SAMPLE="0") as url:
        yield url


def _open(browser, url: str, viewport, shot: str):
    with new_page(browser, viewport) as page:
        page.goto(url, timeout=60_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.wait_for_selector("h1", timeout=30_000)
        # the script that marks the document's language has run
        lang = "en" if "lang=en" in url else "fa"
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang, timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        return page.evaluate(_FACTS), page.evaluate(_WRONG_LANGUAGE), page.locator(ERROR_BOX).count()


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["1440", "390"])
@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("district", [str(DISTRICT), ""], ids=["district", "every-district"])
def test_each_language_stays_in_its_own_elements_at_both_widths(browser, public_site, viewport, lang, district):
    query = f"period={PERIOD}" + (f"&district={district}" if district else "") + ("&lang=en" if lang == "en" else "")
    facts, wrong, errors = _open(
        browser,
        f"{public_site}/public?{query}",
        viewport,
        f"public-{lang}-{'d' + district if district else 'all'}-{viewport['width']}.png",
    )
    assert errors == 0
    assert wrong == []
    assert facts["lang"] == lang
    assert facts["direction"] == ("rtl" if lang == "fa" else "ltr")
    assert facts["overflow"] <= 1, f"the page is {facts['overflow']} px wider than the screen"
    if district:
        assert PUBLIC_TITLE in facts["text"]
        assert ("Aban 1405" if lang == "en" else "آبان ۱۴۰۵") in facts["text"]


@pytest.mark.parametrize("path", ["upload", "batches?lang=en", "review?district=10&period=1404-07", "catalog"])
def test_an_internal_address_in_the_browser_gets_not_found_and_no_way_in(browser, public_site, path):
    lang = "en" if "lang=en" in path else "fa"
    facts, wrong, errors = _open(browser, f"{public_site}/{path}", DESK, f"public-not-found-{path.split('?')[0]}.png")
    assert errors == 0 and wrong == []
    assert ("Page not found" if lang == "en" else "این صفحه پیدا نشد") in facts["text"]
    assert facts["links"] == ["./public" + ("?lang=en" if lang == "en" else "")]
    assert "class=" not in facts["text"]


def test_the_language_switch_opens_the_same_view_in_the_other_language(browser, public_site):
    with new_page(browser, DESK) as page:
        page.goto(f"{public_site}/public?district={DISTRICT}&period={PERIOD}", timeout=60_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.get_by_role("link", name="English").click()
        page.wait_for_url("**lang=en**", timeout=30_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.wait_for_selector("text=District 7 in Aban 1405", timeout=30_000)
        page.get_by_role("link", name="فارسی").click()
        page.wait_for_selector("text=منطقه ۷ در آبان ۱۴۰۵", timeout=60_000)
        assert "lang=en" not in page.url


_SKIP_LINK = """sel => Array.from(document.querySelectorAll(sel)).map(e => [e.textContent, e.getAttribute('lang')])"""


@pytest.mark.parametrize("lang,said", [("fa", "پرش به محتوای اصلی"), ("en", "Skip to main content")])
def test_streamlits_skip_link_is_said_in_the_pages_language(browser, public_site, lang, said):
    from ui import seam

    with new_page(browser, DESK) as page:
        page.goto(f"{public_site}/?district={DISTRICT}&period={PERIOD}&lang={lang}", timeout=60_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.wait_for_function(
            "([sel, lang]) => { const e = document.querySelector(sel); return e && e.getAttribute('lang') === lang; }",
            arg=[seam.selector("skip_link"), lang],
            timeout=10_000,
        )
        assert page.evaluate(_SKIP_LINK, seam.selector("skip_link")) == [[said, lang]]

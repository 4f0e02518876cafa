"""The canary of ``ui/seam.py``: every piece of Streamlit's DOM the theme aims at still matches on a
real page, every English string it hides stays hidden with the Persian said instead, and the patched
«page not found» is still the one Streamlit calls. Written for Streamlit 1.67; ``make
check-streamlit-upgrade`` runs this module against another version and lists what broke (each test's
id is the registry's name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.access import FILE_INPUT, open_upload_signed_in
from tools.browser import PHONE, goto_settled, new_page, wait_until_settled
from ui import navigate, seam, skiplink, theme

# the whole module is the canary make check-streamlit-upgrade runs, its static checks too
pytestmark = pytest.mark.browser

CHOSEN_NAME = "canary.csv"
NOT_FOUND_TITLE = "این صفحه پیدا نشد"

_COUNT = "sel => document.querySelectorAll(sel).length"
# what an element shows: its own visible text and the text its ::after / ::before draw
_SHOWN = """sel => Array.from(document.querySelectorAll(sel)).map(e => {
  const after = getComputedStyle(e, '::after').content, before = getComputedStyle(e, '::before').content;
  return {text: e.innerText || '', display: getComputedStyle(e).display,
          pseudo: [after, before].filter(c => c && c !== 'none' && c !== 'normal').join(' ')};
})"""
# a file dragged over the uploader, as the browser tells react-dropzone (no real mouse drag needed)
_DRAG_OVER = """sel => {
  const zone = document.querySelector(sel);
  const data = new DataTransfer();
  data.items.add(new File(['district,metric,period,value\\n'], 'drag.csv', {type: 'text/csv'}));
  for (const kind of ['dragenter', 'dragover'])
    zone.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: data}));
}"""


@pytest.fixture(scope="module")
def pages(dashboard, browser) -> Iterator[Callable[[str, str], Page]]:
    """One page a (state, path), opened when first asked for and kept for the module."""
    opened: dict[tuple[str, str], Page] = {}
    with ExitStack() as stack:

        def get(when: str, path: str) -> Page:
            if (when, path) not in opened:
                page = stack.enter_context(new_page(browser, PHONE if when == seam.PHONE else None))
                if when in (seam.UPLOAD, seam.CHOSEN, seam.DRAG):
                    open_upload_signed_in(page, dashboard, path)
                else:
                    goto_settled(page, dashboard + path)
                if when == seam.CHOSEN:
                    page.set_input_files(
                        FILE_INPUT,
                        files=[{"name": CHOSEN_NAME, "mimeType": "text/csv", "buffer": b"district,metric\n1,x\n"}],
                    )
                    page.locator("[data-testid=stFileChipName]", has_text=CHOSEN_NAME).wait_for(timeout=30_000)
                    wait_until_settled(page)
                if when == seam.DRAG:
                    page.evaluate(_DRAG_OVER, '[data-testid="stFileUploaderDropzone"]')
                    page.wait_for_timeout(300)  # React draws the overlay on the next frame
                opened[(when, path)] = page
            return opened[(when, path)]

        yield get


@pytest.mark.parametrize("item", seam.SELECTORS, ids=[s.name for s in seam.SELECTORS])
def test_registered_selector_matches_on_a_real_page(pages, item: seam.Selector):
    page = pages(item.when, item.page)
    found = page.evaluate(_COUNT, item.css)
    assert found >= 1, (
        f"{item.name}: {item.css!r} matches nothing on {item.page or '/'} ({item.when}) under this Streamlit; "
        f"it was: {item.replaces}"
    )


@pytest.mark.parametrize("name", sorted(seam.ENGLISH), ids=sorted(seam.ENGLISH))
def test_replaced_english_is_hidden_and_persian_said(pages, name: str):
    item = next(s for s in seam.SELECTORS if s.name == name)
    page = pages(item.when, item.page)
    shown = page.evaluate(_SHOWN, item.css)
    assert shown, f"{name}: {item.css!r} matches nothing"
    for element in shown:
        for english in seam.ENGLISH[name]:
            assert english not in element["text"], f"{name}: Streamlit's English {english!r} is on screen"
        if seam.ENGLISH[name]:  # the override says it in Persian instead
            assert re.search("[\u0600-\u06ff]", element["pseudo"]), f"{name}: no Persian drawn by CSS content"
        else:  # nothing to say: hidden outright
            assert element["display"] == "none", f"{name}: still shown ({element['text']!r})"
    where = page.inner_text("[data-testid=stMain]")
    for english in seam.ENGLISH[name]:
        assert english not in where, f"{name}: {english!r} is on the page"


_SPOKEN = """sel => Array.from(document.querySelectorAll(sel)).map(e => ({
  text: e.textContent, lang: e.getAttribute('lang'), dir: e.getAttribute('dir'), href: e.getAttribute('href'),
  focusable: e.tabIndex >= 0,
}))"""


@pytest.mark.parametrize("name", sorted(seam.RELABELLED), ids=sorted(seam.RELABELLED))
def test_relabelled_english_is_said_in_persian_to_a_screen_reader(pages, name: str):
    """The text a screen reader reads (the element's own text, not a picture drawn by CSS) is Persian and
    marked so; Streamlit's English is gone; the link still leads to the main area."""
    item = next(s for s in seam.SELECTORS if s.name == name)
    page = pages(item.when, item.page)
    page.wait_for_function(
        "([sel, english]) => { const e = document.querySelector(sel); return e && !e.textContent.includes(english); }",
        arg=[item.css, seam.RELABELLED[name][0]],
        timeout=10_000,
    )
    spoken = page.evaluate(_SPOKEN, item.css)
    assert spoken, f"{name}: {item.css!r} matches nothing"
    for element in spoken:
        for english in seam.RELABELLED[name]:
            assert english not in element["text"], f"{name}: Streamlit's English {english!r} is still read"
        assert re.search("[\u0600-\u06ff]", element["text"]) and element["lang"] == "fa" and element["dir"] == "rtl"
        assert (element["href"] or "").startswith("#") and element["focusable"]


_CHIP_GAP = """sel => Array.from(document.querySelectorAll(sel)).map(chip => {
  const label = chip.querySelector('span').getBoundingClientRect(), x = chip.querySelector('button').getBoundingClientRect();
  return Math.max(x.left - label.right, label.left - x.right);
})"""


def test_a_multiselect_chips_x_stands_apart_from_its_label(pages):
    item = seam.SELECTORS[[s.name for s in seam.SELECTORS].index("multiselect_chip")]
    gaps = pages(item.when, item.page).evaluate(_CHIP_GAP, item.css)
    assert gaps and min(gaps) >= 5, f"the × touches its chip's label: gaps {gaps} px"


def test_patched_page_not_found_is_called_for_an_unknown_path(dashboard, browser):
    """Streamlit calls ui/notfound.py's replacement of ``send_page_not_found``: the Persian page shows,
    never Streamlit's English dialog."""
    with new_page(browser) as page:
        goto_settled(page, dashboard + "/no-such-page-canary")
        page.get_by_role("heading", name=NOT_FOUND_TITLE).wait_for(timeout=30_000)
        text = page.inner_text("body")
        assert "no-such-page-canary" in text  # the English line of the notice names the path asked for
        assert "Page not found" not in text and "You have requested page" not in text


def test_every_private_api_the_dashboard_uses_exists():
    """Fails, naming it, when a Streamlit upgrade removed an internal registered in ui/seam.py."""
    assert seam.missing_private_apis() == []


def test_page_not_found_is_replaced_by_the_dashboards_hook():
    from streamlit.commands import navigation

    from ui import notfound

    notfound.install()
    assert navigation.send_page_not_found is notfound._remember_unknown_path


def test_a_missing_page_not_found_is_an_error_in_the_log(monkeypatch, caplog):
    from streamlit.commands import navigation

    monkeypatch.delattr(navigation, "send_page_not_found")
    assert seam.replace_page_not_found(lambda ctx: None) is False
    assert any(r.levelname == "ERROR" and "send_page_not_found" in r.getMessage() for r in caplog.records)


def test_the_theme_aims_at_streamlit_only_through_the_registry():
    """No data-testid, Emotion class (``.e`` + hash) or Streamlit class (``.stX``) written in the theme
    itself: each goes through a ``$name`` of ui/seam.py, where it is tested."""
    raw = theme._CSS
    assert "data-testid" not in raw
    assert not re.findall(r"\.e[a-z0-9]{6,7}\b", raw)
    assert not re.findall(r"\.st[A-Z]\w*", raw)
    used = set(re.findall(r"\$(\w+)", raw)) | set(navigate.SEAM_NAMES) | set(skiplink.SEAM_NAMES)
    assert "data-testid" not in navigate._SCRIPT  # the link script reaches Streamlit's DOM through the seam too
    assert used <= {s.name for s in seam.SELECTORS}
    assert {s.name for s in seam.SELECTORS} <= used, "a registered selector the theme no longer uses: remove it"
    assert set(seam.ENGLISH) <= {s.name for s in seam.SELECTORS}
    assert set(seam.RELABELLED) <= {s.name for s in seam.SELECTORS}
    skip_script = (Path(skiplink.__file__).parent / "templates" / "skiplink.html").read_text(encoding="utf-8")
    assert "data-testid" not in skip_script

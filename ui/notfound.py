"""A Persian page for an unknown path, instead of Streamlit's English "Page not found".

``st.navigation`` answers an unknown path by running the default page and telling the browser
to open an English dialog; Streamlit has no setting for it. The one function that sends that
message is replaced, for this process, by one that remembers which path was asked for, so the
entry script can show this page instead. Nothing else of Streamlit's navigation changes. The
replacement is a Streamlit 1.67 internal, registered in ``ui/seam.py``: when it is gone the log says
so at start, and ``tests/browser/test_streamlit_seam_in_chromium.py`` fails.
"""

from __future__ import annotations

import logging

import streamlit as st

from ui import messages, seam
from ui.html import macro

_ASKED = "_unknown_path"
logger = logging.getLogger(__name__)


def _remember_unknown_path(ctx) -> None:
    asked = getattr(ctx.pages_manager, "intended_page_name", None) or ""
    st.session_state[_ASKED] = asked
    logger.info("unknown path asked for: %r", asked)


def install() -> None:
    """Route Streamlit's "page not found" message to :func:`asked_for_unknown_path` (idempotent)."""
    seam.replace_page_not_found(_remember_unknown_path)


def asked_for_unknown_path() -> str | None:
    """The unknown path this run was asked for, once (None when the path was a page)."""
    return st.session_state.pop(_ASKED, None)


def show(asked: str, pages: list[tuple[str, str]]) -> None:
    """The Persian not-found page with links to every page (``pages``: (title, url path))."""
    st.title("این صفحه پیدا نشد")
    messages.warning(
        "نشانی‌ای که باز کردید در داشبورد نیست؛ شاید نشانی را اشتباه نوشته‌اید یا پیوند قدیمی است.",
        f"There is no page at '/{asked}'. The address may be mistyped or the link out of date.",
    )
    st.html(macro("notfound.html", "links")(pages))
    keep_address(asked)
    # Streamlit ran the default page, so its menu marks «نمای کلی» as the page open: it is not
    st.html(macro("notfound.html", "menu_marks_no_page")())


def keep_address(asked: str) -> None:
    """Put the unknown path back in the address bar: a mistyped address stays visible to correct
    (the ``keep_address`` script of ``notfound.html``, the path in it as JSON)."""
    # the template's script_json writes it as a JSON string, «<», «>», «&» as \u escapes
    st.html(macro("notfound.html", "keep_address")(asked.strip("/")), unsafe_allow_javascript=True)

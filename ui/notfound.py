"""A Persian page for an unknown path, instead of Streamlit's English "Page not found".

``st.navigation`` answers an unknown path by running the default page and telling the browser
to open an English dialog; Streamlit has no setting for it. The one function that sends that
message is replaced, for this process, by one that remembers which path was asked for, so the
entry script can show this page instead. Nothing else of Streamlit's navigation changes. The
replacement is a Streamlit 1.67 internal, registered in ``ui/seam.py``: when it is gone the log says
so at start, and ``tests/browser/test_streamlit_seam_in_chromium.py`` fails.
"""

from __future__ import annotations

import json
import logging

import streamlit as st

from monitoring.text import escape_html
from ui import messages, seam

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
    links = "".join(
        f'<li><a href="./{escape_html(path)}" target="_self">{escape_html(title)}</a></li>' for title, path in pages
    )
    st.html(f'<p>یکی از صفحه‌های داشبورد را باز کنید:</p><ul class="dash-links">{links}</ul>')
    keep_address(asked)
    # Streamlit ran the default page, so its menu marks «نمای کلی» as the page open: it is not
    st.html(
        '<style>[data-testid="stSidebarNav"] a[aria-current="page"] '
        "{ background-color: transparent !important; }"
        '[data-testid="stSidebarNav"] a[aria-current="page"] span { font-weight: 400 !important; }</style>'
    )


# Streamlit 1.67's frontend answers an unknown path by running the default page and pushing its
# address ("/") on the history (App.maybeUpdatePageUrl, on the run's new session); by the time this
# script runs that has happened, so the entry is given back the address the user asked for.
_KEEP_ADDRESS = """<script>
(() => {
  const asked = %(asked)s;
  const folder = window.location.pathname.slice(0, window.location.pathname.lastIndexOf("/") + 1);
  const address = folder + asked.split("/").map(encodeURIComponent).join("/") + window.location.search;
  if (window.location.pathname !== folder + asked) window.history.replaceState({}, "", address);
})();
</script>"""


def keep_address(asked: str) -> None:
    """Put the unknown path back in the address bar: a mistyped address stays visible to correct."""
    text = json.dumps(asked.strip("/"), ensure_ascii=True).replace("<", "\\u003c")
    st.html(_KEEP_ADDRESS % {"asked": text}, unsafe_allow_javascript=True)

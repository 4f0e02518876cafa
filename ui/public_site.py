"""The public site: the citizens' page and nothing else, for a process run with ``DASHBOARD_MODE=public``
(``dashboard.py``) or started as ``streamlit run public.py``.

Isolation is by registration, not by a check at the door: this shell hands ``st.navigation`` the
public page alone (at ``/`` and at ``/public``), so Streamlit knows no other page. An internal page's
address (``/upload``, ``/batches``...) is an unknown path and gets the not-found page below; an internal
page's script hash sent over the websocket (``rerun_script.page_script_hash``) matches no registered page
and Streamlit runs the public page instead; there is no menu, no sidebar, no sign-in and no uploader, and
the upload endpoint refuses every file (``ui.uploads``: no session here ever shows an uploader).
``tests/security/test_public_mode.py`` holds it to that over HTTP, the websocket and Chromium.
"""

from __future__ import annotations

import logging

import streamlit as st

from monitoring.config import PROJECT_ROOT
from ui import data, notfound, outage, public, seam, uploads
from ui.public_text import text

logger = logging.getLogger(__name__)

PUBLIC_SCRIPT = "views/public.py"
PUBLIC_PATH = "public"
HOME_NAME = "home"


def pages() -> list:
    """The only pages a public process registers: the citizens' page at ``/`` and at ``/public``."""
    title = text("page_title", public.current_lang())
    return [
        # the default page is served at "/" but reserves a name of its own, which no address reaches
        st.Page(PUBLIC_SCRIPT, title=title, default=True, url_path=HOME_NAME),
        st.Page(PUBLIC_SCRIPT, title=title, url_path=PUBLIC_PATH, visibility="hidden"),
    ]


def run() -> None:
    """One run of the public site: page config, the language's look, the page (or not-found)."""
    lang = public.current_lang()
    st.set_page_config(
        page_title=text("page_title", lang),
        page_icon=str(PROJECT_ROOT / "static" / "icon.png"),
        layout="wide",
        initial_sidebar_state="collapsed",
    )
    seam.check_at_start()
    uploads.install_guard()  # no session of a public process ever shows an uploader: every file is refused
    notfound.install()
    public.apply_look(lang)
    try:
        navigation = st.navigation(pages(), position="hidden")
        unknown = notfound.asked_for_unknown_path()
        if unknown is not None:
            show_not_found(unknown, lang)
        else:
            navigation.run()
    except Exception as exc:  # a fault of ours or the database's: said in both languages, logged with its traceback
        if outage.is_outage(exc):
            public.notice("error", "unavailable", reference=outage.reference_of(exc, "the public page"))
            outage.retry_until_back()
            st.stop()
        public.fault(exc, "the public page")
    data.settle_heap()  # once a process, after its first page (as dashboard.py does)


def show_not_found(asked: str, lang) -> None:
    """The not-found page of the public site, in the page's language with the other beside it, and the
    one link it has: the public page."""
    logger.info("public site: unknown path %r", asked)
    public.heading("not_found_title")
    public.notice("warning", "not_found_body")
    href = f"./{PUBLIC_PATH}" + ("?lang=en" if lang == "en" else "")
    st.html(public.page_link_html(lang, href, text("not_found_link", lang)))
    notfound.keep_address(asked)

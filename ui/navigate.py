"""Following a link without leaving the session: sign-in, choices and the page's state survive.

A plain ``<a href="./district?…">`` in the page's HTML (a table's district, an alert line, the
upload page's «دسته‌های بارگذاری») and a chart's click (``ui/plot.py`` opens its link with
``location.assign``) would load the app again: a new session, and an administrator signed out.
Streamlit has no public call that opens a page with a URL from the browser, so one small script,
installed once a document, turns such a navigation into the one Streamlit already follows in the
same session, the browser's Back and Forward:

- it pushes the link's address on the history and sends ``popstate``. Streamlit 1.67's frontend
  (``App.onHistoryChange``) then finds the page by its path and reruns it with the address's query
  in this session, as a *history navigation*: in that run the page's own URL normalisation
  (``ui.state.commit``, ``st.query_params.from_dict``) replaces the history entry instead of
  pushing another (``App.handlePageInfoChanged`` uses ``replaceState`` while
  ``historyNavigationEpoch`` is set). So a followed link is one history entry, and Back needs one
  press;
- Streamlit's own menu links are followed the same way (their click handler would push the bare
  path and then the page's normalised URL, two entries), and carry the choices in their address
  (written in as the pointer or the focus reaches one), so a new tab opens the same view;
- a chart's click goes through ``location.assign``, which no click handler sees: where the browser
  has the Navigation API (Chromium, Safari 26, Firefox 147), its ``navigate`` event is cancelled and
  followed the same way; elsewhere the click still opens the page, by loading it.

Only links to a page of this dashboard (the same folder of the same site, a known page path) are
followed so; a download, a new tab (a modifier key, ``target="_blank"``) or another site is left to
the browser.

On a phone (a viewport no wider than Streamlit's sidebar overlay, 768 px) the sidebar covers the
page; after a link is followed, or a choice made in the sidebar (:func:`close_sidebar_on_phone`),
the script presses the sidebar's own collapse button (``stSidebarCollapseButton``, Streamlit 1.67):
Streamlit closes it after a menu click only for a phone's user agent, never after a choice.
An address the browser opened (typed, a bookmark, a bare ``/rankings``) is no history navigation:
Streamlit would push the page's normalised URL as a second entry, so Back would first show the bare
address, which normalises itself again, and seem dead. The session's first run writes its URL with
:func:`replace_address` instead (``ui.state``), which replaces the entry in the browser; Streamlit's
next run sends the query the address bar holds.

Checked by ``tests/browser/test_navigation_in_chromium.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import seam
from ui.html import macro

# the scripts' source, as ui/templates/navigate.html holds them (a test reads it: no Streamlit test id in it)
_SCRIPT = (Path(__file__).parent / "templates" / "navigate.html").read_text(encoding="utf-8")


def install(page_paths: list[str]) -> None:
    """Follow links to ``page_paths`` (the url paths of this session's pages; "" for the default
    page) in the session. Call once a run, before the page draws."""
    script = macro("navigate.html", "follow_links")(sorted(set(page_paths)), **_selectors())
    st.html(script, unsafe_allow_javascript=True)


# the Streamlit DOM this script reaches for, each registered (and canary-tested) in ui/seam.py
SEAM_NAMES = ("sidebar", "sidebar_nav", "sidebar_collapse_button")


def _selectors() -> dict[str, str]:
    return {
        "sidebar": seam.selector("sidebar"),
        "collapse": seam.selector("sidebar_collapse_button"),
        "nav_link": seam.selector("sidebar_nav") + " a[href]",
    }


def replace_address(params: dict[str, str]) -> None:
    """Write ``params`` as the address's query in the browser, replacing the current history entry
    instead of pushing one (the server's ``st.query_params`` is set by the caller)."""
    st.sidebar.html(macro("navigate.html", "replace_address")(params), unsafe_allow_javascript=True)


def close_sidebar_on_phone() -> None:
    """Close the sidebar on a phone after this run (a choice was made in it)."""
    st.sidebar.html(macro("navigate.html", "close_sidebar")(), unsafe_allow_javascript=True)

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

import json

import streamlit as st

from ui import seam

_SCRIPT = """<script>
(() => {
  window.__dashPages = %(pages)s;
  if (window.__dashNavigation) return;  // once a document
  window.__dashNavigation = true;
  const folder = (path) => path.slice(0, path.lastIndexOf("/") + 1);
  // the address to follow in the session, or null when the browser should have this link
  const inApp = (href) => {
    let url;
    try { url = new URL(href, window.location.href); } catch (err) { return null; }
    if (url.origin !== window.location.origin) return null;
    const here = folder(window.location.pathname);
    if (folder(url.pathname) !== here) return null;
    if (!window.__dashPages.includes(url.pathname.slice(here.length))) return null;
    return url.pathname + url.search + url.hash;
  };
  window.__dashCloseSidebar = () => {
    if (!window.matchMedia("(max-width: 768px)").matches) return;
    const bar = document.querySelector(%(sidebar)s);
    if (!bar || bar.getAttribute("data-collapsed") !== "false") return;
    const button = document.querySelector(%(collapse)s);
    if (button) button.click();
  };
  const follow = (address) => {
    window.history.pushState({}, "", address);
    window.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
    window.__dashCloseSidebar();
  };
  window.__dashFollow = follow;
  // the menu's links (Streamlit draws them bare) carry the choices in the address, for a new tab or a
  // copied link too: written in as the pointer or the focus reaches one
  const SHARED = ["metric", "period", "measure", "district"];
  const carry = (event) => {
    const link = event.target instanceof Element ? event.target.closest(%(nav_link)s) : null;
    if (!link || inApp(link.getAttribute("href")) === null) return;
    const url = new URL(link.getAttribute("href"), window.location.href);
    const here = new URLSearchParams(window.location.search), query = new URLSearchParams();
    for (const name of SHARED) if (here.get(name)) query.set(name, here.get(name));
    link.setAttribute("href", url.pathname + (query.toString() ? "?" + query.toString() : ""));
  };
  for (const type of ["pointerover", "focusin", "pointerdown"]) window.addEventListener(type, carry, true);
  window.addEventListener("click", (event) => {  // the capture phase: before Streamlit's own handlers
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || link.hasAttribute("download")) return;
    if (link.target && link.target !== "_self") return;
    const address = inApp(link.getAttribute("href"));
    if (address === null) return;
    event.preventDefault();
    event.stopPropagation();
    follow(address);
  }, true);
  if (window.navigation) {
    window.navigation.addEventListener("navigate", (event) => {
      if (event.navigationType !== "push" || !event.cancelable || event.destination.sameDocument) return;
      if (event.downloadRequest !== null || event.formData) return;
      const address = inApp(event.destination.url);
      if (address === null) return;
      event.preventDefault();
      setTimeout(() => follow(address), 0);
    });
  }
})();
</script>"""

_CLOSE = """<script>
(() => { if (window.__dashCloseSidebar) window.__dashCloseSidebar(); })();
</script>"""


def install(page_paths: list[str]) -> None:
    """Follow links to ``page_paths`` (the url paths of this session's pages; "" for the default
    page) in the session. Call once a run, before the page draws."""
    pages = json.dumps(sorted(set(page_paths)), ensure_ascii=True).replace("<", "\\u003c")
    st.html(_SCRIPT % {"pages": pages, **_selectors()}, unsafe_allow_javascript=True)


# the Streamlit DOM this script reaches for, each registered (and canary-tested) in ui/seam.py
SEAM_NAMES = ("sidebar", "sidebar_nav", "sidebar_collapse_button")


def _selectors() -> dict[str, str]:
    def js(text: str) -> str:
        return json.dumps(text, ensure_ascii=True).replace("<", "\\u003c")

    return {
        "sidebar": js(seam.selector("sidebar")),
        "collapse": js(seam.selector("sidebar_collapse_button")),
        "nav_link": js(seam.selector("sidebar_nav") + " a[href]"),
    }


_REPLACE = """<script>
(() => {
  const query = new URLSearchParams(%(params)s).toString();
  const address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  window.history.replaceState(window.history.state, "", address);
})();
</script>"""


def replace_address(params: dict[str, str]) -> None:
    """Write ``params`` as the address's query in the browser, replacing the current history entry
    instead of pushing one (the server's ``st.query_params`` is set by the caller)."""
    text = json.dumps(params, ensure_ascii=True).replace("<", "\\u003c")
    st.sidebar.html(_REPLACE % {"params": text}, unsafe_allow_javascript=True)


def close_sidebar_on_phone() -> None:
    """Close the sidebar on a phone after this run (a choice was made in it)."""
    st.sidebar.html(_CLOSE, unsafe_allow_javascript=True)

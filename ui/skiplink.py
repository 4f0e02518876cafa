"""Streamlit's hidden «Skip to main content» link, said in the page's language.

Streamlit 1.67 draws, first in every page, a link to the main area that stays off screen until the
keyboard reaches it, with the English text «Skip to main content» and no setting for it; a screen reader
reads it first on every Persian page. A CSS ``content:`` would be seen but the English would still be
read, so a small script rewrites the link's own text node (React keeps its node: nothing of Streamlit's
breaks) and marks it with the language (``lang``, ``dir``); an observer writes it again if Streamlit
draws the link anew. The selector is registered in ``ui/seam.py`` (``skip_link``) and canary-tested.
"""

from __future__ import annotations

import json

import streamlit as st

from ui import seam
from ui.public_text import DIRECTION, Lang, text

# the Streamlit DOM this script reaches for, registered (and canary-tested) in ui/seam.py
SEAM_NAMES = ("skip_link",)

_SCRIPT = """<script>
(() => {
  window.__dashSkipLink = {label: %(label)s, lang: %(lang)s, dir: %(dir)s};
  const apply = () => {
    const want = window.__dashSkipLink;
    for (const link of document.querySelectorAll(%(selector)s)) {
      const node = link.firstChild;
      if (node && node.nodeType === Node.TEXT_NODE && link.childNodes.length === 1) {
        if (node.nodeValue !== want.label) node.nodeValue = want.label;
      } else if (link.textContent !== want.label) {
        link.textContent = want.label;
      }
      if (link.getAttribute("lang") !== want.lang) link.setAttribute("lang", want.lang);
      if (link.getAttribute("dir") !== want.dir) link.setAttribute("dir", want.dir);
    }
  };
  apply();
  if (!window.__dashSkipObserver) {  // once a document: Streamlit may draw the link again
    window.__dashSkipObserver = new MutationObserver(apply);
    window.__dashSkipObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
  }
})();
</script>"""


def script(lang: Lang) -> str:
    """The script that says the skip link in ``lang`` (JSON-quoted values, ``<`` escaped)."""

    def js(value: str) -> str:
        return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c")

    return _SCRIPT % {
        "label": js(text("skip_to_content", lang)),
        "lang": js(lang),
        "dir": js(DIRECTION[lang]),
        "selector": js(seam.selector("skip_link")),
    }


def install(lang: Lang = "fa") -> None:
    """Say Streamlit's skip link in ``lang`` on this page. Call once a run."""
    st.html(script(lang), unsafe_allow_javascript=True)

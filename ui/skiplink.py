"""Streamlit's hidden «Skip to main content» link, said in the page's language.

Streamlit 1.67 draws, first in every page, a link to the main area that stays off screen until the
keyboard reaches it, with the English text «Skip to main content» and no setting for it; a screen reader
reads it first on every Persian page. A CSS ``content:`` would be seen but the English would still be
read, so a small script rewrites the link's own text node (React keeps its node: nothing of Streamlit's
breaks) and marks it with the language (``lang``, ``dir``); an observer writes it again if Streamlit
draws the link anew. The selector is registered in ``ui/seam.py`` (``skip_link``) and canary-tested.
"""

from __future__ import annotations

import streamlit as st

from ui import html, seam
from ui.public_text import DIRECTION, Lang, text

# the Streamlit DOM this script reaches for, registered (and canary-tested) in ui/seam.py
SEAM_NAMES = ("skip_link",)


def script(lang: Lang) -> html.Markup:
    """The script that says the skip link in ``lang`` (ui/templates/skiplink.html; its values as
    JSON, ``<``, ``>`` and ``&`` escaped)."""
    return html.render(
        "skiplink.html",
        want={"label": text("skip_to_content", lang), "lang": lang, "dir": DIRECTION[lang]},
        selector=seam.selector("skip_link"),
    )


def install(lang: Lang = "fa") -> None:
    """Say Streamlit's skip link in ``lang`` on this page. Call once a run."""
    st.html(script(lang), unsafe_allow_javascript=True)

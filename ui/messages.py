"""Bilingual notices: the Persian first, the English in its own element marked ``lang="en"``.

Streamlit's alert boxes take Markdown without HTML, so a message with both languages in one
paragraph comes out scrambled ("9999-99" reads "99-9999"). These boxes keep each language in
an element of its own, so neither reorders the other and a screen reader can tell them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from monitoring.message import Message
from monitoring.text import plain
from ui.html import Markup, macro

Kind = Literal["info", "success", "warning", "error"]
_ROLES = {"info": "status", "success": "status", "warning": "alert", "error": "alert"}


# a value embedded in a Persian sentence: a file name, a code, "1404/13", "9999-99"; left alone it is
# reordered by the bidi algorithm ("9999-99" reads "99-9999"); isolated, it reads as written
_EMBEDDED = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/@'+\-]*[A-Za-z0-9_]|[A-Za-z]")
_LATIN = re.compile(r"[A-Za-z]")
# where an embedded run can begin (no Latin letter or digit: nothing in the sentence is isolated)
_EMBEDDED_START = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Run:
    """A piece of a sentence: ``dir`` set, it is isolated in an element of its own (marked ``lang`` when set)."""

    text: str
    lang: str = ""
    dir: str = ""


def embedded_runs(text: str) -> list[Run]:
    """A Persian sentence (plain text) cut where a value is embedded in it: each Latin run (a code, a
    file name, a header) isolated left to right and marked English, each run of digits with separators
    («1404/13», "9999-99") isolated left to right; a plain number stays in the sentence. The one rule
    of what is isolated in Persian text, for the centre's pages and the public page alike."""
    found: list[Run] = []
    at = 0
    for m in _EMBEDDED.finditer(text):
        piece = m.group(0)
        if _LATIN.search(piece):
            isolated = Run(piece, "en", "ltr")
        elif any(c in piece for c in "-/:.") and len(piece) > 2:
            isolated = Run(piece, dir="ltr")
        else:
            continue
        found += [Run(text[at : m.start()]), isolated]
        at = m.end()
    found.append(Run(text[at:]))
    return [r for r in found if r.text]


def persian_html(text: str) -> Markup:
    """Persian text (plain text, stripped of bidi controls) as markup, its embedded Latin values and
    codes isolated (:func:`embedded_runs`)."""
    text = plain(text)
    if not _EMBEDDED_START.search(text):  # nothing to isolate: the sentence escaped, as the macro would write it
        return Markup.escape(text)
    return macro("messages.html", "runs")(embedded_runs(text))


def english(text: str) -> Markup:
    """``text`` in an inline element of its own, marked English and left to right."""
    return macro("messages.html", "english")(text)


def bilingual_html(fa: str, en: str = "", inline: bool = False) -> Markup:
    """HTML for a Persian sentence with its English beside it (``inline``) or under it, each escaped."""
    return macro("messages.html", "bilingual")(persian_html(fa), en, inline)


def note_html(kind: Kind, fa: str, en: str = "") -> Markup:
    return macro("messages.html", "note")(kind, _ROLES[kind], bilingual_html(fa, en))


def note(kind: Kind, fa: str | Message, en: str = "", container=None) -> None:
    """Show a notice box: a :class:`Message`, or a Persian sentence and (for an error, always) its English."""
    message = fa if isinstance(fa, Message) else None
    (container or st).html(note_html(kind, message.fa, message.en) if message else note_html(kind, str(fa), en))


def info(fa: str | Message, en: str = "", container=None) -> None:
    note("info", fa, en, container)


def success(fa: str | Message, en: str = "", container=None) -> None:
    note("success", fa, en, container)


def warning(fa: str | Message, en: str = "", container=None) -> None:
    note("warning", fa, en, container)


def error(fa: str | Message, en: str = "", container=None) -> None:
    note("error", fa, en, container)


# the values of a page's address that were ignored or replaced: one notice a run, however many there are
_LINK = "_link_problems"
LINK_TITLE_FA = "این مقدارهای پیوند به کار نرفت:"
LINK_TITLE_EN = "Ignored in the link"


def begin_link_problems() -> None:
    """Where this run's link problems are shown (:func:`link_problem`): here, in one notice."""
    st.session_state[_LINK] = {"box": st.empty(), "items": []}


def forget_link_problems() -> None:
    st.session_state.pop(_LINK, None)


def link_problem(fa: str, en: str, short_fa: str = "") -> None:
    """A value of the address that was ignored or replaced. With one, the notice says ``fa``; with
    more, one compact notice lists each ``short_fa`` (or ``fa``) and the English in one line, instead
    of a notice each filling a phone's first screen."""
    shown = st.session_state.get(_LINK)
    if not shown:
        warning(fa, en)
        return
    shown["items"].append((fa, en, short_fa or fa))
    shown["box"].html(link_problems_html(shown["items"]))


def link_problems_html(items: list[tuple[str, str, str]]) -> Markup:
    """One warning for the ``(fa, en, short_fa)`` problems of a link."""
    if len(items) == 1:
        return note_html("warning", items[0][0], items[0][1])
    lines = [persian_html(short) for _fa, _en, short in items]
    english_line = f"{LINK_TITLE_EN}: " + "; ".join(en.rstrip(".") for _fa, en, _short in items) + "."
    return macro("messages.html", "note_list")(LINK_TITLE_FA, lines, english_line)


def unexpected(exc: BaseException, where: str, container=None) -> str:
    """Log ``exc`` with its traceback and show a short Persian message with a reference to quote."""
    from monitoring import logs

    reference = logs.report_unexpected(exc, where)
    (container or st).html(macro("messages.html", "unexpected")(reference))
    return reference

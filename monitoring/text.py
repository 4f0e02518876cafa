"""Folding the ways one Persian word can be typed into one key; text from data made safe for a page."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from monitoring.calendar import to_latin_digits, to_persian_digits

# letters that look alike: Arabic yeh, alef maksura, kaf, heh with yeh, teh marbuta -> Persian
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه"})
# zero-width and bidi marks, tatweel, Arabic diacritics, every kind of space, underscores
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640\u064b-\u065f\u0670_]+")


def text_key(text: object) -> str:
    """A key two spellings of the same word share.

    Case, spaces, ZWNJ (نیم‌فاصله), Arabic ي/ك against Persian ی/ک, Persian or Arabic digits
    and Arabic presentation forms all fold away: «گزارش‌های ارسالی» == «گزارشهاي  ارسالي».
    Folding a key again changes nothing (``text_key(text_key(x)) == text_key(x)``).
    """
    key = str(text)
    # removing a mark can let letters compose, and casefolding can undo NFKC: fold to a fixed point
    for _ in range(_MAX_ROUNDS):
        folded = _fold(key)
        if folded == key:
            break
        key = folded
    return key


_MAX_ROUNDS = 8


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", to_latin_digits(text)))
    return _INVISIBLE.sub("", text.translate(_LETTERS)).casefold()


# ---------------------------------------------------------------- text from data on a page

# the bidi controls that reorder what follows them (embeddings, overrides, isolates, marks): «report‮cod.exe.csv»
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# other control characters (C0 but tab and newline, DEL, C1)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# every ASCII character Markdown (or Streamlit's :color[...] and :icon: directives) gives a meaning to
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&\"'])")


def plain(value: object) -> str:
    """Text from data (a metric's or district's name, a file name, a cell, a user name) as it may reach a
    page: without bidi controls, so nothing is shown in another order than it is stored, and without
    other control characters. The one function every path from data to a page goes through."""
    text = "" if value is None else str(value)
    return _CONTROLS.sub("", BIDI_CONTROLS.sub("", text))


def escape_html(value: object, quote: bool = True) -> str:
    """:func:`plain` text escaped for HTML."""
    return html.escape(plain(value), quote=quote)


def markdown_literal(value: object) -> str:
    """:func:`plain` text for a place that reads Markdown (a heading, a caption, a widget's label):
    every character Markdown would act on is escaped, so a name with a URL, ``**``, ``[x](y)`` or
    ``:red[...]`` shows exactly as written and never becomes a link or a style."""
    return _MARKDOWN.sub(r"\\\1", plain(value)).replace("\n", " ")


def persian_list(numbers: Iterable[int]) -> str:
    """Numbers as a Persian list: «۳»، «۳ و ۵», «۳، ۵ و ۹»; nothing for none."""
    items = [to_persian_digits(n) for n in numbers]
    if len(items) < 2:
        return "".join(items)
    return "، ".join(items[:-1]) + " و " + items[-1]

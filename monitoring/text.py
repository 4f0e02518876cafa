"""Folding the ways one Persian word can be typed into one key."""

from __future__ import annotations

import re
import unicodedata

from monitoring.calendar import to_latin_digits

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

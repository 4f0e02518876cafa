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
    """
    text = unicodedata.normalize("NFKC", to_latin_digits(str(text)))
    return _INVISIBLE.sub("", text.translate(_LETTERS)).casefold()

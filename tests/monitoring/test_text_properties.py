"""Properties of text folding: one key for every way a Persian word can be typed."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from monitoring import text
from monitoring.calendar import ARABIC_DIGITS, PERSIAN_DIGITS, to_latin_digits
from monitoring.text import text_key

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
words = st.text(alphabet=PERSIAN_LETTERS + LATIN + "0123456789", min_size=1, max_size=20)

# each character -> the ways a person (or a keyboard layout) may type it
VARIANTS: dict[str, tuple[str, ...]] = {"ی": ("ی", "ي"), "ک": ("ک", "ك")}
for latin, persian, arabic in zip("0123456789", PERSIAN_DIGITS, ARABIC_DIGITS, strict=True):
    VARIANTS[latin] = (latin, persian, arabic)
for ch in LATIN:
    VARIANTS[ch] = (ch.lower(), ch.upper())
SPACING = ("", "", "", " ", "\u200c", "  ", "\t", "\u00a0")


@st.composite
def retyped(draw, word: str) -> str:
    """``word`` typed again: other digits, Arabic ي/ك, other case, ZWNJ and stray spaces."""
    out = [draw(st.sampled_from(SPACING))]
    for ch in word:
        out.append(draw(st.sampled_from(VARIANTS.get(ch, (ch,)))))
        out.append(draw(st.sampled_from(SPACING)))
    return "".join(out)


@given(st.text())
@example("e\u200c\u0301")  # a ZWNJ between a letter and its accent: é only once it is gone
@example("A\u0640\u0301")
def test_folding_is_idempotent_on_any_text(text):
    key = text_key(text)
    assert text_key(key) == key


@given(st.data(), words)
def test_two_typings_of_one_word_share_a_key(data, word):
    assert text_key(data.draw(retyped(word))) == text_key(word)


@given(words)
def test_the_key_has_no_spaces_arabic_letters_or_non_latin_digits(word):
    key = text_key(word.replace("ی", "ي").replace("ک", "ك"))
    assert not any(ch.isspace() or ch in "\u200cيك" + PERSIAN_DIGITS + ARABIC_DIGITS for ch in key)


def test_the_documented_example_folds_to_one_key():
    assert text_key("گزارش‌های ارسالی") == text_key("گزارشهاي  ارسالي")
    assert text_key("منطقه ۷") == text_key("منطقه7") == text_key("منطقه٧")


@pytest.mark.parametrize(("numbers", "said"), [([], ""), ([3], "۳"), ([3, 5], "۳ و ۵"), ([3, 5, 22], "۳، ۵ و ۲۲")])
def test_numbers_are_listed_the_persian_way(numbers, said):
    assert text.persian_list(numbers) == said


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_a_persian_list_names_every_number_once_in_its_order(numbers):
    said = text.persian_list(numbers)
    assert said.count(" و ") == (1 if len(numbers) > 1 else 0)
    assert [int(to_latin_digits(x)) for x in re.split("، | و ", said) if x] == numbers

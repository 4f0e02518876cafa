"""Properties of the normalisers the loader reads cells with: digits, letters, district words, periods."""

from __future__ import annotations

import datetime as dt

import jdatetime
from hypothesis import given
from hypothesis import strategies as st

from data_loaders import normalise
from monitoring import calendar
from monitoring.calendar import ARABIC_DIGITS, MONTHS_FA, PERSIAN_DIGITS, to_latin_digits
from monitoring.message import Message
from monitoring.text import text_key
from tests.data_loaders.helpers import DISTRICTS

ARABIC_TO = str.maketrans("0123456789", ARABIC_DIGITS)
PERSIAN_TO = str.maketrans("0123456789", PERSIAN_DIGITS)

# ---------------------------------------------------------------- digits


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([PERSIAN_TO, ARABIC_TO, {}]))
def test_persian_and_arabic_indic_digits_fold_to_the_same_latin_number(n, table):
    assert to_latin_digits(str(n).translate(table)) == str(n)


@given(st.text())
def test_digit_folding_leaves_no_eastern_digit_and_is_idempotent(text):
    folded = to_latin_digits(text)
    assert not set(folded) & set(PERSIAN_DIGITS + ARABIC_DIGITS)
    assert to_latin_digits(folded) == folded
    assert len(folded) == len(text)  # one character for one


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_a_number_written_with_persian_digits_and_separators_reads_back(x):
    written = f"{x:,.2f}".replace(",", "٬").replace(".", "٫").translate(PERSIAN_TO)
    value, reason = normalise.parse_number(written)
    assert reason is None and abs(value - x) < 1e-6


# ---------------------------------------------------------------- letters

PERSIAN_WORDS = ["گزارش", "کیفیت", "یکشنبه", "شکایت", "ملاقات مردمی", "اخبار منتشرشده", "پیگیری کار"]


def respelled(draw, word: str) -> str:
    """``word`` as people type it: Arabic ي/ك for some ی/ک, ZWNJs and spaces here and there."""
    out = []
    for ch in word:
        if ch == "ی" and draw(st.booleans()):
            ch = "ي"
        elif ch == "ک" and draw(st.booleans()):
            ch = "ك"
        elif ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\u200c", "", "\u00a0"]))
        out.append(ch)
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(["\u200c", " ", "\u200f"])))
    return draw(st.sampled_from(["", " ", "\u200c"])) + "".join(out) + draw(st.sampled_from(["", " ", "\t"]))


@st.composite
def respelled_words(draw):
    word = draw(st.sampled_from(PERSIAN_WORDS))
    return word, respelled(draw, word)


@given(respelled_words())
def test_arabic_letters_zwnj_and_spaces_fold_to_the_same_key(pair):
    word, typed = pair
    assert text_key(typed) == text_key(word)


@given(st.text())
def test_the_folded_key_has_no_arabic_yeh_kaf_zwnj_or_space_and_is_a_fixed_point(text):
    key = text_key(text)
    assert not set(key) & {"ي", "ك", "\u200c", " ", "\t"}
    assert text_key(key) == key


# ---------------------------------------------------------------- district words

WORDS = {
    **dict(
        enumerate(
            "یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده بیست".split(),
            start=1,
        )
    ),
    21: "بیست و یک",
    22: "بیست و دو",
}
TENS = {2: "بیست", 3: "سی", 4: "چهل", 5: "پنجاه", 6: "شصت", 7: "هفتاد", 8: "هشتاد", 9: "نود"}
UNITS = "یک دو سه چهار پنج شش هفت هشت نه".split()
PREFIXES = ["", "منطقه ", "منطقه\u200cی ", "منطقه ی ", "منطقهٔ ", "منطقه", " منطقه  شماره "]


def persian_words(n: int) -> str:
    if n == 0:
        return "صفر"
    if n <= 20:
        return WORDS[n]
    tens, unit = divmod(n, 10)
    return TENS[tens] + (f" و {UNITS[unit - 1]}" if unit else "")


@st.composite
def written_district(draw, numbers):
    n = draw(numbers)
    return n, respelled(draw, draw(st.sampled_from(PREFIXES)) + persian_words(n))


@given(written_district(st.integers(min_value=1, max_value=22)))
def test_every_district_in_persian_words_reads_back_in_any_spelling(pair):
    n, written = pair
    assert normalise.parse_district(written, DISTRICTS) == (n, None), written


@given(written_district(st.sampled_from([0, *range(23, 100)])))
def test_number_words_outside_1_to_22_are_never_a_district(pair):
    n, written = pair
    number, reason = normalise.parse_district(written, DISTRICTS)
    assert number is None and f"district {n} does not exist" in str(reason)


@given(st.text(max_size=15))
def test_any_text_reads_as_a_real_district_or_is_refused_with_a_reason(text):
    number, reason = normalise.parse_district(text, DISTRICTS)
    assert (number in DISTRICTS and reason is None) or (number is None and isinstance(reason, Message))


@given(st.integers(min_value=1, max_value=22), st.sampled_from(["ناحیه {n}", "ناحيه {n}", "منطقه ۳ ناحیه {n}"]))
def test_a_sub_district_is_never_read_as_a_district(n, form):
    number, reason = normalise.parse_district(form.format(n=n), DISTRICTS)
    assert number is None and "sub-district" in str(reason)


# ---------------------------------------------------------------- periods

months = st.tuples(st.integers(min_value=1380, max_value=1420), st.integers(min_value=1, max_value=12))


def month_forms(year: int, month: int, day: int) -> list[str]:
    name = MONTHS_FA[month - 1]
    forms = [
        f"{year}/{month:02d}",
        f"{year}/{month}",
        f"{year}-{month:02d}",
        f"{year}.{month:02d}",
        f"{name} {year}",
        f"{name}{year}",
        f"{year} {name}",
        f"{name} ماه {year}",
        f"{year}/{month:02d}/{day:02d}",
        f"{year}-{month}-{day}",
        f"{day} {name} {year}",
    ]
    return forms + [f.translate(PERSIAN_TO) for f in forms] + [f.translate(ARABIC_TO) for f in forms]


@given(months, st.integers(min_value=1, max_value=29), st.data())
def test_every_jalali_month_in_every_accepted_form_reads_back(ym, day, data):
    year, month = ym
    written = data.draw(st.sampled_from(month_forms(year, month, day)))
    written = data.draw(st.sampled_from(["", " ", "\u200c"])) + written + data.draw(st.sampled_from(["", "  "]))
    assert calendar.parse_period_cell(written) == (year, month, False), written


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)), st.data())
def test_every_gregorian_date_converts_to_the_jalali_month_jdatetime_gives(day, data):
    j = jdatetime.date.fromgregorian(date=day)
    written = data.draw(
        st.sampled_from(
            [
                day,
                dt.datetime.combine(day, dt.time(9, 30)),
                day.isoformat(),
                f"{day.isoformat()}T00:00:00",
                f"{day.year}/{day.month}/{day.day}",
                day.isoformat().translate(PERSIAN_TO),
            ]
        )
    )
    assert calendar.parse_period_cell(written) == (j.year, j.month, True)


@given(st.integers(min_value=1990, max_value=2060), st.integers(min_value=1, max_value=12))
def test_a_gregorian_month_alone_is_refused_naming_both_jalali_months(year, month):
    first = jdatetime.date.fromgregorian(date=dt.date(year, month, 1))
    try:
        calendar.parse_period_cell(f"{year}-{month:02d}")
    except calendar.PeriodParseError as exc:
        assert "two Jalali months" in str(exc) and f"{first.year}/{first.month:02d}" in str(exc)
    else:
        raise AssertionError("a Gregorian month was read as one Jalali month")


@given(st.text(max_size=12))
def test_any_period_text_reads_as_a_jalali_month_or_is_refused_bilingually(text):
    try:
        year, month, _ = calendar.parse_period_cell(text)
    except calendar.PeriodParseError as exc:
        assert " / " in str(exc)
    else:
        assert 1300 <= year <= 1500 and 1 <= month <= 12

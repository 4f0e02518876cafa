"""Properties of the Jalali calendar: month <-> Gregorian, and every way a period is written."""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import calendar
from monitoring.calendar import ARABIC_DIGITS, MONTHS_FA, PERSIAN_DIGITS, Period

YEARS = range(1300, 1500)
ALL_MONTHS = [(y, m) for y in YEARS for m in range(1, 13)]

years = st.integers(min_value=YEARS.start, max_value=YEARS.stop - 1)
months = st.integers(min_value=1, max_value=12)


def test_every_month_from_1300_to_1499_goes_to_gregorian_and_back():
    for year, month in ALL_MONTHS:
        start = calendar.month_start(year, month)
        assert calendar.jalali_month_of(start) == (year, month)
        assert calendar.jalali_month_of(start - dt.timedelta(days=1)) == calendar.add_months(year, month, -1)


def test_months_are_29_to_31_days_and_years_365_or_366():
    for year in YEARS:
        lengths = [(Period.month(year, m).end - Period.month(year, m).start).days for m in range(1, 13)]
        assert lengths[:6] == [31] * 6 and lengths[6:11] == [30] * 5 and lengths[11] in (29, 30)
        assert sum(lengths) == (366 if jdatetime.date(year, 1, 1).isleap() else 365)
        assert (Period.whole_year(year).end - Period.whole_year(year).start).days == sum(lengths)


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1403, 12, 30), dt.date(2025, 3, 20)),
        ((1399, 12, 30), dt.date(2021, 3, 20)),
        ((1404, 1, 1), dt.date(2025, 3, 21)),
    ],
)
def test_esfand_30_of_a_leap_year_is_a_real_day_in_esfand(jalali, gregorian):
    assert jdatetime.date(*jalali).togregorian() == gregorian
    assert calendar.jalali_month_of(gregorian) == jalali[:2]
    assert calendar.parse_month(f"{jalali[0]}/{jalali[1]:02d}/{jalali[2]:02d}") == jalali[:2]


@given(years, months, st.integers(min_value=-600, max_value=600))
def test_adding_months_moves_the_month_index_and_lands_on_a_month_start(year, month, n):
    y, m = calendar.add_months(year, month, n)
    assert 1 <= m <= 12 and (y * 12 + m) - (year * 12 + month) == n


# ---------------------------------------------------------------- written forms

SEPARATORS = ("/", "-", ".")
SPACES = ("", "", " ", "  ", "\u200c", "\u00a0")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})


def _digits(text: str, style: str) -> str:
    if style == "persian":
        return text.translate(str.maketrans("0123456789", PERSIAN_DIGITS))
    if style == "arabic":
        return text.translate(str.maketrans("0123456789", ARABIC_DIGITS))
    return text


@st.composite
def written(draw, year: int, month: int) -> str:
    """One way a person writes (year, month): names, numbers, reversed, a full date, any digits."""
    space = st.sampled_from(SPACES)
    sep = draw(st.sampled_from(SEPARATORS))
    mm = draw(st.sampled_from([f"{month:02d}", str(month)]))
    form = draw(st.sampled_from(["name", "name_year_first", "numeric", "reversed", "date"]))
    name = MONTHS_FA[month - 1]
    cut = draw(st.integers(min_value=0, max_value=len(name)))
    name = name[:cut] + draw(space) + name[cut:]  # «اردی‌بهشت», «اردی بهشت»
    if form == "name":
        name += draw(st.sampled_from(["", "ماه", " ماه", "\u200cماه"]))
        text = f"{name}{draw(space)}{year}"
    elif form == "name_year_first":
        text = f"{year}{draw(space)}{name}"
    elif form == "numeric":
        text = f"{year}{draw(space)}{sep}{draw(space)}{mm}"
    elif form == "reversed":
        text = f"{mm}{draw(space)}{sep}{draw(space)}{year}"
    else:
        day = draw(st.integers(min_value=1, max_value=29))
        dd = draw(st.sampled_from([f"{day:02d}", str(day)]))
        text = f"{year}{sep}{mm}{sep}{dd}"
    text = _digits(text, draw(st.sampled_from(["latin", "persian", "arabic"])))
    if draw(st.booleans()):
        text = text.translate(ARABIC_LETTERS)
    return f"{draw(space)}{text}{draw(space)}"


@given(st.data(), years, months)
def test_every_written_form_of_a_month_parses_back_to_it(data, year, month):
    text = data.draw(written(year, month))
    assert calendar.parse_month(text) == (year, month), text


@pytest.mark.parametrize(
    "text",
    [
        "مهر ۱۴۰۴",
        "مهر۱۴۰۴",
        "1404/07",
        "1404/7",
        "۱۴۰۴-۰۷",
        "١٤٠٤-٠٧",
        "1404.07",
        "07/1404",
        "1404/07/12",
        "مهرماه\u200c۱۴۰۴",
    ],
)
def test_the_forms_named_in_the_issue_are_mehr_1404(text):
    assert calendar.parse_month(text) == (1404, 7)


@given(years, st.integers(min_value=1, max_value=12))
def test_arabic_yeh_and_kaf_in_a_month_name_are_read(year, month):
    text = f"{MONTHS_FA[month - 1].translate(ARABIC_LETTERS)} {year}"
    assert calendar.parse_month(text) == (year, month)


# ---------------------------------------------------------------- periods

periods = st.one_of(
    st.builds(Period.month, years, months),
    st.builds(Period.season, years, st.integers(min_value=1, max_value=4)),
    st.builds(Period.whole_year, years),
)


@given(periods)
def test_a_period_code_parses_back_to_the_period(period):
    assert Period.parse(period.code) == period
    assert Period.parse(calendar.to_persian_digits(period.code)) == period
    assert Period.parse(period.code.lower()) == period


@given(periods)
def test_periods_tile_time_without_gaps(period):
    previous = period.previous()
    assert previous.kind == period.kind and previous < period
    assert previous.end == period.start
    assert period.start < period.end
    assert period.month_starts() == sorted(period.month_starts())
    assert period.month_starts()[0] == period.start
    assert calendar.jalali_month_of(period.end - dt.timedelta(days=1)) == period.months[-1]


@pytest.mark.parametrize("text", ["اردی‌بهشت ۱۴۰۴", "اردی بهشت ۱۴۰۴", "ارديبهشت۱۴۰۴", "۱۴۰۴ اردیبهشت"])
def test_a_month_name_written_with_zwnj_or_without_a_space_is_read(text):
    assert calendar.parse_month(text) == (1404, 2)


@pytest.mark.parametrize("text", ["مهر آبان ۱۴۰۴", "مهر ۱۴۰۴ ۱۴۰۵", "ماه ۱۴۰۴", "mehr 1404"])
def test_two_months_two_years_or_no_month_name_are_still_refused(text):
    with pytest.raises(calendar.PeriodParseError):
        calendar.parse_month(text)


# ---------------------------------------------------------------- a day (forms and files of notable actions)


@given(
    day=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2100, 12, 31)),
    sep=st.sampled_from(SEPARATORS),
    persian=st.booleans(),
    named=st.booleans(),
)
def test_a_jalali_day_written_any_way_reads_back_as_the_same_day(day, sep, persian, named):
    j = jdatetime.date.fromgregorian(date=day)
    text = f"{j.day} {MONTHS_FA[j.month - 1]} {j.year}" if named else f"{j.year}{sep}{j.month:02d}{sep}{j.day}"
    if persian:
        text = text.translate(str.maketrans("0123456789", PERSIAN_DIGITS))
    assert calendar.parse_day(text) == day
    assert calendar.parse_day(day.isoformat()) == day  # a Gregorian date with its day


@pytest.mark.parametrize("text", ["1402/12/30", "1404/07/32", "1404/13/01", "مهر", "", "10/5/2025", "2025-02-30"])
def test_a_day_that_does_not_exist_or_cannot_be_read_is_refused_in_both_languages(text):
    with pytest.raises(calendar.PeriodParseError) as caught:
        calendar.parse_day(text)
    assert any("\u0600" <= ch <= "\u06ff" for ch in caught.value.fa) and re.search("[A-Za-z]{3}", caught.value.en)


@given(day=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2100, 1, 1)), n=st.integers(-60, 60))
def test_shifting_a_day_by_months_keeps_its_jalali_day_or_ends_the_shorter_month(day, n):
    shifted = calendar.shift_months(day, n)
    a, b = jdatetime.date.fromgregorian(date=day), jdatetime.date.fromgregorian(date=shifted)
    assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == n
    assert b.day == a.day or (b.day < a.day and calendar.next_month_start(shifted) == shifted + dt.timedelta(days=1))

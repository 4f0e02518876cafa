import datetime as dt

import pytest

from monitoring import calendar
from monitoring.calendar import Period, PeriodParseError


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1399, 1, 1), dt.date(2020, 3, 20)),
        ((1400, 1, 1), dt.date(2021, 3, 21)),
        ((1403, 1, 1), dt.date(2024, 3, 20)),
        ((1404, 1, 1), dt.date(2025, 3, 21)),
    ],
)
def test_first_of_farvardin_matches_the_reference_anchors(jalali, gregorian):
    assert calendar.month_start(jalali[0], jalali[1]) == gregorian
    assert calendar.jalali_month_of(gregorian) == jalali[:2]


def test_1403_is_a_leap_year_whose_esfand_has_30_days():
    last_day = dt.date(2025, 3, 20)  # 1403-12-30
    assert calendar.jalali_month_of(last_day) == (1403, 12)
    assert Period.month(1403, 12).end == dt.date(2025, 3, 21)
    assert (Period.month(1403, 12).end - Period.month(1403, 12).start).days == 30
    assert (Period.month(1402, 12).end - Period.month(1402, 12).start).days == 29


@pytest.mark.parametrize(
    "text",
    [
        "مهر ۱۴۰۴",
        "1404/07",
        "۱۴۰۴-۰۷",
        "1404-7",
        "۱۴۰۴/۷",
        "مهر 1404",
        "مهرماه ۱۴۰۴",
        "1404/07/01",
        "07/1404",
        " 1404.07 ",
    ],
)
def test_every_accepted_spelling_of_mehr_1404_parses(text):
    assert calendar.parse_month(text) == (1404, 7)


@pytest.mark.parametrize("text", ["1404/13", "مهر", "hello", "", "2025-10", "۱۴۰۴", "مهر آبان ۱۴۰۴"])
def test_unreadable_periods_raise_a_bilingual_message(text):
    with pytest.raises(PeriodParseError) as err:
        calendar.parse_month(text)
    message = str(err.value)
    assert " / " in message and any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_persian_digits_and_number_format():
    assert calendar.to_persian_digits("1404-07") == "۱۴۰۴-۰۷"
    assert calendar.to_latin_digits("۱۴۰۴٠") == "14040"
    assert calendar.format_number(1234567.891, 2) == "۱٬۲۳۴٬۵۶۷٫۸۹"
    assert calendar.format_number(None) == "—"
    assert calendar.format_number(-5) == "\u2212۵"


def test_month_and_season_labels_are_persian():
    assert Period.month(1404, 7).label == "مهر ۱۴۰۴"
    assert Period.season(1404, 1).label == "بهار ۱۴۰۴"
    assert Period.season(1404, 4).label == "زمستان ۱۴۰۴"
    assert Period.whole_year(1404).label == "سال ۱۴۰۴"


@pytest.mark.parametrize(
    ("code", "kind", "months"),
    [("1404-07", "month", 1), ("1404-Q2", "season", 3), ("1404", "year", 12), ("۱۴۰۴-q3", "season", 3)],
)
def test_period_codes_round_trip(code, kind, months):
    period = Period.parse(code)
    assert period.kind == kind and period.month_count == months
    assert Period.parse(period.code) == period


def test_season_covers_its_three_months_and_neighbours_wrap_years():
    summer = Period.season(1404, 2)
    assert summer.months == [(1404, 4), (1404, 5), (1404, 6)]
    assert summer.start == calendar.month_start(1404, 4)
    assert summer.end == calendar.month_start(1404, 7)
    assert Period.season(1404, 1).previous() == Period.season(1403, 4)
    assert Period.month(1404, 1).previous() == Period.month(1403, 12)
    assert Period.month(1404, 7).year_before() == Period.month(1403, 7)


def test_last_complete_month_is_the_month_before_today():
    assert calendar.last_complete_month(dt.date(2026, 11, 26)) == (1405, 8)  # today is 5 Azar 1405
    assert calendar.last_complete_month(dt.date(2025, 3, 21)) == (1403, 12)  # 1 Farvardin 1404


def test_format_datetime_is_jalali_in_tehran_time():
    moment = dt.datetime(2025, 3, 20, 21, 0, tzinfo=dt.UTC)  # 00:30 on 1 Farvardin 1404 in Tehran
    assert calendar.format_datetime(moment) == "۱ فروردین ۱۴۰۴، ساعت ۰۰:۳۰"


def test_a_gregorian_date_is_recognised_and_its_jalali_month_suggested():
    with pytest.raises(PeriodParseError) as err:
        calendar.parse_month("2025-12-01")
    assert "میلادی" in str(err.value) and "1404/09" in str(err.value)

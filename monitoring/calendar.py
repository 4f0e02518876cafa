"""The Jalali calendar: the one module that knows jdatetime.

The store keeps Gregorian dates (the first day of each Jalali month); everything a person
reads or types is Jalali. This module converts between the two, names months and seasons
in Persian, writes Persian digits and parses the ways people write a month.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

import jdatetime
import numpy as np
import pandas as pd

from monitoring.message import MessageError

MONTHS_FA: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
SEASONS_FA: tuple[str, ...] = ("بهار", "تابستان", "پاییز", "زمستان")
# the Jalali months and seasons in English, for the public page's English version: the dates stay Jalali
# ("Mehr 1404"), so a reader in either language sees the same month
MONTHS_EN: tuple[str, ...] = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
SEASONS_EN: tuple[str, ...] = ("Spring", "Summer", "Autumn", "Winter")

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)

PeriodKind = Literal["month", "season", "year"]


# ---------------------------------------------------------------- digits and numbers


def to_latin_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII digits."""
    return text.translate(_TO_LATIN)


def to_persian_digits(text: object) -> str:
    """Write every ASCII digit of ``text`` as a Persian digit."""
    return str(text).translate(_TO_PERSIAN)


def format_number(value: float | int | None, decimals: int = 0, missing: str = "—") -> str:
    """A number in Persian digits, with the Persian thousands separator and decimal point.

    A value that rounds to zero at ``decimals`` is written without a minus (never «−۰»);
    None, NaN and infinities are ``missing``.
    """
    if value is None or pd.isna(value) or not math.isfinite(value):
        return missing
    text = f"{value:,.{max(int(decimals), 0)}f}"
    negative = text.startswith("-")
    if negative:
        text = text[1:]
        negative = any(ch in "123456789" for ch in text)
    text = text.replace(",", "٬").replace(".", "٫")
    return ("\u2212" if negative else "") + to_persian_digits(text)


def format_figure(value: float | int | None, decimals: int = 0, missing: str = "—") -> str:
    """A figure as a reader wants it: like :func:`format_number`, but an exact zero is «۰», not
    «۰٫۰۰۰۰» (per-resident figures carry many decimals that a zero does not need)."""
    return format_number(value, 0 if value == 0 else decimals, missing)


_TO_ENGLISH = str.maketrans({**{p: str(i) for i, p in enumerate(PERSIAN_DIGITS)}, "٬": ",", "٫": ".", "٪": "%"})


def english_figures(text: str) -> str:
    """A figure written by :func:`format_number`, :func:`format_figure` or :func:`format_percent_change`
    in Latin digits and marks, for English text: «۱٬۲۳۴٫۵» -> "1,234.5", «+۱۲٫۵٪» -> "+12.5%" (the rounding,
    the sign and «no minus on a zero» stay those functions' own)."""
    return text.translate(_TO_ENGLISH)


def format_percent_change(change: float | None) -> str:
    """A relative change as a signed Persian percentage, for example «+۱۲٫۵٪».

    A change that rounds to «۰٫۰٪» has no sign: it is neither up nor down.
    """
    if change is None or pd.isna(change) or not math.isfinite(change):
        return "—"
    shown = format_number(abs(change) * 100, 1)
    if not any(ch in PERSIAN_DIGITS[1:] for ch in shown):
        return shown + "٪"
    return ("+" if change > 0 else "\u2212") + shown + "٪"


def readable_decimals(
    values: Iterable[float | int | None] | pd.Series,
    significant: int = 3,
    max_decimals: int = 4,
    min_decimals: int = 0,
) -> int:
    """Decimals that show the typical value with at least ``significant`` significant digits.

    The typical value is the median of the absolute, finite, non-zero ``values``; the answer
    lies between ``min_decimals`` and ``max_decimals``. Per-10,000-resident figures of small
    counts (0.0042) then read «۰٫۰۰۴۲», not «۰٫۰۰».
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="object")
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan).copy()
    numbers = np.abs(numbers[np.isfinite(numbers)])
    numbers = numbers[numbers > 0]
    if len(numbers) == 0:
        return max(min_decimals, 0)
    typical = float(np.median(numbers))
    exponent = math.floor(math.log10(typical))  # typical = d.ddd × 10**exponent
    if 10.0**exponent > typical:
        exponent -= 1
    elif 10.0 ** (exponent + 1) <= typical:
        exponent += 1
    needed = significant - 1 - exponent
    return max(min_decimals, min(max_decimals, needed), 0)


# ---------------------------------------------------------------- months


def month_start(year: int, month: int) -> dt.date:
    """The Gregorian date of the first day of a Jalali month."""
    return jdatetime.date(year, month, 1).togregorian()


def jalali_month_of(day: dt.date) -> tuple[int, int]:
    """The Jalali (year, month) that a Gregorian date falls in."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """The Jalali month ``n`` months after (year, month); ``n`` may be negative."""
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def month_label(year: int, month: int) -> str:
    """«مهر ۱۴۰۴»."""
    return f"{MONTHS_FA[month - 1]} {to_persian_digits(year)}"


def month_label_en(year: int, month: int) -> str:
    """The Jalali month in English: "Mehr 1404"."""
    return f"{MONTHS_EN[month - 1]} {year}"


def day_label(day: dt.date, english: bool = False) -> str:
    """A Gregorian date as its Jalali day: «۱۲ مهر ۱۴۰۴», or "12 Mehr 1404" in English."""
    j = jdatetime.date.fromgregorian(date=day)
    if english:
        return f"{j.day} {MONTHS_EN[j.month - 1]} {j.year}"
    return f"{to_persian_digits(j.day)} {MONTHS_FA[j.month - 1]} {to_persian_digits(j.year)}"


def month_label_of(day: dt.date) -> str:
    """The Persian label of the Jalali month a Gregorian date falls in."""
    return month_label(*jalali_month_of(day))


def next_month_start(day: dt.date) -> dt.date:
    """The first day (Gregorian) of the Jalali month after the one ``day`` falls in."""
    return month_start(*add_months(*jalali_month_of(day), 1))


def month_labels(dates: Iterable[dt.date] | pd.Series) -> pd.Series:
    """Persian month labels for many dates, converting each distinct date once."""
    series = pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates)
    unique = series.dropna().unique()
    mapping = {d: month_label_of(pd.Timestamp(d).date()) for d in unique}
    return series.map(mapping)


def months_between(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """Every Jalali month from ``start`` to ``end``, both included."""
    out = []
    year, month = start
    while (year, month) <= end:
        out.append((year, month))
        year, month = add_months(year, month, 1)
    return out


def last_complete_month(today: dt.date | None = None) -> tuple[int, int]:
    """The last Jalali month that has fully ended before ``today``."""
    year, month = jalali_month_of(today or dt.date.today())
    return add_months(year, month, -1)


def shift_months(day: dt.date, n: int) -> dt.date:
    """The same Jalali day ``n`` months later (earlier for a negative ``n``), or that month's last day
    when it is shorter: Esfand 30 of 1403 less twelve months is Esfand 29 of 1402."""
    j = jdatetime.date.fromgregorian(date=day)
    year, month = add_months(j.year, j.month, n)
    last = (month_start(*add_months(year, month, 1)) - month_start(year, month)).days
    return jdatetime.date(year, month, min(j.day, last)).togregorian()


def month_end(start: dt.date) -> dt.date:
    """The first day after the Jalali month that ``start`` lies in."""
    return month_start(*add_months(*jalali_month_of(start), 1))


# ---------------------------------------------------------------- Tehran time, in one place

# the zone from the IANA database (Python's zoneinfo, with the tzdata package as its fallback): Iran
# kept daylight saving time until 1401, so a fixed +03:30 would put summer moments an hour off
TEHRAN: dt.tzinfo = ZoneInfo("Asia/Tehran")


def tehran_date(moment: dt.datetime | pd.Timestamp) -> dt.date:
    """The day in Tehran at ``moment`` (a naive moment is read as UTC, as the store keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(TEHRAN).date()


def today_in_tehran(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Tehran (the pages' clock; tests pass their own ``today`` to the functions)."""
    return tehran_date(now or dt.datetime.now(dt.UTC))


def format_datetime(moment: dt.datetime) -> str:
    """A moment as «۵ آذر ۱۴۰۵، ساعت ۱۴:۳۰» (Tehran time when the moment is aware)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(TEHRAN)
    j = jdatetime.datetime.fromgregorian(datetime=moment)
    return to_persian_digits(f"{j.day} {MONTHS_FA[j.month - 1]} {j.year}، ساعت {j.hour:02d}:{j.minute:02d}")


# ---------------------------------------------------------------- parsing


class PeriodParseError(MessageError, ValueError):
    """A period that could not be read; :attr:`message` says why in Persian and English."""


_MONTH_NAMES = {name: i + 1 for i, name in enumerate(MONTHS_FA)}
# common spellings people type
_MONTH_NAMES.update({"ارديبهشت": 2, "اسفند": 12, "ديماه": 10, "دیماه": 10, "دي": 10})
_NUMERIC = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{1,2}))?\s*$")
_NUMERIC_REVERSED = re.compile(r"^\s*(\d{1,2})\s*[/\-.]\s*(\d{4})\s*$")
_NAMED = re.compile(r"^(?P<name>\D+)(?P<year>\d{4})$")
_NAMED_REVERSED = re.compile(r"^(?P<year>\d{4})(?P<name>\D+)$")


def _normalise_text(text: str) -> str:
    text = to_latin_digits(unicodedata.normalize("NFKC", str(text))).strip()
    text = text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ").replace("ماه", " ")
    return re.sub(r"\s+", " ", text).strip()


def parse_month(text: object) -> tuple[int, int]:
    """Read a Jalali month written as «مهر ۱۴۰۴», 1404/07, ۱۴۰۴-۰۷, 1404-7 or 1404/07/01.

    Returns (year, month); raises PeriodParseError with a bilingual message otherwise.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        raise PeriodParseError("دوره خالی است", "the period is empty")
    if isinstance(text, (dt.date, pd.Timestamp)):
        raise PeriodParseError(
            f"دوره «{text}» تاریخ میلادی است؛ ماه شمسی بنویسید، مثلاً ۱۴۰۴/۰۷",
            f"'{text}' is a Gregorian date; write a Jalali month such as 1404/07",
        )
    raw = str(text)
    clean = _normalise_text(raw)
    year = month = None
    m = _NUMERIC.match(clean)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        m = _NUMERIC_REVERSED.match(clean)
        if m:
            month, year = int(m.group(1)), int(m.group(2))
        else:
            # a name and a year, spaces and ZWNJ anywhere: «مهر۱۴۰۴», «اردی‌بهشت ۱۴۰۴», «۱۴۰۴ مهر»
            compact = clean.replace(" ", "")
            m = _NAMED.match(compact) or _NAMED_REVERSED.match(compact)
            if m and m.group("name") in _MONTH_NAMES:
                month, year = _MONTH_NAMES[m.group("name")], int(m.group("year"))
    if year is None or month is None:
        raise PeriodParseError(
            f"دوره «{raw}» خوانا نیست؛ ماه شمسی را مانند «مهر ۱۴۰۴» یا ۱۴۰۴/۰۷ بنویسید",
            f"cannot read the period '{raw}'; write a Jalali month like 'مهر ۱۴۰۴' or 1404/07",
        )
    if not 1 <= month <= 12:
        raise PeriodParseError(
            f"ماه {to_persian_digits(month)} در «{raw}» وجود ندارد (۱ تا ۱۲)",
            f"month {month} in '{raw}' does not exist (1 to 12)",
        )
    if 1900 <= year <= 2100:
        hint = ""
        m = _NUMERIC.match(clean)
        if m and 1 <= month <= 12:
            try:
                jy, jm = jalali_month_of(dt.date(year, month, int(m.group(3) or 1)))
                hint = f"{jy}/{jm:02d}"
            except ValueError:
                hint = ""
        example = hint or "1404/07"
        raise PeriodParseError(
            f"«{raw}» تاریخ میلادی است؛ ماه شمسی بنویسید، مثلاً {to_persian_digits(example)}",
            f"'{raw}' is a Gregorian date; write the Jalali month, e.g. {example}",
        )
    if not 1300 <= year <= 1500:
        raise PeriodParseError(
            f"سال {to_persian_digits(year)} در «{raw}» سال شمسی نیست", f"year {year} in '{raw}' is not a Jalali year"
        )
    return year, month


# ---------------------------------------------------------------- a file's period cells

# a Gregorian or Jalali date with its day, perhaps with a time (as Excel date cells are written)
_DATED = re.compile(r"^(\d{4})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
# a day, a month name and a year: «۱۲ مهر ۱۴۰۴»
_NAMED_DAY = re.compile(r"^(?P<day>\d{1,2})(?P<name>\D+)(?P<year>\d{4})$")
# a date written day-first or month-first (10/5/2025): ambiguous
_DAY_FIRST = re.compile(r"^\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*(\d{4})$")


def _gregorian_year(year: int) -> bool:
    return 1900 <= year <= 2100


def parse_period_cell(text: object) -> tuple[int, int, bool]:
    """Read a file's period cell: (Jalali year, month, converted).

    Everything :func:`parse_month` reads, a full Jalali date (۱۴۰۴/۰۷/۱۲ or «۱۲ مهر ۱۴۰۴»: its month),
    and a Gregorian date with its day (2025-10-05, an Excel date cell, a ``date``) converted to the
    Jalali month it falls in, with ``converted`` True. A Gregorian month without its day (2025-10)
    spans two Jalali months and is refused, as is an ambiguous 10/5/2025. Raises PeriodParseError
    with a bilingual message that says what to write instead.
    """
    if isinstance(text, pd.Timestamp):
        text = text.to_pydatetime()
    if isinstance(text, (dt.date, dt.datetime)):
        day = text.date() if isinstance(text, dt.datetime) else text
        return (*jalali_month_of(day), True)
    if text is None or (isinstance(text, float) and pd.isna(text)):
        raise PeriodParseError("دوره خالی است", "the period is empty")
    raw = str(text)
    clean = _normalise_text(raw)
    m = _DATED.match(clean)
    if m:
        year, month, day_of_month = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _gregorian_year(year):
            try:
                return (*jalali_month_of(dt.date(year, month, day_of_month)), True)
            except ValueError:
                raise PeriodParseError(
                    f"تاریخ میلادی «{raw}» وجود ندارد؛ تاریخ را به‌صورت سال-ماه-روز درست بنویسید، مثلاً ۲۰۲۵-۱۰-۰۵، "
                    f"یا ماه شمسی را مانند ۱۴۰۴/۰۷",
                    f"the Gregorian date '{raw}' does not exist; write it as "
                    "year-month-day, such as 2025-10-05, or write the Jalali month such as 1404/07",
                ) from None
        return _jalali_day(raw, year, month, day_of_month)
    compact = clean.replace(" ", "")
    m = _NAMED_DAY.match(compact)
    if m and m.group("name") in _MONTH_NAMES:
        return _jalali_day(raw, int(m.group("year")), _MONTH_NAMES[m.group("name")], int(m.group("day")))
    m = _DAY_FIRST.match(clean)
    if m and _gregorian_year(int(m.group(1))):
        raise PeriodParseError(
            f"تاریخ میلادی «{raw}» دوپهلوست (روز/ماه یا ماه/روز)؛ آن را به‌صورت سال-ماه-روز بنویسید، مثلاً "
            f"۲۰۲۵-۱۰-۰۵، یا ماه شمسی را مانند ۱۴۰۴/۰۷",
            f"the Gregorian date '{raw}' is ambiguous (day/month or "
            "month/day); write it as year-month-day, such as 2025-10-05, or write the Jalali month such as 1404/07",
        )
    m = _NUMERIC.match(clean)
    if m and m.group(3) is None and _gregorian_year(int(m.group(1))) and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        first, last = jalali_month_of(dt.date(year, month, 1)), jalali_month_of(dt.date(year, month, 28))
        first_code, last_code = f"{first[0]}/{first[1]:02d}", f"{last[0]}/{last[1]:02d}"
        raise PeriodParseError(
            f"«{raw}» یک ماه میلادی است که در دو ماه شمسی ({month_label(*first)} و {month_label(*last)}) می‌افتد؛ "
            f"ماه شمسی را بنویسید (مثلاً {to_persian_digits(first_code)}) یا تاریخ کامل روز را",
            f"'{raw}' is a "
            f"Gregorian month, which spans two Jalali months ({first_code} and {last_code}); write the Jalali "
            "month instead, or the full date with its day",
        )
    year, month = parse_month(raw)
    return year, month, False


def parse_day(text: object) -> dt.date:
    """Read a day: a Jalali date (۱۴۰۴/۰۷/۱۲, 1404-7-12, «۱۲ مهر ۱۴۰۴») or a Gregorian one with its day
    (2025-10-04, an Excel date cell, a ``date``). Returns the Gregorian date; raises PeriodParseError
    with a bilingual message saying what to write instead."""
    if isinstance(text, pd.Timestamp):
        text = text.to_pydatetime()
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        raise PeriodParseError(
            "تاریخ خالی است؛ روز را مانند ۱۴۰۴/۰۷/۱۲ بنویسید", "the date is empty; write the day like 1404/07/12"
        )
    raw = str(text)
    clean = _normalise_text(raw)
    year = month = day = None
    m = _DATED.match(clean)
    if m:
        year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _gregorian_year(year):
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise PeriodParseError(
                    f"تاریخ میلادی «{raw}» وجود ندارد؛ روز را به شمسی مانند ۱۴۰۴/۰۷/۱۲ بنویسید",
                    f"the Gregorian date '{raw}' does not exist; write the Jalali day like 1404/07/12",
                ) from None
    else:
        m = _NAMED_DAY.match(clean.replace(" ", ""))
        if m and m.group("name") in _MONTH_NAMES:
            year, month, day = int(m.group("year")), _MONTH_NAMES[m.group("name")], int(m.group("day"))
    if year is None or month is None or day is None:
        raise PeriodParseError(
            f"تاریخ «{raw}» خوانا نیست؛ روز را مانند ۱۴۰۴/۰۷/۱۲ یا «۱۲ مهر ۱۴۰۴» بنویسید",
            f"cannot read the date '{raw}'; write the day like 1404/07/12",
        )
    _jalali_day(raw, year, month, 1)  # the year and month exist
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise PeriodParseError(
            f"روز {to_persian_digits(day)} در «{raw}» در {month_label(year, month)} نیست؛ روزی از همان ماه بنویسید",
            f"day {day} in '{raw}' is not in Jalali month {year}/{month:02d}; write a day of that month",
        ) from None


def _jalali_day(raw: str, year: int, month: int, day: int) -> tuple[int, int, bool]:
    """The month of a full Jalali date, once the date is known to exist."""
    if not 1 <= month <= 12:
        raise PeriodParseError(
            f"ماه {to_persian_digits(month)} در «{raw}» وجود ندارد (۱ تا ۱۲)",
            f"month {month} in '{raw}' does not exist (1 to 12)",
        )
    if not 1300 <= year <= 1500:
        raise PeriodParseError(
            f"سال {to_persian_digits(year)} در «{raw}» سال شمسی نیست", f"year {year} in '{raw}' is not a Jalali year"
        )
    try:
        jdatetime.date(year, month, day)
    except ValueError:
        raise PeriodParseError(
            f"روز {to_persian_digits(day)} در «{raw}» در {month_label(year, month)} نیست؛ تاریخ را اصلاح کنید "
            f"یا فقط ماه را بنویسید، مثلاً {to_persian_digits(f'{year}/{month:02d}')}",
            f"day {day} in '{raw}' is "
            f"not in Jalali month {year}/{month:02d}; correct the date or write the month alone",
        ) from None
    return year, month, False


def parse_period_cells(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`parse_period_cell` over many cells, each distinct text once.

    Returns (first-day Gregorian dates or None, error messages or None, converted flags).
    """
    codes, uniques = pd.factorize(values.astype("string").fillna(""), use_na_sentinel=False)
    starts = np.empty(len(uniques), dtype=object)
    errors = np.empty(len(uniques), dtype=object)
    converted = np.zeros(len(uniques), dtype=bool)
    for i, text in enumerate(uniques):
        try:
            year, month, converted[i] = parse_period_cell(text if text != "" else None)
            starts[i] = month_start(year, month)
        except PeriodParseError as exc:
            errors[i] = exc.message
    index = values.index
    return (
        pd.Series(starts[codes], index=index, dtype=object),
        pd.Series(errors[codes], index=index, dtype=object),
        pd.Series(converted[codes], index=index, dtype=bool),
    )


# ---------------------------------------------------------------- periods


@dataclass(frozen=True, order=True)
class Period:
    """A Jalali month, season or year.

    ``index`` is the month (1-12) for a month, the season (1-4) for a season, 0 for a year.
    """

    year: int
    kind: PeriodKind = "month"
    index: int = 0

    def __post_init__(self) -> None:
        limits = {"month": (1, 12), "season": (1, 4), "year": (0, 0)}
        low, high = limits[self.kind]
        if not low <= self.index <= high:
            raise ValueError(f"bad {self.kind} index {self.index}")

    # -- construction
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, "month", month)

    @classmethod
    def season(cls, year: int, season: int) -> Period:
        return cls(year, "season", season)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, "year", 0)

    @classmethod
    def parse(cls, code: str) -> Period:
        """Read a URL code: 1404-07 (month), 1404-Q1 (season), 1404 (year)."""
        text = to_latin_digits(str(code)).strip().upper()
        m = re.fullmatch(r"(\d{4})-Q([1-4])", text)
        if m:
            return cls.season(int(m.group(1)), int(m.group(2)))
        if re.fullmatch(r"\d{4}", text):
            return cls.whole_year(int(text))
        year, month = parse_month(text)
        return cls.month(year, month)

    # -- what it covers
    @property
    def months(self) -> list[tuple[int, int]]:
        if self.kind == "month":
            return [(self.year, self.index)]
        if self.kind == "season":
            first = (self.index - 1) * 3 + 1
            return [(self.year, m) for m in range(first, first + 3)]
        return [(self.year, m) for m in range(1, 13)]

    @property
    def month_count(self) -> int:
        return len(self.months)

    @property
    def start(self) -> dt.date:
        """First day (Gregorian) of the period."""
        return month_start(*self.months[0])

    @property
    def end(self) -> dt.date:
        """First day (Gregorian) after the period."""
        return month_start(*add_months(*self.months[-1], 1))

    def month_starts(self) -> list[dt.date]:
        return [month_start(y, m) for y, m in self.months]

    # -- neighbours
    def previous(self) -> Period:
        if self.kind == "month":
            return Period.month(*add_months(self.year, self.index, -1))
        if self.kind == "season":
            return Period.season(self.year - 1, 4) if self.index == 1 else Period.season(self.year, self.index - 1)
        return Period.whole_year(self.year - 1)

    def year_before(self) -> Period:
        return Period(self.year - 1, self.kind, self.index)

    # -- names
    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "season":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return month_label(self.year, self.index)
        if self.kind == "season":
            return f"{SEASONS_FA[self.index - 1]} {to_persian_digits(self.year)}"
        return f"سال {to_persian_digits(self.year)}"

    @property
    def label_en(self) -> str:
        """The period in English, still Jalali: "Mehr 1404", "Autumn 1404", "Year 1404"."""
        if self.kind == "month":
            return month_label_en(self.year, self.index)
        if self.kind == "season":
            return f"{SEASONS_EN[self.index - 1]} {self.year}"
        return f"Year {self.year}"

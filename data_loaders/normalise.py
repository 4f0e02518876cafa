"""Reading what people type: headers, districts, metrics and numbers.

Every parser works on a whole column at once and reads each distinct text only once
(``pd.factorize``), so a million rows cost a handful of distinct districts and metrics.
A parser returns the parsed values and, aligned with them, a reason for each cell it
could not read (``None`` where the cell is fine).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data_loaders.results import fa_number
from monitoring import metrics
from monitoring.calendar import to_latin_digits, to_persian_digits
from monitoring.message import Message
from monitoring.text import text_key

T = TypeVar("T")
R = TypeVar("R")


def clean_text(text: object) -> str:
    """The cell as written, without surrounding spaces or invisible marks, for messages."""
    return re.sub(r"^[\s\u200c-\u200f\ufeff\ue01e\ue01f]+|[\s\u200c-\u200f\ufeff]+$", "", str(text))


# ---------------------------------------------------------------- headers

DISTRICT, METRIC, PERIOD, VALUE, IGNORED = "district", "metric", "period", "value", "ignored"
TARGET = "target"  # a targets file's value column: the file holds targets, not figures
EVENT_TYPE = "event_type"  # an event log's type column: each row one event of that type
COUNT = "count"  # an event log's count column: each row that many events
METRIC_COLUMN = "metric_column"  # a wide column headed by a metric's code or name

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    DISTRICT: ("district", "منطقه", "شماره منطقه", "district no", "district number", "منطقه شهرداری"),
    METRIC: ("metric", "شاخص", "نام شاخص", "کد شاخص", "metric code", "indicator"),
    PERIOD: (
        "period",
        "دوره",
        "ماه",
        "month",
        "دوره گزارش",
        "ماه گزارش",
        "jalali month",
        "تاریخ",
        "date",
        "تاریخ رویداد",
        "event date",
    ),
    VALUE: ("value", "مقدار", "عدد", "amount", "عملکرد", "actual", "performance", "مقدار واقعی", "واقعی"),
    # an event log's count: each row that many events (a long file's value, when it has no value column)
    COUNT: ("تعداد", "count", "تعداد رویداد", "تعداد رویدادها", "number of events", "شمار"),
    TARGET: ("target", "هدف", "مقدار هدف", "target value", "هدف‌گذاری"),
    # an event log's column: one row per event, counted into the metric its type names
    EVENT_TYPE: ("نوع", "نوع رویداد", "type", "event", "event type"),
    # columns people keep beside the data; read past, never stored
    IGNORED: (
        "ردیف",
        "row",
        "#",
        "نام منطقه",
        "district name",
        "توضیحات",
        "ملاحظات",
        "notes",
        "note",
        "عنوان",
        "title",
        "شرح",
        "description",
        "محل",
        "place",
        "location",
    ),
}

ACCEPTED_HEADERS_FA = "منطقه، دوره یا ماه، شاخص و مقدار (شکل ستونی)، یا کد یا نام فارسی هر شاخص (شکل جدولی)"
ACCEPTED_HEADERS_EN = (
    "district, period (or month), metric and value (long shape), or a metric code or Persian name per column (wide)"
)


@lru_cache(maxsize=1)
def _role_keys() -> dict[str, str]:
    return {text_key(word): role for role, words in _ROLE_WORDS.items() for word in words}


def metric_keys(catalog: dict[str, metrics.Metric]) -> dict[str, str]:
    """Every accepted spelling key of every metric (code, Persian name, English name) -> code."""
    return dict(_metric_keys(tuple(catalog.values())))


@lru_cache(maxsize=4)
def _metric_keys(items: tuple[metrics.Metric, ...]) -> tuple[tuple[str, str], ...]:
    keys: dict[str, str] = {}
    roles = _role_keys()
    for m in items:
        for spelling in (m.code, m.name_fa, m.name_en):
            key = text_key(spelling)
            if keys.get(key, m.code) != m.code or key in roles:
                raise ValueError(f"metric spelling '{spelling}' is ambiguous after normalisation")
            keys[key] = m.code
    return tuple(keys.items())


def header_role(header: object, catalog: dict[str, metrics.Metric]) -> tuple[str | None, str | None]:
    """(role, metric code) of a column header; role is None when the header is not recognised."""
    key = text_key(header)
    if key in _role_keys():
        return _role_keys()[key], None
    code = metric_keys(catalog).get(key)
    if code is not None:
        return METRIC_COLUMN, code
    return None, None


def suggest(text: str, choices: dict[str, str]) -> str | None:
    """The closest accepted spelling to ``text`` (keys -> what to show), if any is close."""
    match = difflib.get_close_matches(text_key(text), list(choices), n=1, cutoff=0.75)
    return choices[match[0]] if match else None


# ---------------------------------------------------------------- column helpers


def by_unique(series: pd.Series, parse: Callable[[str], tuple[T | None, R]], empty: T) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``parse`` to each distinct text of ``series`` once; (values, reasons) per cell."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) == 0:
        return np.array([], dtype=object), np.array([], dtype=object)
    parsed = [parse(u) for u in uniques]
    values = np.empty(len(parsed), dtype=object)
    values[:] = [p[0] if p[0] is not None else empty for p in parsed]
    reasons = np.empty(len(parsed), dtype=object)
    reasons[:] = [p[1] for p in parsed]
    return values[codes], reasons[codes]


# ---------------------------------------------------------------- districts

CITY = 0  # the whole city, in a targets file
CITY_WORDS = frozenset(
    text_key(w) for w in ("کل شهر", "شهر", "کل", "شهر تهران", "تهران", "city", "city-wide", "citywide", "whole city")
)
# a totals row under the districts: read past, never taken for a district (in a figures file)
TOTAL_WORDS = frozenset(
    text_key(w) for w in ("جمع", "جمع کل", "کل", "مجموع", "مجموع کل", "جمع مناطق", "total", "grand total", "totals")
)

# number words as people write a district: «هفت», «بیست و دو», "seven", "twenty-two"
_UNIT_WORDS = {
    **{
        text_key(w): n
        for n, w in enumerate(
            "صفر یک دو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده نوزده".split()
        )
    },
    text_key("هیجده"): 18,
    **{
        w: n
        for n, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen".split()
        )
    },
}
_TEN_WORDS = {
    **{text_key(w): 10 * n for n, w in enumerate("بیست سی چهل پنجاه شصت هفتاد هشتاد نود".split(), start=2)},
    **{w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)},
}


def number_from_words(text: object) -> int | None:
    """0..99 written in Persian or English words, in any spacing, ZWNJ or ي/ك spelling: «بیست و دو»,
    «بیست‌ودو», "Twenty-Two" -> 22. None for anything else."""
    key = text_key(text)
    if key in _UNIT_WORDS:
        return _UNIT_WORDS[key]
    if key in _TEN_WORDS:
        return _TEN_WORDS[key]
    for tens_word, tens in _TEN_WORDS.items():
        if not key.startswith(tens_word):
            continue
        rest = key[len(tens_word) :]
        latin = tens_word.isascii()
        for joiner in ("-", "") if latin else ("و",):
            unit_word = rest[len(joiner) :]
            unit = _UNIT_WORDS.get(unit_word) if rest.startswith(joiner) else None
            if unit is not None and 1 <= unit <= 9 and unit_word.isascii() == latin:
                return tens + unit
    return None


# «منطقه ۷», «منطقه‌ی ۷», «منطقهٔ هفت», "District 7", "dist. no 7": the prefixes read past
_DISTRICT_PREFIXES = ("منطقهی", "منطقه", "district", "dist.", "dist", "")
_NUMBER_PREFIXES = ("شماره", "no.", "no", "#", "")
_DIGITS = re.compile(r"^(\d{1,4})(?:\.0+)?$")
# «ناحیه» is a sub-district (a district has several), so it is never read as a district number
_SUB_DISTRICT = ("ناحیه", "ناحیهی")


def _district_number(key: str) -> int | None:
    for prefix in _DISTRICT_PREFIXES:
        if not key.startswith(prefix):
            continue
        after = key[len(prefix) :]
        for number_prefix in _NUMBER_PREFIXES:
            if not after.startswith(number_prefix):
                continue
            rest = after[len(number_prefix) :]
            m = _DIGITS.match(rest)
            if m:
                return int(m.group(1))
            number = number_from_words(rest)
            if number is not None:
                return number
    return None


def parse_district(text: str, numbers: Collection[int], city: bool = False) -> tuple[int | None, Message | None]:
    """7, ۷, ٧, 07, «منطقه ۷», «منطقه هفت», «منطقه‌ی بیست و دو», "District 7", "District seven" -> 7; a
    number not in ``numbers`` (the reference's districts) or anything else is refused; «ناحیه ۳» (a
    sub-district) is refused with a hint. With ``city`` (a targets file) «کل شهر», «شهر» or "city" is the
    whole city, ``CITY`` (0)."""
    low, high = min(numbers), max(numbers)
    span_fa, span_en = f"{to_persian_digits(low)} تا {to_persian_digits(high)}", f"{low} to {high}"
    key = text_key(text)
    if city:
        if key in CITY_WORDS:
            return CITY, None
        span_fa, span_en = f"{span_fa}، یا «کل شهر» برای هدف کل شهر", f"{span_en}, or 'city' for a city-wide target"
    shown = clean_text(text)
    if shown == "":
        return None, Message(
            f"منطقه خالی است؛ شماره منطقه ({span_fa}) را بنویسید",
            f"the district is empty; write the district number ({span_en})",
        )
    if key.startswith(_SUB_DISTRICT) or "ناحیه" in key:
        return None, Message(
            f"«{shown}» یک ناحیه است و ناحیه بخشی از یک منطقه است؛ شماره‌ی منطقه‌ای را که این ناحیه در آن است "
            f"بنویسید ({span_fa})",
            f"'{shown}' is a ناحیه (a sub-district, part of a district); write the number of the district it "
            f"belongs to ({span_en})",
        )
    number = _district_number(key)
    if number is None:
        return None, Message(
            f"منطقه «{shown}» خوانا نیست؛ شماره‌ای از {span_fa} بنویسید، مثلاً ۷ یا «منطقه ۷»",
            f"cannot read the district '{shown}'; write a number from {span_en}, such as 7 or 'District 7'",
        )
    if number not in numbers:
        return None, Message(
            f"منطقه {to_persian_digits(number)} وجود ندارد؛ شماره منطقه باید از {span_fa} باشد",
            f"district {number} does not exist; Tehran's districts are numbered {span_en}",
        )
    return number, None


def is_total(texts: pd.Series) -> np.ndarray:
    """True for each cell that labels a totals row («جمع», «جمع کل», «کل», «مجموع», "Total"), each
    distinct text read once."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    if len(uniques) == 0:
        return np.zeros(0, dtype=bool)
    marks = np.array([text_key(u) in TOTAL_WORDS for u in uniques], dtype=bool)
    return marks[codes]


def parse_districts(series: pd.Series, numbers: Collection[int], city: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """District numbers (0 where refused, or for the whole city with ``city``) and reasons, for a
    whole column; ``numbers`` are the reference's districts."""
    values, reasons = by_unique(series, partial(parse_district, numbers=frozenset(numbers), city=city), 0)
    return values.astype("int64"), reasons


# ---------------------------------------------------------------- metrics


def parse_metrics(series: pd.Series, catalog: dict[str, metrics.Metric]) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's position in ``catalog`` (-1 where refused) and reasons, for a whole column.

    A metric is written as its code, its Persian name or its English name.
    """
    keys = metric_keys(catalog)
    position = {code: i for i, code in enumerate(catalog)}
    shown = {k: catalog[code].name_fa for k, code in keys.items()}

    def parse(text: str) -> tuple[int | None, Message | None]:
        written = clean_text(text)
        if written == "":
            return None, Message(
                "شاخص خالی است؛ کد یا نام فارسی شاخص را بنویسید",
                "the metric is empty; write the metric's code or Persian name",
            )
        code = keys.get(text_key(text))
        if code is not None:
            return position[code], None
        guess = suggest(written, shown)
        hint_fa = f" (شاید «{guess}»؟)" if guess else ""
        hint_en = f" (did you mean '{guess}'?)" if guess else ""
        return None, Message(
            f"شاخص «{written}» شناخته نیست؛ کد یا نام فارسی یکی از شاخص‌های فهرست را بنویسید{hint_fa}",
            f"unknown metric '{written}'; write the code or Persian name of a metric in the catalog{hint_en}",
        )

    values, reasons = by_unique(series, parse, -1)
    return values.astype("int64"), reasons


# ---------------------------------------------------------------- event types


def countable_metrics(catalog: dict[str, metrics.Metric], event_types: Mapping[str, str]) -> list[str]:
    """The metrics an event log may count into, in catalog order: those the event-type table names
    that the catalog holds as sums."""
    named = set(event_types.values())
    return [code for code, m in catalog.items() if code in named and m.aggregation == "sum"]


def parse_event_types(
    series: pd.Series, catalog: dict[str, metrics.Metric], event_types: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Each event's metric, as its position in ``catalog`` (-1 where refused), and reasons.

    A type is a word of the event-type table (``event_types``: ``text_key(word)`` -> metric code)
    or directly the code or name of a metric that table counts into.
    """
    position = {code: i for i, code in enumerate(catalog)}
    countable = countable_metrics(catalog, event_types)
    words = {k: c for k, c in event_types.items() if c in countable}
    names = {k: c for k, c in metric_keys(catalog).items() if c in countable}
    shown = {k: catalog[c].name_fa for k, c in names.items()} | {k: k for k in words}
    accepted_fa = "، ".join(f"«{catalog[c].name_fa}» ({c})" for c in countable)
    accepted_en = ", ".join(countable)
    examples = "، ".join(f"«{k}»" for k in sorted(words, key=len)[:8])
    hours = {k: c for k, c in metric_keys(catalog).items() if c not in countable}

    def parse(text: str) -> tuple[int | None, Message | None]:
        written = clean_text(text)
        if written == "":
            return None, Message(
                f"نوع رویداد خالی است؛ یکی از نوع‌ها را بنویسید، مانند {examples}",
                f"the event type is empty; write one of the types ({accepted_en})",
            )
        key = text_key(text)
        code = words.get(key) or names.get(key)
        if code is not None:
            return position[code], None
        if key in hours:
            m = catalog[hours[key]]
            return None, Message(
                f"شاخص «{m.name_fa}» با شمردن رویدادها به دست نمی‌آید (شمارشی نیست)؛ مقدار آن را در فایلی با ستون "
                "«مقدار» بارگذاری کنید",
                f"the metric '{m.code}' is not a count of events; load its figures in a file with a 'value' column",
            )
        guess = suggest(written, shown)
        hint_fa = f" شاید «{guess}»؟" if guess else ""
        hint_en = f" Did you mean '{guess}'?" if guess else ""
        return None, Message(
            f"نوع رویداد «{written}» شناخته نیست.{hint_fa} نوع‌های پذیرفته: واژه‌هایی مانند {examples}، یا نام یا "
            f"کد یکی از شاخص‌های شمارشی: {accepted_fa}",
            f"unknown event type '{written}'.{hint_en} Accepted types: the event-type words, or the name or code "
            f"of a counted metric: {accepted_en}",
        )

    values, reasons = by_unique(series, parse, -1)
    return values.astype("int64"), reasons


# ---------------------------------------------------------------- values

# cells that mean "not reported": stored as nothing, never as zero
NOT_REPORTED = frozenset({"", "-", "--", "—", "–", "ـ", text_key("گزارش نشده")})
_SIGNS = str.maketrans({"−": "-", "\u2012": "-", "\u2013": "-", "٪": "%", "،": ","})
_INVISIBLE = re.compile(r"[\u200b-\u200f\ufeff\ue01e\ue01f]")
_SPACED_DIGITS = re.compile(r"\d[\s\u00a0\u202f\u2009]+\d")
_TOKENS = re.compile(r"^[+-]?(?:\d{1,3}(?:G\d{3})+|\d+)?(?:D\d*)?(?:e[+-]?\d+)?$")
DECIMAL, GROUP, AMBIGUOUS = "decimal", "group", "ambiguous"


@dataclass(frozen=True)
class NumberStyle:
    """How a file writes its numbers: the part «.» and «,» play (DECIMAL, GROUP, or None when the file
    does not say), and for a separator used both ways, the reason every cell using it is refused.
    ٫ is always the decimal mark and ٬ the thousands mark."""

    dot: str | None = None
    comma: str | None = None
    mixed: tuple[tuple[str, Message], ...] = ()  # (separator, bilingual reason)

    @property
    def plain_cast(self) -> bool:
        """True when «.» is a decimal point (or unused), so Arrow's cast reads plain numbers right."""
        return self.dot in (DECIMAL, None) and not self.dot_unclear and "." not in dict(self.mixed)

    dot_unclear: bool = False  # some cell holds a «.» that could be either, and nothing says which


def _number_core(text: str) -> str:
    """The cell's text as digits and marks: Latin digits, no invisible marks or surrounding spaces."""
    return _INVISIBLE.sub("", to_latin_digits(clean_text(text))).translate(_SIGNS).strip()


def cell_roles(core: str) -> dict[str, str]:
    """The part «.» and «,» play in one cell's text (``_number_core``): DECIMAL, GROUP or AMBIGUOUS
    (a single mark followed by exactly three digits, after one to three digits: 2.560)."""
    dots, commas = core.count("."), core.count(",")
    roles: dict[str, str] = {}
    if dots and commas:
        last = "." if core.rfind(".") > core.rfind(",") else ","
        other = "," if last == "." else "."
        roles[last], roles[other] = DECIMAL, GROUP
        return roles
    for sep, n in ((".", dots), (",", commas)):
        if n > 1:
            roles[sep] = GROUP
        elif n == 1:
            m = re.match(r"^[+-]?(\d*)" + re.escape(sep) + r"(\d*)", core)
            before, after = (m.group(1), m.group(2)) if m else ("", "")
            if len(after) == 3 and 1 <= len(before) <= 3 and not before.startswith("0") and "e" not in core.lower():
                roles[sep] = AMBIGUOUS
            else:
                roles[sep] = DECIMAL
    return roles


# a number whose «.» can only be a decimal point (not three digits after it, or a leading 0): most cells
_PLAIN_DECIMAL = r"^\s*[+-]?(?:[0-9]*\.[0-9]{1,2}|[0-9]*\.[0-9]{4,}|[0-9]{4,}\.[0-9]+|0\.[0-9]+|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*%?\s*$"
_HAS_MARK = r"[.,،]"
_UNIQUE_CHUNK = 50_000


def number_style(columns: list[pd.Series]) -> NumberStyle:
    """The one decimal and grouping convention of a file, read from every value cell of it: a
    separator used both as decimal and as thousands mark (2.5 and 1.234.567), or two decimal marks (2.5
    and 2,5), makes a mixed style whose cells are refused; a «.» that could be either (2.560) takes the
    role the rest of the file gives it. Vectorised: the plain decimals are counted by Arrow, and only the
    other distinct texts with a mark are read in Python."""
    seen: dict[tuple[str, str], str] = {}
    for series in columns:
        if not len(series):
            continue
        try:
            cells = pa.array(series.array)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            cells = pa.array(series.astype(str).tolist())
        if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
            cells = pc.cast(cells, pa.large_string())
        marked = pc.filter(cells, pc.fill_null(pc.match_substring_regex(cells, _HAS_MARK), False))
        if not len(marked):
            continue
        plain = pc.fill_null(pc.match_substring_regex(marked, _PLAIN_DECIMAL), False)
        if pc.any(plain).as_py() and (".", DECIMAL) not in seen:
            seen[(".", DECIMAL)] = pc.filter(marked, plain)[0].as_py()
        rest = pc.unique(pc.filter(marked, pc.invert(plain)))
        for start in range(0, len(rest), _UNIQUE_CHUNK):
            for text in rest.slice(start, _UNIQUE_CHUNK).to_pylist():
                if text is None or text_key(text) in NOT_REPORTED:
                    continue
                for sep, role in cell_roles(_number_core(text)).items():
                    seen.setdefault((sep, role), clean_text(text))
    return _resolve_style(seen)


def _resolve_style(seen: dict[tuple[str, str], str]) -> NumberStyle:
    mixed: dict[str, Message] = {}
    for sep in ".,":
        if (sep, DECIMAL) in seen and (sep, GROUP) in seen:
            a, b = seen[(sep, DECIMAL)], seen[(sep, GROUP)]
            mixed[sep] = Message(
                f"این فایل «{sep}» را هم جداکننده‌ی اعشار نوشته (مانند «{a}») و هم جداکننده‌ی هزارگان (مانند «{b}»)؛ "
                f"در یک فایل یکی را به کار ببرید: اعشار با ٫ یا . و هزارگان بی‌جداکننده (مثلاً 1234.5)",
                f"this file writes '{sep}' both as the decimal mark (as in '{a}') and as the thousands separator "
                f"(as in '{b}'); use one convention in a file: decimals with . and no thousands separator "
                "(such as 1234.5)",
            )
    for role, word_fa, word_en in ((DECIMAL, "اعشار", "decimal mark"), (GROUP, "هزارگان", "thousands separator")):
        if (".", role) in seen and (",", role) in seen:
            a, b = seen[(".", role)], seen[(",", role)]
            reason = Message(
                f"این فایل جداکننده‌ی {word_fa} را گاهی «.» نوشته (مانند «{a}») و گاهی «,» (مانند «{b}»)؛ در یک فایل "
                "یکی را به کار ببرید: اعشار با ٫ یا . و هزارگان بی‌جداکننده (مثلاً 1234.5)",
                f"this file writes the {word_en} sometimes as '.' (as in '{a}') and sometimes as ',' (as in "
                f"'{b}'); use one convention in a file: decimals with . and no thousands separator (such as 1234.5)",
            )
            mixed.setdefault(".", reason)
            mixed.setdefault(",", reason)

    def role_of(sep: str, other: str) -> str | None:
        if (sep, DECIMAL) in seen and (sep, GROUP) not in seen:
            return DECIMAL
        if (sep, GROUP) in seen and (sep, DECIMAL) not in seen:
            return GROUP
        if (other, DECIMAL) in seen and (other, GROUP) not in seen:
            return GROUP
        if (other, GROUP) in seen and (other, DECIMAL) not in seen:
            return DECIMAL
        return None

    dot, comma = role_of(".", ","), role_of(",", ".")
    return NumberStyle(
        dot=dot,
        comma=comma,
        mixed=tuple(mixed.items()),
        dot_unclear=(".", AMBIGUOUS) in seen and dot is None,
    )


def _not_a_number(shown: str) -> tuple[None, Message]:
    return None, Message(
        f"مقدار «{shown}» عدد نیست؛ عدد بنویسید (اعشار با . یا ٫) یا برای «گزارش نشده» خانه را خالی بگذارید",
        f"the value '{shown}' is not a number; write a number (decimals with .) or leave the cell empty for "
        "'not reported'",
    )


def parse_number(text: str, style: NumberStyle | None = None) -> tuple[float | None, Message | None]:
    """A number as people write it: Persian digits, ٫ and ٬, 1,234.5, a trailing % sign. ``style`` is
    the file's convention (``number_style``): a «.» followed by three digits (2.560) is read as it says,
    and refused when nothing in the file says whether it is a decimal point or a thousands mark. Spaces
    between digits (۱۲ ۳۴) are refused, never joined."""
    shown = clean_text(text)
    core = _number_core(text)
    if _SPACED_DIGITS.search(core):
        return None, Message(
            f"مقدار «{shown}» میان رقم‌هایش فاصله دارد و معلوم نیست یک عدد است یا دو؛ فاصله را بردارید (برای "
            "هزارگان جداکننده ننویسید یا ٬ بنویسید)",
            f"the value '{shown}' has a space between its digits, so it may be one number or two; remove the "
            "space (write thousands without a separator, or with ٬)",
        )
    t = re.sub(r"\s", "", core).lower()
    if t.endswith("%"):
        t = t[:-1]
    style = style or NumberStyle()
    mixed = dict(style.mixed)
    for sep in ".,":
        if sep in t and sep in mixed:
            return None, mixed[sep]
    roles = cell_roles(t)
    tokens = {"٫": "D", "٬": "G"}
    for sep, role in roles.items():
        known = style.dot if sep == "." else style.comma
        if role == AMBIGUOUS:
            resolved = known or (GROUP if sep == "," else None)
            if resolved is None:
                whole = t.replace(".", "")
                return None, Message(
                    f"«{shown}» دوپهلوست: ممکن است {to_persian_digits(whole)} باشد (نقطه جداکننده‌ی هزارگان) یا "
                    f"{to_persian_digits(t.replace('.', '٫'))} (نقطه‌ی اعشار)، و فایل جای دیگری نمی‌گوید کدام؛ عدد را "
                    f"بی‌جداکننده‌ی هزارگان بنویسید ({whole}) یا اعشار را با ٫ بنویسید",
                    f"'{shown}' is ambiguous: it may be {whole} (a thousands dot) or {t} (a decimal point), and "
                    f"nothing else in the file says which; write it without a thousands separator ({whole}) or "
                    "with ٫ for the decimal",
                )
            role = resolved
        elif known is not None and role != known:
            role = known  # the file's convention (a cell that breaks it made the style mixed, above)
        tokens[sep] = "D" if role == DECIMAL else "G"
    marked = "".join(tokens.get(ch, ch) for ch in t)
    if not _TOKENS.match(marked) or not re.search(r"\d", marked):
        return _not_a_number(shown)
    value = float(marked.replace("G", "").replace("D", "."))
    if not np.isfinite(value):
        return _not_a_number(shown)
    return value, None


def parse_values(series: pd.Series, style: NumberStyle | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(numbers, blank, reasons) for a column of value cells, read in the file's ``style``.

    ``blank`` marks cells that mean "not reported" (empty, a dash, «گزارش نشده»): their number
    is NaN and they carry no reason. Elsewhere NaN comes with the reason the cell was refused.
    Plain ASCII numbers go through Arrow's cast at C speed; only the rest (Persian digits,
    separators, text, blanks) is read in Python, each distinct text once.
    """
    style = style or NumberStyle()
    values = _fast_numbers(series, style)
    blank = np.zeros(len(values), dtype=bool)
    reasons = np.full(len(values), None, dtype=object)
    slow = np.flatnonzero(~np.isfinite(values))
    if len(slow):
        parsed, why = by_unique(series.iloc[slow], partial(_parse_cell, style=style), np.nan)
        marks = np.array([w is _BLANK for w in why], dtype=bool)
        values[slow] = parsed.astype("float64")
        blank[slow] = marks
        why[marks] = None
        reasons[slow] = why
    return values, blank, reasons


_BLANK = "blank"  # _parse_cell's reason for a "not reported" cell: parse_values marks it blank, with no reason


# a plain number: what Arrow's cast reads exactly as ``parse_number`` does; anything else goes the slow way
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_PLAIN_INTEGER = r"^[+-]?[0-9]+$"


def _fast_numbers(series: pd.Series, style: NumberStyle) -> np.ndarray:
    """Plain numbers at C speed: pyarrow's cast when every cell is one, else the cast of the cells
    that are plain numbers (NaN for the others, which ``parse_values`` reads one distinct text at a
    time). Where «.» is not known to be a decimal point, only whole numbers are read here."""
    try:
        cells = pa.array(series.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        cells = pa.array(series.astype(str).tolist())
    if not pa.types.is_string(cells.type) and not pa.types.is_large_string(cells.type):
        cells = pc.cast(cells, pa.large_string())
    if style.plain_cast:
        try:
            return pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False).copy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    pattern = _PLAIN_NUMBER if style.plain_cast else _PLAIN_INTEGER
    plain = pc.fill_null(pc.match_substring_regex(cells, pattern), False)
    numbers = pc.cast(pc.if_else(plain, cells, pa.scalar(None, cells.type)), pa.float64())
    return numbers.to_numpy(zero_copy_only=False).copy()


def _parse_cell(text: str, style: NumberStyle | None = None) -> tuple[float | None, Message | str | None]:
    if text_key(text) in NOT_REPORTED:
        return None, _BLANK
    return parse_number(text, style)


BELOW, ABOVE, FRACTION = 1, 2, 3  # a value's side of its metric's limits (0: within them), or a count's fraction


def range_sides(values: np.ndarray, metric_index: np.ndarray, catalog: dict[str, metrics.Metric]) -> np.ndarray:
    """For each value: BELOW its metric's min_value, ABOVE its max_value, FRACTION for a fraction of
    a count (a metric shown with no decimals), or 0. ``metric_index`` is
    each value's position in ``catalog``. Vectorised: no text is built here (see ``range_reason``)."""
    items = list(catalog.values())
    low = np.array([np.nan if m.min_value is None else m.min_value for m in items], dtype="float64")[metric_index]
    high = np.array([np.nan if m.max_value is None else m.max_value for m in items], dtype="float64")[metric_index]
    sides = np.zeros(len(values), dtype="int8")
    whole = np.array([m.decimals == 0 for m in items], dtype=bool)[metric_index]
    with np.errstate(invalid="ignore"):
        sides[values < low] = BELOW
        sides[values > high] = ABOVE
        sides[(sides == 0) & whole & np.isfinite(values) & (values != np.round(values))] = FRACTION
    return sides


def range_reason(value: float, metric: metrics.Metric, side: int) -> Message:
    """Why ``value`` is refused for ``metric``, on ``side`` (BELOW or ABOVE) of its limits, or
    (FRACTION) for a fraction where the metric counts whole things."""
    if side == FRACTION:
        return Message(
            f"«{metric.name_fa}» شمارش است و باید عدد درست (بی‌اعشار) باشد، اما مقدار {fa_number(value)} کسر دارد؛ "
            "عدد درست را بنویسید (اگر نقطه جداکننده‌ی هزارگان است، آن را بردارید)",
            f"'{metric.name_en}' is a count and must be a whole number, but the value {_plain(value)} has a "
            "fraction; write the whole number (if the dot is a thousands separator, remove it)",
        )
    limit = metric.min_value if side == BELOW else metric.max_value
    assert limit is not None  # range_sides puts a value below (above) a limit only where it is set
    fa_word, en_word = (
        ("کمتر از حداقل", "below the minimum") if side == BELOW else ("بیشتر از حداکثر", "above the maximum")
    )
    return Message(
        f"مقدار {fa_number(value)} برای «{metric.name_fa}» {fa_word} {fa_number(limit)} است؛ مقدار درست را بنویسید",
        f"the value {_plain(value)} for '{metric.name_en}' is {en_word} {_plain(limit)}; correct the value",
    )


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))

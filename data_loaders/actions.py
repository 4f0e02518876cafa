"""A file of notable actions: one row an action, read as a shape of its own beside the figures.

A table is a file of actions when its header names an action's title and its category (and no
metric, value, target or event-type column): district, date, category and title are required;
description, coverage counts (news items, social posts, public meetings), links, citizens' feedback
and a public mark are optional. The rules:

- a district as the figures' loader reads it (7, «منطقه ۷», "District 7"...);
- a date is a day (``calendar.parse_day``: ۱۴۰۴/۰۷/۱۲, «۱۲ مهر ۱۴۰۴», 2025-10-04) no later than
  today in Tehran;
- category and title are not empty; a title is at most 300 characters;
- a coverage count is empty (not known) or a whole number, zero or more;
- links are web addresses (http:// or https://) separated by spaces, «،», «,» or «;»;
- the public mark is empty (no), بله / yes / 1 or خیر / no / 0;
- the same district, date and title twice in the file rejects every copy;
- a row with every cell empty is read past.

Strict like the figures: one rejected cell and nothing is stored (``load.load_file`` says so), unless
the load skips bad rows. Nothing here touches the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from data_loaders import normalise
from data_loaders.readers import RawFile, RawTable, column_letter
from data_loaders.results import FileRejected, RowError, clip
from monitoring import calendar, reviews
from monitoring.message import Message
from monitoring.store.reviews import ActionInput
from monitoring.text import text_key

SHAPE = "actions"
TITLE_LIMIT = 300
_WORDS: dict[str, tuple[str, ...]] = {
    "district": ("district", "منطقه", "شماره منطقه", "district no", "district number", "منطقه شهرداری"),
    "occurred_on": ("تاریخ", "date", "تاریخ اقدام", "روز", "action date"),
    "category": ("دسته", "دسته بندی", "دسته‌بندی", "حوزه", "نوع اقدام", "category"),
    "title": ("عنوان", "عنوان اقدام", "اقدام", "title", "action", "action title"),
    "description": ("شرح", "توضیح", "توضیحات", "شرح اقدام", "description"),
    "news_items": ("خبر", "اخبار", "تعداد خبر", "تعداد اخبار", "news", "news items"),
    "social_posts": ("پست", "فضای مجازی", "محتوای فضای مجازی", "تعداد پست", "social posts", "posts"),
    "public_meetings": ("نشست مردمی", "نشست‌های مردمی", "ملاقات مردمی", "جلسات مردمی", "public meetings"),
    "links": ("پیوند", "پیوندها", "لینک", "لینک‌ها", "links", "link"),
    "feedback": ("بازخورد", "بازخورد شهروندان", "نظر شهروندان", "feedback", "citizen feedback"),
    "public": ("عمومی", "انتشار عمومی", "نمایش عمومی", "public"),
    "ignored": ("ردیف", "row", "#", "نام منطقه", "district name", "ملاحظات", "notes", "note"),
}
_FA = {
    "district": "منطقه",
    "occurred_on": "تاریخ",
    "category": "دسته",
    "title": "عنوان",
    "description": "شرح",
    "news_items": "خبر",
    "social_posts": "پست",
    "public_meetings": "نشست مردمی",
    "links": "پیوند",
    "feedback": "بازخورد شهروندان",
    "public": "عمومی",
}
REQUIRED = ("district", "occurred_on", "category", "title")
COUNTS = ("news_items", "social_posts", "public_meetings")
ACCEPTED_FA = "منطقه، تاریخ، دسته، عنوان؛ و اگر بخواهید: شرح، خبر، پست، نشست مردمی، پیوند، بازخورد شهروندان، عمومی"
ACCEPTED_EN = (
    "district, date, category, title; optionally description, news items, social posts, public meetings, links, "
    "feedback, public"
)
_YES = frozenset(text_key(w) for w in ("بله", "آری", "بلی", "هست", "yes", "y", "true", "1", "✓"))
_NO = frozenset(text_key(w) for w in ("خیر", "نه", "نیست", "no", "n", "false", "0", ""))
_OBSERVATION_ROLES = frozenset({normalise.METRIC, normalise.VALUE, normalise.TARGET, normalise.EVENT_TYPE})


def _keys() -> dict[str, str]:
    return {text_key(word): role for role, words in _WORDS.items() for word in words}


def is_actions_table(table: RawTable, catalog) -> bool:
    """A table of actions: its header has a category and a title column, and nothing that belongs to
    figures (a metric, value, target or event-type column, or a metric's own column)."""
    keys = _keys()
    roles = {keys.get(text_key(h)) for h in table.headers}
    if not {"category", "title"} <= roles:
        return False
    for header in table.headers:
        if text_key(header) in keys:
            continue
        role, code = normalise.header_role(header, catalog)
        if code is not None or role in _OBSERVATION_ROLES:
            return False
    return True


def is_actions_file(raw: RawFile, catalog) -> bool:
    return bool(raw.tables) and all(is_actions_table(t, catalog) for t in raw.tables)


@dataclass
class ParsedActions:
    """A file of actions read and checked: the accepted actions and the rejected cells."""

    actions: list[ActionInput]
    errors: list[RowError]
    rows_read: int
    rows_blank: int
    rejected_rows: set[tuple[str, int]] = field(default_factory=set)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_rows)


def _where(table: RawTable, position: int) -> tuple[str, str]:
    return (
        f"«{table.headers[position]}» ({column_letter(position)})",
        f"'{table.headers[position]}' (column {column_letter(position)})",
    )


def _columns(table: RawTable) -> dict[str, int]:
    keys = _keys()
    found: dict[str, int] = {}
    for position, header in enumerate(table.headers):
        if not normalise.clean_text(header):
            continue
        role = keys.get(text_key(header))
        if role is None:
            fa, en = _where(table, position)
            raise FileRejected(
                f"ستون {fa} در فایل اقدامات شناخته نیست؛ آن را حذف کنید یا عنوانش را یکی از این‌ها بگذارید: {ACCEPTED_FA}",
                f"column {en} is not a column of a file of actions; remove it or head it with one of: {ACCEPTED_EN}",
            )
        if role == "ignored":
            continue
        if role in found:
            a, b = _where(table, found[role]), _where(table, position)
            raise FileRejected(
                f"ستون‌های {a[0]} و {b[0]} هر دو ستون «{_FA[role]}» هستند؛ یکی را حذف کنید",
                f"columns {a[1]} and {b[1]} are both the {role} column; remove one",
            )
        found[role] = position
    missing = [r for r in REQUIRED if r not in found]
    if missing:
        raise FileRejected(
            "فایل اقدامات ستون "
            + "، ".join(f"«{_FA[r]}»" for r in missing)
            + f" را ندارد؛ ستون‌های لازم: {ACCEPTED_FA}",
            "the file of actions has no " + ", ".join(missing) + f" column; its columns: {ACCEPTED_EN}",
        )
    return found


def _count(text: str) -> tuple[int | None, Message | None]:
    if not normalise.clean_text(text):
        return None, None
    value, reason = normalise.parse_number(text)
    if reason is not None:
        return None, reason
    if value is None or value < 0 or not float(value).is_integer():
        shown = clip(normalise.clean_text(text))
        return None, Message(
            f"«{shown}» تعداد نیست؛ عددی درست و بی‌اعشار از ۰ به بالا بنویسید یا خانه را خالی بگذارید (نامعلوم)",
            f"'{shown}' is not a count; write a whole number, 0 or more, or leave the cell empty (not known)",
        )
    return int(value), None


def _links(text: str) -> tuple[tuple[str, ...], Message | None]:
    return reviews.parse_links(normalise.clean_text(text))


def _public(text: str) -> tuple[bool, Message | None]:
    key = text_key(text)
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    shown = clip(normalise.clean_text(text))
    return False, Message(
        f"«{shown}» در ستون «عمومی» خوانا نیست؛ «بله» بنویسید تا اقدام در صفحهٔ عمومی بیاید، یا «خیر» یا خالی",
        f"'{shown}' in the public column cannot be read; write yes to show the action on the public page, or no, or leave it empty",
    )


def _day(text: str, today: dt.date) -> tuple[dt.date | None, Message | None]:
    try:
        day = calendar.parse_day(text)
    except calendar.PeriodParseError as exc:
        return None, exc.message
    if day > today:
        label = calendar.month_label_of(day)
        return None, Message(
            f"تاریخ «{clip(normalise.clean_text(text))}» ({label}) هنوز نرسیده است؛ اقدامی را ثبت کنید که انجام شده است",
            f"the date '{normalise.clean_text(text)}' has not come yet; record actions that have happened",
        )
    return day, None


def _cell(table: RawTable, index: int, position: int) -> str:
    if position not in table.cells.columns:
        return ""
    value = table.cells[position].iloc[index]
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _row(cells: dict[str, str], numbers: frozenset[int], today: dt.date) -> tuple[ActionInput | None, list]:
    """One row's action, or the (role, value, reason) of each of its rejected cells."""
    errors: list[tuple[str, str, Message]] = []

    def check(role: str, reason: Message | None) -> None:
        if reason is not None:
            errors.append((role, cells.get(role, ""), reason))

    district, reason = normalise.parse_district(cells["district"], numbers)
    check("district", reason)
    day, reason = _day(cells["occurred_on"], today)
    check("occurred_on", reason)
    for role in ("category", "title"):
        if not normalise.clean_text(cells[role]):
            check(role, Message(f"«{_FA[role]}» خالی است؛ آن را بنویسید", f"the {role} is empty; write it"))
    if len(normalise.clean_text(cells["title"])) > TITLE_LIMIT:
        check(
            "title",
            Message(
                f"عنوان بیش از {calendar.to_persian_digits(TITLE_LIMIT)} نویسه است؛ کوتاهش کنید و بقیه را در «شرح» بنویسید",
                f"the title is longer than {TITLE_LIMIT} characters; shorten it and put the rest in the description",
            ),
        )
    counts: dict[str, int | None] = {}
    for role in COUNTS:
        counts[role], reason = _count(cells.get(role, ""))
        check(role, reason)
    links, reason = _links(cells.get("links", ""))
    check("links", reason)
    public, reason = _public(cells.get("public", ""))
    check("public", reason)
    if errors or district is None or day is None:
        return None, errors
    item = ActionInput(
        district=district,
        occurred_on=day,
        category=normalise.clean_text(cells["category"]),
        title=normalise.clean_text(cells["title"]),
        description=normalise.clean_text(cells.get("description", "")),
        news_items=counts["news_items"],
        social_posts=counts["social_posts"],
        public_meetings=counts["public_meetings"],
        links=links,
        feedback=normalise.clean_text(cells.get("feedback", "")) or None,
        public=public,
    )
    return item, []


def read_actions(raw: RawFile, districts: Collection[int], today: dt.date | None = None) -> ParsedActions:
    """Check every table of ``raw`` as a file of actions (``districts``: the reference's numbers);
    raises FileRejected when a table's columns are not those of a file of actions."""
    today = today or calendar.today_in_tehran()
    numbers = frozenset(districts)
    out = ParsedActions([], [], 0, 0)
    seen: dict[tuple[int, dt.date, str], list[tuple[RawTable, int, int]]] = {}
    for table in raw.tables:
        try:
            columns = _columns(table)
        except FileRejected as exc:
            if len(raw.tables) == 1:
                raise
            raise FileRejected(f"برگه‌ی «{table.sheet}»: {exc.fa}", f"sheet '{table.sheet}': {exc.en}") from exc
        for index in range(len(table.cells)):
            cells = {role: _cell(table, index, pos) for role, pos in columns.items()}
            row = int(table.row_numbers[index])
            if not any(normalise.clean_text(v) for v in cells.values()):
                out.rows_blank += 1
                continue
            out.rows_read += 1
            item, errors = _row(cells, numbers, today)
            for role, value, why in errors:
                out.errors.append(
                    RowError(
                        row=row,
                        column=table.headers[columns[role]],
                        value=clip(value),
                        reason=why,
                        sheet=table.sheet,
                        cell=f"{column_letter(columns[role])}{row}",
                    )
                )
            if errors:
                out.rejected_rows.add((table.sheet, row))
                continue
            assert item is not None
            seen.setdefault((item.district, item.occurred_on, text_key(item.title)), []).append((table, index, row))
            out.actions.append(item)
    _reject_repeats(out, seen, raw)
    return out


def _reject_repeats(out: ParsedActions, seen, raw: RawFile) -> None:
    repeated = {key for key, places in seen.items() if len(places) > 1}
    if not repeated:
        return
    for key in repeated:
        places = seen[key]
        rows = "، ".join(calendar.to_persian_digits(r) for _, _, r in places)
        rows_en = ", ".join(str(r) for _, _, r in places)
        for table, _index, row in places:
            title_position = _columns(table)["title"]
            out.errors.append(
                RowError(
                    row=row,
                    column=table.headers[title_position],
                    value=clip(_cell(table, _index, title_position)),
                    reason=Message(
                        f"همین اقدام (منطقه، تاریخ و عنوان) در ردیف‌های {rows} تکرار شده است؛ یکی را نگه دارید",
                        f"the same action (district, date and title) is on rows {rows_en}; keep one",
                    ),
                    sheet=table.sheet,
                    cell=f"{column_letter(title_position)}{row}",
                )
            )
            out.rejected_rows.add((table.sheet, row))
    out.actions = [a for a in out.actions if (a.district, a.occurred_on, text_key(a.title)) not in repeated]
    out.errors.sort(key=lambda e: (e.sheet, e.row, e.column))


def summary(items: Sequence[ActionInput]) -> dict:
    """What a file's accepted actions would add, for the preview (JSON-ready): ``count``, ``districts``
    (their numbers, sorted), ``first`` and ``last`` (ISO dates of the earliest and latest action; None
    when there is none) and ``public`` (how many are marked for the public page)."""
    days = [a.occurred_on for a in items]
    return {
        "count": len(items),
        "districts": sorted({int(a.district) for a in items}),
        "first": min(days).isoformat() if days else None,
        "last": max(days).isoformat() if days else None,
        "public": sum(1 for a in items if a.public),
    }

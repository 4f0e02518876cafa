"""Review meetings and what they follow up: notable actions, meetings, commitments.

The domain objects the store returns (``Action``, ``Meeting``, ``Commitment``, ``CommitmentEvent``)
and the rules over them, each written once here:

- A commitment is stored **open**, **done** or **dropped**. It is **late** when it is open and its
  due date has passed in Tehran (the due day itself is still on time); late is derived, never stored.
- A commitment tied to a metric **moved** as ``figures.district_changes`` says, like for like: the
  last month ended before it was made against the last month ended by today.
- A meeting is **planned**, **held** or **cancelled**; a district is reviewed on the day a meeting
  of it was held. The calendar is a monthly cycle through the districts (``plan_month``), one a
  working day; a district with no review held in N Jalali months is flagged (``unreviewed``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from monitoring import calendar, figures, overview
from monitoring.calendar import Period
from monitoring.message import Message
from monitoring.metrics import Metric

CommitmentStatus = Literal["open", "done", "dropped"]
MeetingStatus = Literal["planned", "held", "cancelled"]
COMMITMENT_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
MEETING_STATUSES: tuple[str, ...] = ("planned", "held", "cancelled")


@dataclass(frozen=True)
class Action:
    """A district's notable action and how it was covered."""

    id: int
    district: int
    occurred_on: dt.date
    category: str
    title: str
    description: str = ""
    news_items: int | None = None  # coverage; None: not known
    social_posts: int | None = None
    public_meetings: int | None = None
    links: tuple[str, ...] = ()
    feedback: str | None = None  # citizens' feedback, when known
    public: bool = False  # shown on the public page
    batch_id: int | None = None  # the file it came in; None: entered on a form
    created_by: str = ""
    created_at: dt.datetime | None = None  # UTC


@dataclass(frozen=True)
class Meeting:
    """A district's review meeting: planned, held or cancelled."""

    id: int
    district: int
    planned_on: dt.date
    status: MeetingStatus = "planned"
    held_on: dt.date | None = None
    attendees: str = ""
    decisions: str = ""
    created_by: str = ""
    created_at: dt.datetime | None = None

    @property
    def day(self) -> dt.date:
        """The day it was held, or else the day it is planned for."""
        return self.held_on or self.planned_on


@dataclass(frozen=True)
class CommitmentEvent:
    """One change of a commitment: when (UTC), by whom, from which status to which, and why."""

    commitment_id: int
    at: dt.datetime
    actor: str
    old_status: str | None
    new_status: str
    note: str = ""


@dataclass(frozen=True)
class Commitment:
    """What a district agreed to do, by when, and the metric it should move (if any)."""

    id: int
    district: int
    text: str
    made_on: dt.date
    due_on: dt.date
    status: CommitmentStatus = "open"
    owner: str = ""
    metric: str | None = None
    meeting_id: int | None = None
    created_by: str = ""
    created_at: dt.datetime | None = None
    history: tuple[CommitmentEvent, ...] = field(default=(), compare=False)


# ---------------------------------------------------------------- links

_LINK_SPLIT = re.compile(r"[\s،,;؛]+")
_LINK = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
MAX_LINK = 2000


_COUNT = re.compile(r"^\d{1,9}$")


def parse_count(text: str | None, label_fa: str, label_en: str) -> tuple[int | None, Message | None]:
    """A coverage count typed on a form («۱۲», "12", «۱٬۲۰۰»): a whole number from 0, or None when left
    empty (not known); anything else is refused with a bilingual reason naming the field."""
    typed = (text or "").strip()
    if not typed:
        return None, None
    digits = calendar.to_latin_digits(typed).replace("٬", "").replace(",", "").replace(" ", "")
    if not _COUNT.match(digits):
        shown = typed[:40]
        return None, Message(
            f"«{label_fa}»: «{shown}» تعداد نیست؛ عددی درست از ۰ به بالا بنویسید یا خالی بگذارید",
            f"{label_en}: '{shown}' is not a count; write a whole number, 0 or more, or leave it empty",
        )
    return int(digits), None


def parse_links(text: str) -> tuple[tuple[str, ...], Message | None]:
    """An action's links: web addresses (http:// or https://) separated by spaces, «،», «,» or «;»;
    anything else (a ``javascript:`` address, a bare name) is refused with a bilingual reason."""
    parts = [p for p in _LINK_SPLIT.split(text or "") if p]
    bad = next((p for p in parts if not _LINK.match(p) or len(p) > MAX_LINK), None)
    if bad is not None:
        shown = bad[:100] + ("…" if len(bad) > 100 else "")
        return (), Message(
            f"«{shown}» نشانی وب نیست؛ هر پیوند باید با http:// یا https:// آغاز شود و پیوندها با فاصله یا «،» جدا شوند",
            f"'{shown}' is not a web address; each link starts with http:// or https://, links separated by "
            "spaces or commas",
        )
    return tuple(dict.fromkeys(parts)), None


# ---------------------------------------------------------------- commitment states

State = Literal["open", "late", "done", "dropped"]
STATES: tuple[str, ...] = ("late", "open", "done", "dropped")  # the order a follow-up list reads them in
STATE_LABELS: dict[str, str] = {
    "open": "در جریان",
    "late": "عقب‌افتاده",
    "done": "انجام‌شده",
    "dropped": "کنارگذاشته",
}
STATUS_LABELS: dict[str, str] = {"open": "در جریان", "done": "انجام‌شده", "dropped": "کنارگذاشته"}
MEETING_LABELS: dict[str, str] = {"planned": "برنامه‌ریزی‌شده", "held": "برگزارشده", "cancelled": "لغوشده"}


def is_late(item: Commitment, today: dt.date | None = None) -> bool:
    """Open, and its due day has passed in Tehran (on the due day itself it is still on time)."""
    today = today or calendar.today_in_tehran()
    return item.status == "open" and today > item.due_on


def state(item: Commitment, today: dt.date | None = None) -> State:
    """open, late, done or dropped: the stored status, with an open one past its due day late."""
    if is_late(item, today):
        return "late"
    return item.status


def days_late(item: Commitment, today: dt.date | None = None) -> int:
    """Days since the due day for a late commitment; 0 otherwise."""
    today = today or calendar.today_in_tehran()
    return (today - item.due_on).days if is_late(item, today) else 0


def overdue(items: Iterable[Commitment], today: dt.date | None = None) -> list[Commitment]:
    """The late commitments, longest overdue first (then by district)."""
    today = today or calendar.today_in_tehran()
    return sorted((c for c in items if is_late(c, today)), key=lambda c: (c.due_on, c.district, c.id))


def follow_up(
    items: Iterable[Commitment], last_meeting: Meeting | None, until: dt.date, today: dt.date | None = None
) -> list[Commitment]:
    """What a review opens with: every commitment of ``last_meeting`` (whatever its state) and every
    other one made before ``until`` that is still open; late first, then open, done, dropped, each
    by due day."""
    today = today or calendar.today_in_tehran()
    chosen = [
        c
        for c in items
        if (last_meeting is not None and c.meeting_id == last_meeting.id) or (c.status == "open" and c.made_on < until)
    ]
    return sorted(chosen, key=lambda c: (STATES.index(state(c, today)), c.due_on, c.id))


def last_held(meetings: Iterable[Meeting], before: dt.date) -> Meeting | None:
    """The latest meeting held before ``before`` (excluded)."""
    held = [m for m in meetings if m.status == "held" and m.day < before]
    return max(held, key=lambda m: (m.day, m.id), default=None)


# ---------------------------------------------------------------- did the tied metric move


@dataclass(frozen=True)
class Movement:
    """A commitment's metric in the district, like for like (``figures.district_changes``): the last
    month ended before it was made (``before``) against the last month ended by today (``after``)."""

    metric: str
    before: Period
    after: Period
    value: float
    base: float
    change: float | None  # relative; None on a zero base
    better: bool | None  # the change in the metric's good direction; None: neutral, or no change


def movement_months(item: Commitment, today: dt.date | None = None) -> tuple[Period, Period] | None:
    """The months compared: the last month ended before the commitment was made, and the last month
    ended by ``today``; None while no month has ended since it was made."""
    today = today or calendar.today_in_tehran()
    before = Period.month(*calendar.last_complete_month(item.made_on))
    after = Period.month(*calendar.last_complete_month(today))
    if after.start <= before.start or after.start < calendar.month_start(*calendar.jalali_month_of(item.made_on)):
        return None
    return before, after


def movement(
    item: Commitment, monthly: pd.DataFrame, catalog: Mapping[str, Metric], today: dt.date | None = None
) -> Movement | None:
    """Whether the commitment's metric moved in its district since it was made, like for like (the
    one rule, ``figures.district_changes``). None without a metric, before a month has ended since,
    or when the district did not report it in both months. ``monthly``: metric, district, period, value."""
    if not item.metric or item.metric not in catalog:
        return None
    months = movement_months(item, today)
    if months is None:
        return None
    before, after = months
    part = monthly[(monthly["metric"] == item.metric) & (monthly["district"] == item.district)]
    changes = figures.district_changes(part, catalog, after, before)
    if changes.empty:
        return None
    row = changes.iloc[0]
    change = None if pd.isna(row["change"]) else float(row["change"])
    better = overview.is_good_change(catalog[item.metric], change)
    return Movement(item.metric, before, after, float(row["value"]), float(row["base"]), change, better)


# ---------------------------------------------------------------- the meeting calendar

WEEKEND = 4  # Friday (Python's weekday numbering)


def plan_month(year: int, month: int, districts: Sequence[int], taken: Iterable[int] = ()) -> list[tuple[int, dt.date]]:
    """A monthly cycle: the districts not ``taken`` (already on the month's calendar), in order, one a
    working day (Fridays skipped) from the month's first day on; when the month runs out of working
    days the cycle starts again from its first day."""
    start = calendar.month_start(year, month)
    days = [
        start + dt.timedelta(days=i)
        for i in range((calendar.month_end(start) - start).days)
        if (start + dt.timedelta(days=i)).weekday() != WEEKEND
    ]
    skip = set(taken)
    wanted = [d for d in districts if d not in skip]
    return [(d, days[i % len(days)]) for i, d in enumerate(wanted)]


@dataclass(frozen=True)
class ReviewGap:
    """A district with no review held since ``since``: ``last`` is its last review (None: never)."""

    district: int
    last: dt.date | None


def review_cutoff(today: dt.date, months: int) -> dt.date:
    """The day ``months`` Jalali months before ``today``: a district last reviewed before it is flagged."""
    return calendar.shift_months(today, -months)


def unreviewed(
    last_reviews: Mapping[int, dt.date], districts: Iterable[int], months: int, today: dt.date | None = None
) -> list[ReviewGap]:
    """The districts with no review held in the last ``months`` Jalali months (a review on the cutoff
    day counts), never reviewed first, then longest ago."""
    today = today or calendar.today_in_tehran()
    cutoff = review_cutoff(today, months)
    gaps = [
        ReviewGap(d, last_reviews.get(d)) for d in districts if last_reviews.get(d) is None or last_reviews[d] < cutoff
    ]
    return sorted(gaps, key=lambda g: (g.last is not None, g.last or dt.date.min, g.district))

"""A district's review pack for a Jalali month, in the order the meeting runs: last meeting's
commitments and where they stand, the district's figures, ranks and like-for-like changes, its
reporting record, its alerts, and its notable actions.

``read_pack`` gathers what the store holds about the meeting (its commitments, meetings and
actions) with each commitment's state and movement (``monitoring.reviews``); the figures, the
reporting record and the alerts are the district page's own (``monitoring.district``,
``monitoring.compliance``, ``monitoring.alerts``), read by the page through its cache and by the
deck (``monitoring.slides``) through the store. No streamlit here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from monitoring import calendar, reviews, store
from monitoring.calendar import Period
from monitoring.metrics import Metric
from monitoring.reviews import Action, Commitment, Meeting, Movement


@dataclass(frozen=True)
class FollowUp:
    """A commitment as the pack shows it: its state today, days late, and whether its metric moved."""

    commitment: Commitment
    state: str
    days_late: int
    movement: Movement | None


@dataclass(frozen=True)
class Pack:
    """What the store holds for a district's review of ``period``."""

    district: int
    period: Period
    today: dt.date
    meeting: Meeting | None  # this month's meeting: the one held, else the one planned
    last_meeting: Meeting | None  # the last meeting held before it
    follow_up: list[FollowUp]  # last meeting's commitments and every other still open
    made_here: list[FollowUp]  # the commitments made at this month's meeting
    actions: list[Action]  # the district's notable actions in the month
    planned: list[Meeting]  # every meeting of the district on the calendar, in order


def figures_period(period: Period, last_data: dt.date, today: dt.date) -> Period:
    """The month whose figures the pack shows: its own once it has ended and been loaded (``last_data``:
    the last month the store holds), else the last month ended and loaded before it (a meeting held
    in Azar reviews Aban's figures)."""
    ended = calendar.month_start(*calendar.last_complete_month(today))
    last = min(ended, last_data)
    return period if period.start <= last else Period.month(*calendar.jalali_month_of(last))


def this_months_meeting(meetings: list[Meeting], period: Period) -> Meeting | None:
    """The meeting of ``period``: the last one held in it, else the last one planned, else None."""
    inside = [m for m in meetings if period.start <= m.day < period.end and m.status != "cancelled"]
    held = [m for m in inside if m.status == "held"]
    chosen = held or inside
    return max(chosen, key=lambda m: (m.day, m.id)) if chosen else None


def follow_ups(items: list[Commitment], catalog: dict[str, Metric], monthly, today: dt.date) -> list[FollowUp]:
    return [
        FollowUp(c, reviews.state(c, today), reviews.days_late(c, today), reviews.movement(c, monthly, catalog, today))
        for c in items
    ]


def read_pack(
    engine: Engine, district: int, period: Period, catalog: dict[str, Metric], today: dt.date | None = None
) -> Pack:
    """The pack's meeting, commitments and actions for ``district`` and ``period`` (a month)."""
    today = today or calendar.today_in_tehran()
    meetings = store.meetings_of(engine, district=district)
    meeting = this_months_meeting(meetings, period)
    until = meeting.day if meeting is not None else period.end
    last = reviews.last_held([m for m in meetings if meeting is None or m.id != meeting.id], until)
    commitments = store.commitments_of(engine, district=district)
    opening = reviews.follow_up(commitments, last, until, today)
    here = [c for c in commitments if meeting is not None and c.meeting_id == meeting.id and c not in opening]
    tied = [c for c in opening + here if c.metric]
    monthly = None
    if tied:
        first = min(calendar.month_start(*calendar.last_complete_month(c.made_on)) for c in tied)
        monthly = store.district_month_values(engine, first, calendar.next_month_start(today))
    frame = monthly if monthly is not None else _empty_monthly()
    return Pack(
        district=district,
        period=period,
        today=today,
        meeting=meeting,
        last_meeting=last,
        follow_up=follow_ups(opening, catalog, frame, today),
        made_here=follow_ups(here, catalog, frame, today),
        actions=store.actions(engine, district=district, start=period.start, end=period.end),
        planned=meetings,
    )


def _empty_monthly() -> pd.DataFrame:
    return pd.DataFrame({"metric": [], "district": [], "period": [], "value": []})


def movement_text(movement: Movement | None, metric: Metric | None) -> str:
    """«میانگین زمان پاسخ …: −۲۵٫۰٪ از شهریور ۱۴۰۴ تا آبان ۱۴۰۴ (بهتر)», or why there is none."""
    if metric is None:
        return ""
    if movement is None:
        return f"{metric.name_fa}: هنوز سنجیدنی نیست (ماهی پس از آن تمام نشده یا منطقه هر دو ماه را گزارش نکرده است)"
    meaning = {True: " (بهتر)", False: " (بدتر)", None: ""}[movement.better]
    return (
        f"{metric.name_fa}: {calendar.format_percent_change(movement.change)} از {movement.before.label} "
        f"تا {movement.after.label}{meaning}"
    )

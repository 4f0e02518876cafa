"""Review meetings and what they follow up: notable actions, meetings, commitments.

The domain objects the store returns (``Action``, ``Meeting``, ``Commitment``, ``CommitmentEvent``)
and the rules over them, each written once here:

- A commitment is stored **open**, **done** or **dropped**. It is **late** when it is open and its
  due date has passed in Tehran (the due day itself is still on time); late is derived, never stored.
- A meeting is **planned**, **held** or **cancelled**; a district is reviewed on the day a meeting
  of it was held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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

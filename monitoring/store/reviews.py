"""Reviews in the store: notable actions, meetings, commitments and their history.

Reads return the domain objects of ``monitoring.reviews``; every write is one transaction that also
writes its audit row (actions 'action', 'meeting', 'commitment'), so the audit log and the tables
never disagree. Actions loaded from a file belong to a batch (kind 'actions'): rolling the batch back
(``writes.rollback_batch``) deletes them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from monitoring.reviews import (
    COMMITMENT_STATUSES,
    MEETING_STATUSES,
    Action,
    Commitment,
    CommitmentEvent,
    Meeting,
)
from monitoring.store.schema import actions as actions_table
from monitoring.store.schema import batches, commitment_events, commitments, meetings, metrics
from monitoring.store.writes import (
    BatchInfo,
    audit_on,
    in_transaction,
    insert_batch,
    store_rejections,
    store_source,
    utc_now,
)

__all__ = [
    "ActionInput",
    "ReviewNotFound",
    "actions",
    "add_action",
    "add_commitment",
    "add_meeting",
    "add_meetings",
    "commitment",
    "commitments_of",
    "delete_action",
    "last_reviews",
    "meetings_of",
    "public_metric_codes",
    "set_commitment_status",
    "update_meeting",
    "write_action_batch",
]


class ReviewNotFound(LookupError):
    """No meeting, commitment or action with that id."""


@dataclass(frozen=True)
class ActionInput:
    """An action to record (from a form or a file's row)."""

    district: int
    occurred_on: dt.date
    category: str
    title: str
    description: str = ""
    news_items: int | None = None
    social_posts: int | None = None
    public_meetings: int | None = None
    links: tuple[str, ...] = ()
    feedback: str | None = None
    public: bool = False

    def row(self) -> dict:
        return {
            "district": int(self.district),
            "occurred_on": self.occurred_on,
            "category": self.category.strip()[:100],
            "title": self.title.strip()[:300],
            "description": self.description.strip(),
            "news_items": self.news_items,
            "social_posts": self.social_posts,
            "public_meetings": self.public_meetings,
            "links": json.dumps(list(self.links), ensure_ascii=False),
            "feedback": (self.feedback or "").strip() or None,
            "public": int(bool(self.public)),
        }


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()


# ---------------------------------------------------------------- actions


def _action(row) -> Action:
    try:
        links = tuple(str(x) for x in json.loads(row["links"] or "[]"))
    except (ValueError, TypeError):
        links = ()
    return Action(
        id=int(row["id"]),
        district=int(row["district"]),
        occurred_on=_day(row["occurred_on"]),
        category=row["category"],
        title=row["title"],
        description=row["description"] or "",
        news_items=row["news_items"],
        social_posts=row["social_posts"],
        public_meetings=row["public_meetings"],
        links=links,
        feedback=row["feedback"],
        public=bool(row["public"]),
        batch_id=row["batch_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
    )


def actions(
    engine: Engine,
    *,
    district: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    public_only: bool = False,
) -> list[Action]:
    """Notable actions, newest first: of ``district`` (all when None), from ``start`` (included) to
    ``end`` (excluded), only those marked public when ``public_only``. Actions of a rolled-back batch
    are gone (the rollback deletes them)."""
    a = actions_table.c
    stmt = select(actions_table)
    if district is not None:
        stmt = stmt.where(a.district == int(district))
    if start is not None:
        stmt = stmt.where(a.occurred_on >= start)
    if end is not None:
        stmt = stmt.where(a.occurred_on < end)
    if public_only:
        stmt = stmt.where(a.public == 1)
    stmt = stmt.order_by(a.occurred_on.desc(), a.id.desc())
    with engine.connect() as conn:
        return [_action(r) for r in conn.execute(stmt).mappings()]


def add_action(engine: Engine, item: ActionInput, actor: str) -> int:
    """Record one action entered on a form; its id. Audited ('action')."""

    def work(conn: Connection) -> int:
        row = {**item.row(), "batch_id": None, "created_by": (actor or "")[:200], "created_at": utc_now()}
        new_id = int(conn.execute(insert(actions_table).returning(actions_table.c.id), row).scalar_one())
        audit_on(
            conn, actor, "action", None, {"op": "add", "id": new_id, "district": item.district, "title": item.title}
        )
        return new_id

    return in_transaction(engine, work)


def delete_action(engine: Engine, action_id: int, actor: str) -> None:
    """Remove one action (withdrawn, or recorded by mistake), whether entered on a form or loaded from a
    file (the rest of its file stays; rolling the batch back removes them all). Audited with its batch."""

    def work(conn: Connection) -> None:
        row = conn.execute(select(actions_table).where(actions_table.c.id == int(action_id))).mappings().first()
        if row is None:
            raise ReviewNotFound(action_id)
        conn.execute(delete(actions_table).where(actions_table.c.id == int(action_id)))
        audit_on(conn, actor, "action", row["batch_id"], {"op": "delete", "id": int(action_id), "title": row["title"]})

    in_transaction(engine, work)


def write_action_batch(engine: Engine, items: Sequence[ActionInput], info: BatchInfo) -> int:
    """Store a file's actions as one batch (kind 'actions'), all or nothing; the batch's id. Audited
    ('load'). Rolling the batch back deletes its actions."""

    def work(conn: Connection) -> int:
        at = info.loaded_at_utc()
        batch_id = insert_batch(conn, info, "actions", len(items))
        conn.execute(update(batches).where(batches.c.id == batch_id).values(rows_new=len(items)))
        store_source(conn, info)
        store_rejections(conn, batch_id, info.rejections)
        rows = [
            {**i.row(), "batch_id": batch_id, "created_by": (info.loaded_by or "")[:200], "created_at": at}
            for i in items
        ]
        if rows:
            conn.execute(insert(actions_table), rows)
        detail = {"file": info.source_name, "sha256": info.sha256, "kind": "actions", "rows": len(rows)}
        audit_on(conn, info.loaded_by, "load", batch_id, detail)
        return batch_id

    return in_transaction(engine, work)


# ---------------------------------------------------------------- meetings


def _meeting(row) -> Meeting:
    return Meeting(
        id=int(row["id"]),
        district=int(row["district"]),
        planned_on=_day(row["planned_on"]),
        status=row["status"],
        held_on=None if row["held_on"] is None else _day(row["held_on"]),
        attendees=row["attendees"] or "",
        decisions=row["decisions"] or "",
        created_by=row["created_by"],
        created_at=row["created_at"],
    )


def meetings_of(
    engine: Engine,
    *,
    district: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: str | None = None,
) -> list[Meeting]:
    """Meetings in calendar order (by the day held, or else planned): of ``district`` (all when None),
    whose day lies from ``start`` (included) to ``end`` (excluded), of ``status`` when given."""
    m = meetings.c
    day = func.coalesce(m.held_on, m.planned_on)
    stmt = select(meetings)
    if district is not None:
        stmt = stmt.where(m.district == int(district))
    if start is not None:
        stmt = stmt.where(day >= start)
    if end is not None:
        stmt = stmt.where(day < end)
    if status is not None:
        stmt = stmt.where(m.status == status)
    stmt = stmt.order_by(day, m.district, m.id)
    with engine.connect() as conn:
        return [_meeting(r) for r in conn.execute(stmt).mappings()]


def _check_meeting_status(status: str) -> None:
    if status not in MEETING_STATUSES:
        raise ValueError(f"unknown meeting status {status!r}; one of {', '.join(MEETING_STATUSES)}")


def add_meeting(
    engine: Engine,
    district: int,
    planned_on: dt.date,
    actor: str,
    *,
    status: str = "planned",
    held_on: dt.date | None = None,
    attendees: str = "",
    decisions: str = "",
) -> int:
    """Record a meeting (planned, or held with its attendees and decisions); its id. Audited ('meeting')."""
    _check_meeting_status(status)

    def work(conn: Connection) -> int:
        row = {
            "district": int(district),
            "planned_on": planned_on,
            "held_on": held_on,
            "status": status,
            "attendees": attendees.strip(),
            "decisions": decisions.strip(),
            "created_by": (actor or "")[:200],
            "created_at": utc_now(),
        }
        new_id = int(conn.execute(insert(meetings).returning(meetings.c.id), row).scalar_one())
        audit_on(conn, actor, "meeting", None, {"op": "add", "id": new_id, "district": int(district), "status": status})
        return new_id

    return in_transaction(engine, work)


def add_meetings(engine: Engine, planned: Iterable[tuple[int, dt.date]], actor: str) -> list[int]:
    """Record many planned meetings (a generated calendar) in one transaction; their ids. One audit row."""
    items = list(planned)

    def work(conn: Connection) -> list[int]:
        at = utc_now()
        ids = []
        for district, day in items:
            row = {
                "district": int(district),
                "planned_on": day,
                "status": "planned",
                "created_by": (actor or "")[:200],
                "created_at": at,
            }
            ids.append(int(conn.execute(insert(meetings).returning(meetings.c.id), row).scalar_one()))
        audit_on(conn, actor, "meeting", None, {"op": "plan", "ids": ids})
        return ids

    return in_transaction(engine, work)


def update_meeting(engine: Engine, meeting_id: int, actor: str, **changes) -> Meeting:
    """Change a meeting's planned_on, held_on, status, attendees or decisions; the meeting as it now
    stands. Audited ('meeting') with what changed."""
    allowed = {"planned_on", "held_on", "status", "attendees", "decisions"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"a meeting has no field {', '.join(sorted(unknown))}")
    if "status" in changes:
        _check_meeting_status(changes["status"])

    def work(conn: Connection) -> Meeting:
        before = conn.execute(select(meetings).where(meetings.c.id == int(meeting_id))).mappings().first()
        if before is None:
            raise ReviewNotFound(meeting_id)
        if changes:
            conn.execute(update(meetings).where(meetings.c.id == int(meeting_id)).values(**changes))
        after = conn.execute(select(meetings).where(meetings.c.id == int(meeting_id))).mappings().one()
        changed = {k: [before[k], after[k]] for k in changes if before[k] != after[k]}
        audit_on(conn, actor, "meeting", None, {"op": "update", "id": int(meeting_id), "changed": changed})
        return _meeting(after)

    return in_transaction(engine, work)


def last_reviews(engine: Engine) -> dict[int, dt.date]:
    """Each district's last held meeting (the day held); a district never reviewed is absent."""
    m = meetings.c
    day = func.coalesce(m.held_on, m.planned_on)
    stmt = select(m.district, func.max(day)).where(m.status == "held").group_by(m.district)
    with engine.connect() as conn:
        return {int(d): _day(v) if not isinstance(v, str) else dt.date.fromisoformat(v) for d, v in conn.execute(stmt)}


# ---------------------------------------------------------------- commitments


def _events(conn: Connection, ids: list[int]) -> dict[int, list[CommitmentEvent]]:
    out: dict[int, list[CommitmentEvent]] = {i: [] for i in ids}
    if not ids:
        return out
    e = commitment_events.c
    stmt = select(commitment_events).where(e.commitment_id.in_(ids)).order_by(e.commitment_id, e.at, e.id)
    for r in conn.execute(stmt).mappings():
        out[int(r["commitment_id"])].append(
            CommitmentEvent(
                commitment_id=int(r["commitment_id"]),
                at=r["at"] or utc_now(),
                actor=r["actor"],
                old_status=r["old_status"],
                new_status=r["new_status"],
                note=r["note"] or "",
            )
        )
    return out


def _commitments(conn: Connection, stmt) -> list[Commitment]:
    rows = list(conn.execute(stmt).mappings())
    history = _events(conn, [int(r["id"]) for r in rows])
    return [
        Commitment(
            id=int(r["id"]),
            district=int(r["district"]),
            text=r["text"],
            made_on=_day(r["made_on"]),
            due_on=_day(r["due_on"]),
            status=r["status"],
            owner=r["owner"] or "",
            metric=r["metric"],
            meeting_id=r["meeting_id"],
            created_by=r["created_by"],
            created_at=r["created_at"],
            history=tuple(history[int(r["id"])]),
        )
        for r in rows
    ]


def commitments_of(
    engine: Engine,
    *,
    district: int | None = None,
    meeting_id: int | None = None,
    statuses: Iterable[str] | None = None,
    made_before: dt.date | None = None,
) -> list[Commitment]:
    """Commitments with their history, by due date: of ``district`` / ``meeting_id`` when given, in
    ``statuses`` when given, made before ``made_before`` (excluded) when given."""
    c = commitments.c
    stmt = select(commitments)
    if district is not None:
        stmt = stmt.where(c.district == int(district))
    if meeting_id is not None:
        stmt = stmt.where(c.meeting_id == int(meeting_id))
    if statuses is not None:
        stmt = stmt.where(c.status.in_(list(statuses)))
    if made_before is not None:
        stmt = stmt.where(c.made_on < made_before)
    stmt = stmt.order_by(c.due_on, c.district, c.id)
    with engine.connect() as conn:
        return _commitments(conn, stmt)


def commitment(engine: Engine, commitment_id: int) -> Commitment:
    """One commitment with its history; ``ReviewNotFound`` when there is none."""
    with engine.connect() as conn:
        found = _commitments(conn, select(commitments).where(commitments.c.id == int(commitment_id)))
    if not found:
        raise ReviewNotFound(commitment_id)
    return found[0]


def add_commitment(
    engine: Engine,
    district: int,
    text: str,
    made_on: dt.date,
    due_on: dt.date,
    actor: str,
    *,
    owner: str = "",
    metric: str | None = None,
    meeting_id: int | None = None,
    note: str = "",
) -> int:
    """Record an open commitment and the first event of its history; its id. Audited ('commitment')."""
    if due_on < made_on:
        raise ValueError("a commitment cannot be due before it is made")

    def work(conn: Connection) -> int:
        at = utc_now()
        row = {
            "district": int(district),
            "meeting_id": meeting_id,
            "text": text.strip(),
            "metric": metric or None,
            "owner": owner.strip()[:200],
            "made_on": made_on,
            "due_on": due_on,
            "status": "open",
            "created_by": (actor or "")[:200],
            "created_at": at,
        }
        new_id = int(conn.execute(insert(commitments).returning(commitments.c.id), row).scalar_one())
        conn.execute(
            insert(commitment_events),
            {
                "commitment_id": new_id,
                "at": at,
                "actor": (actor or "")[:200],
                "old_status": None,
                "new_status": "open",
                "note": note.strip(),
            },
        )
        audit_on(
            conn, actor, "commitment", None, {"op": "add", "id": new_id, "district": int(district), "due_on": due_on}
        )
        return new_id

    return in_transaction(engine, work)


def set_commitment_status(engine: Engine, commitment_id: int, status: str, actor: str, note: str = "") -> Commitment:
    """Change a commitment's status (open, done, dropped) with a dated, signed event; the commitment
    as it now stands. A change to the status it already has records the note alone. Audited."""
    if status not in COMMITMENT_STATUSES:
        raise ValueError(f"unknown commitment status {status!r}; one of {', '.join(COMMITMENT_STATUSES)}")

    def work(conn: Connection) -> Commitment:
        c = commitments.c
        old = conn.execute(select(c.status).where(c.id == int(commitment_id))).scalar_one_or_none()
        if old is None:
            raise ReviewNotFound(commitment_id)
        at = utc_now()
        if old != status:
            conn.execute(update(commitments).where(c.id == int(commitment_id)).values(status=status))
        conn.execute(
            insert(commitment_events),
            {
                "commitment_id": int(commitment_id),
                "at": at,
                "actor": (actor or "")[:200],
                "old_status": old,
                "new_status": status,
                "note": note.strip(),
            },
        )
        audit_on(
            conn,
            actor,
            "commitment",
            None,
            {"op": "status", "id": int(commitment_id), "from": old, "to": status, "note": note.strip()},
        )
        return _commitments(conn, select(commitments).where(c.id == int(commitment_id)))[0]

    return in_transaction(engine, work)


# ---------------------------------------------------------------- the public catalog


def public_metric_codes(engine: Engine) -> list[str]:
    """The codes of the metrics the catalog marks public, in catalog order."""
    m = metrics.c
    stmt = select(m.code).where(m.public == 1).order_by(m.sort_order, m.code)
    with engine.connect() as conn:
        return [str(code) for (code,) in conn.execute(stmt)]

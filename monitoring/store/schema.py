"""The store's tables (SQLAlchemy 2.0 Core). Alembic migrations create and upgrade them.

The column types below that are not SQLAlchemy's own convert a Python value to what the database
holds and back, in this one place: a moment is UTC-aware (:class:`UtcDateTime`), a period a
``date`` (:class:`PeriodDate`), a message a :class:`Message` on the way in and out, whichever
database holds them. Each keeps its column's SQL type, so the schema the migrations made is
unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.types import TypeDecorator

from monitoring.message import Message

metadata = MetaData()


# ---------------------------------------------------------------- column types


def _message_from_stored(value: object) -> Message:
    """A message as the store holds it: ``{"fa", "en"}``. A text written before the store kept the two
    languages apart (a rejection reason or note of a batch loaded then) reads as its Persian, « / »,
    its English: this is the one place that text is taken apart, and only for those old rows."""
    if isinstance(value, dict):
        return Message.from_dict(value)
    text = str(value)
    fa, sep, en = text.partition(" / ")
    if sep and fa.strip() and en.strip():
        return Message(fa.strip(), en.strip())
    return Message(text, text)


def _json(value: object) -> object:
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value  # an old row's plain text
    return value  # PostgreSQL's driver may hand back JSON already decoded


class MessageText(TypeDecorator):
    """A :class:`Message` kept as JSON text ``{"fa": ..., "en": ...}`` in a TEXT column."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        message = Message.read(value)
        return None if message is None else json.dumps(message.to_dict(), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Any) -> Message | None:
        return None if value is None else _message_from_stored(_json(value))


class MessageList(TypeDecorator):
    """A list of :class:`Message` kept as a JSON list of ``{"fa", "en"}`` in a TEXT column; an empty
    list is NULL, and NULL reads back as ``[]``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        items = [Message.read(v) for v in value or ()]
        kept = [m.to_dict() for m in items if m is not None]
        return json.dumps(kept, ensure_ascii=False) if kept else None

    def process_result_value(self, value: Any, dialect: Any) -> list[Message]:
        if value is None:
            return []
        decoded = _json(value)
        if isinstance(decoded, str):
            return [_message_from_stored(decoded)] if decoded.strip() else []
        items = decoded if isinstance(decoded, list) else [decoded]
        return [_message_from_stored(v) for v in items if v not in (None, "")]


class UtcDateTime(TypeDecorator):
    """A moment, kept in UTC: a naive datetime written is taken as UTC, an aware one converted; read
    back, it is UTC-aware on every database (SQLite keeps no zone and hands back naive values)."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: Any, dialect: Any) -> dt.datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return as_utc(dt.datetime.fromisoformat(value) if isinstance(value, str) else value)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already (the store writes nothing else)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class PeriodDate(TypeDecorator):
    """A period: the Gregorian first day of a Jalali month (or of the first month of a season or year),
    a ``date``. SQLite keeps it as ISO text, PostgreSQL as a DATE; either reads back as a ``date``.

    A statement run through SQLAlchemy converts each value here; the big reads that go to the
    driver's cursor (and the raw staging SQL of a load) convert a whole column at once with
    :func:`period_dates`, each distinct value once."""

    impl = Date
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dt.date | None:
        return None if value is None else _as_date(value)

    def process_result_value(self, value: Any, dialect: Any) -> dt.date | None:
        return None if value is None else _as_date(value)


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def period_param(value: object, dialect_name: str) -> object:
    """A parameter for a statement run on the driver's cursor: a ``date`` as the database compares
    periods (ISO text on SQLite, a ``date`` elsewhere); anything else as it is."""
    if isinstance(value, dt.date) and dialect_name == "sqlite":
        return _as_date(value).isoformat()
    return value


def driver_connection(raw: PoolProxiedConnection) -> Any:
    """The driver's own connection (sqlite3's or psycopg's) under a pooled one, for the raw cursor
    work of bulk writes and hot reads. SQLAlchemy types it optional: it is None only once the
    pooled connection has been closed or invalidated, never while it is in use."""
    driver = raw.driver_connection
    assert driver is not None, "the pooled connection is closed"
    return driver


def utc_moments(values: Iterable) -> pd.Series:
    """Moments as a driver's cursor hands them (ISO text without its zone on SQLite, aware datetimes
    on PostgreSQL) or as :class:`UtcDateTime` reads them, as a UTC-aware pandas column (NaT for None)."""
    return pd.to_datetime(pd.Series(list(values), dtype=object), utc=True, format="ISO8601")


def period_dates(values: Iterable) -> np.ndarray:
    """Periods as the driver hands them back (ISO text on SQLite, dates on PostgreSQL) as ``date``, each
    distinct value converted once (a million rows hold a few hundred periods); None stays None."""
    codes, uniques = pd.factorize(
        np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=object)
    )
    converted = [_as_date(v) for v in uniques] + [None]  # code -1 (None) picks the last
    return np.asarray(converted, dtype=object)[codes]


# ---------------------------------------------------------------- tables

districts = Table(
    "districts",
    metadata,
    Column("district", Integer, primary_key=True, autoincrement=False),
    Column("name_fa", String(64), nullable=False),
    Column("name_en", String(64), nullable=False),
    Column("population", Integer, nullable=False),
    Column("area_km2", Float, nullable=False),
    Column("tile_row", Integer, nullable=False),
    Column("tile_col", Integer, nullable=False),
)

metrics = Table(
    "metrics",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name_fa", String(200), nullable=False, unique=True),
    Column("name_en", String(200), nullable=False),
    Column("unit_fa", String(64), nullable=False),
    Column("aggregation", String(8), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("decimals", Integer, nullable=False),
    Column("per_capita", Integer, nullable=False),
    Column("min_value", Float),  # a value below is refused by the loader; NULL: no limit
    Column("max_value", Float),  # a value above is refused by the loader; NULL: no limit
    Column("sort_order", Integer, nullable=False, server_default="0"),  # the metric's place in the catalog
    Column("public", Integer, nullable=False, server_default="0"),  # 1: shown on the public page
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_loaded", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("loaded_by", String(200), nullable=False),
    Column("loaded_at", UtcDateTime(), nullable=False),
    # 'observations' | 'targets' | 'boundaries' | 'sample'
    Column("kind", String(16), nullable=False, server_default="observations"),
    # 'active' | 'rolled_back'
    Column("status", String(16), nullable=False, server_default="active"),
    Column("rolled_back_at", UtcDateTime()),
    Column("rolled_back_by", String(200)),
    # how the batch's keys stood against the store when it landed; NULL: loaded before the store kept
    # its history (revision 0005), so it cannot be rolled back
    Column("rows_new", Integer, server_default="0"),
    Column("rows_changed", Integer, server_default="0"),
    Column("rows_unchanged", Integer, server_default="0"),
    Column("lenient", Integer, nullable=False, server_default="0"),  # 1: loaded with its bad rows skipped
    Column("notes", MessageList),  # the loader's notes ("Gregorian dates converted"), a JSON list
    Column("sheet", String(200)),  # the Excel sheet read, when the file was a workbook
    Index("ix_batches_sha256", "sha256"),
)

# the original bytes of every file loaded, once per distinct content
source_files = Table(
    "source_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("stored_at", UtcDateTime(), nullable=False),
)

# what a batch wrote over a value the store already held: the value and batch it replaced (changed = 1)
# or met unchanged (changed = 0; the key keeps its batch). A key the batch added has no row here.
# Rollback walks these rows back to the newest value of a batch that is not rolled back. Only the batch
# writer inserts here, with the batch it has just recorded: no foreign key, whose per-row check would
# cost a big reload more than the rows themselves.
revisions = Table(
    "revisions",
    metadata,
    Column("batch_id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), primary_key=True),  # 'observation' | 'target'
    Column("metric", String(64), primary_key=True),
    Column("period", PeriodDate, primary_key=True),
    Column("district", Integer, primary_key=True),
    Column("old_value", Float),
    Column("old_batch_id", Integer),
    Column("new_value", Float),
    Column("changed", Integer, nullable=False, server_default="1"),
    Index("ix_revisions_key", "kind", "metric", "period", "district", "batch_id"),
    Index("ix_revisions_old_batch", "old_batch_id"),
)

# the rows a lenient load rejected, kept with its batch
batch_rejections = Table(
    "batch_rejections",
    metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("sheet", String(200)),
    Column("row", Integer),
    Column("column", String(200)),
    Column("value", Text),
    Column("reason", MessageText, nullable=False),
)

# who did what to the store, and when
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),  # 'load', 'rollback', 'catalog', 'sample', 'boundaries'...
    Column("batch_id", Integer),
    Column("detail", Text),  # JSON
)

observations = Table(
    "observations",
    metadata,
    Column("metric", String(64), ForeignKey("metrics.code"), primary_key=True),
    # first day (Gregorian) of the Jalali month
    Column("period", PeriodDate, primary_key=True),
    Column("district", Integer, ForeignKey("districts.district"), primary_key=True),
    Column("value", Float, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Index("ix_observations_period_metric", "period", "metric"),
    Index("ix_observations_batch", "batch_id"),
)

# what each batch brought per district and Jalali month: the first report of a month survives corrections
submissions = Table(
    "submissions",
    metadata,
    Column("batch_id", Integer, ForeignKey("batches.id"), primary_key=True),
    Column("district", Integer, ForeignKey("districts.district"), primary_key=True),
    Column("period", PeriodDate, primary_key=True),
    Column("metrics", Integer, nullable=False),
    Index("ix_submissions_period_district", "period", "district"),
)

# a target per metric, month and district; district 0 is the whole city
targets = Table(
    "targets",
    metadata,
    Column("metric", String(64), ForeignKey("metrics.code"), primary_key=True),
    Column("period", PeriodDate, primary_key=True),
    Column("district", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Index("ix_targets_period_metric", "period", "metric"),
)

# district boundaries (optional): a district's Polygon or MultiPolygon as GeoJSON text, simplified for
# drawing; the last boundaries file loaded replaces the whole set
boundaries = Table(
    "boundaries",
    metadata,
    Column("district", Integer, ForeignKey("districts.district"), primary_key=True, autoincrement=False),
    Column("geometry", Text, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("loaded_at", UtcDateTime(), nullable=False),
)

# ---------------------------------------------------------------- reviews (revision 0008)

# a district's notable action (a boulevard widened with a media plan...), recorded on a form or loaded
# from a file (then with its batch, so rolling the batch back removes it)
actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("district", Integer, ForeignKey("districts.district"), nullable=False),
    Column("occurred_on", Date, nullable=False),  # Gregorian date of the action
    Column("category", String(100), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    # its coverage; NULL: not known
    Column("news_items", Integer),
    Column("social_posts", Integer),
    Column("public_meetings", Integer),
    Column("links", Text, nullable=False, server_default="[]"),  # JSON list of addresses
    Column("feedback", Text),  # citizens' feedback, when known
    Column("public", Integer, nullable=False, server_default="0"),  # 1: shown on the public page
    Column("batch_id", Integer, ForeignKey("batches.id")),  # the file it came in; NULL: a form
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_actions_district_date", "district", "occurred_on"),
    Index("ix_actions_batch", "batch_id"),
)

# a district's review meeting: planned (the calendar), held (with attendees and decisions) or cancelled
meetings = Table(
    "meetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("district", Integer, ForeignKey("districts.district"), nullable=False),
    Column("planned_on", Date, nullable=False),
    Column("held_on", Date),
    Column("status", String(16), nullable=False, server_default="planned"),  # planned | held | cancelled
    Column("attendees", Text, nullable=False, server_default=""),
    Column("decisions", Text, nullable=False, server_default=""),  # the minutes' decisions
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_meetings_district_planned", "district", "planned_on"),
)

# what a district agreed to do; 'late' is derived (open past its due date in Tehran), never stored
commitments = Table(
    "commitments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("district", Integer, ForeignKey("districts.district"), nullable=False),
    Column("meeting_id", Integer, ForeignKey("meetings.id")),
    Column("text", Text, nullable=False),
    Column("metric", String(64), ForeignKey("metrics.code")),  # the metric it should move, if any
    Column("owner", String(200), nullable=False, server_default=""),
    Column("made_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),  # open | done | dropped
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_commitments_district", "district", "status"),
)

# every change of a commitment, dated and signed (the first row: its making)
commitment_events = Table(
    "commitment_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("commitment_id", Integer, ForeignKey("commitments.id"), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("old_status", String(16)),
    Column("new_status", String(16), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Index("ix_commitment_events_commitment", "commitment_id", "at"),
)

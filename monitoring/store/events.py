"""The event-type table: which metric an event log's type word counts into.

An event log has one row per event (a public meeting, a news item...) and a type column; the
loader counts the rows of each type into a metric. ``event_types`` maps ``text_key(word)`` to a
metric code; ``sample_data/event_types.csv`` seeds it (``seed_event_types``, from ``ensure_ready``).
Only countable metrics are named: those the catalog sums and whose unit is a count (training
hours are summed, but an event is not an hour).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Column, Engine, ForeignKey, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from monitoring.store.queries import metric_catalog_on
from monitoring.store.schema import metadata
from monitoring.text import text_key

SEED_FILE = Path(__file__).resolve().parents[2] / "sample_data" / "event_types.csv"

event_types_table = Table(
    "event_types",
    metadata,
    Column("word_key", String(200), primary_key=True),  # text_key(word): how a type cell is matched
    Column("word", String(200), nullable=False),  # as written in the seed, for people to read
    Column("metric", String(64), ForeignKey("metrics.code"), nullable=False),
)


class EventTypeError(ValueError):
    """A seed row that names no metric, or two metrics for one word."""


def read_seed(path: Path = SEED_FILE) -> list[tuple[str, str]]:
    """(word, metric code) rows of an event-type seed file, in its order; a word that folds to the
    key of an earlier word with another metric is an error."""
    rows: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            word, code = (row.get("word") or "").strip(), (row.get("metric") or "").strip()
            if not word or not code:
                raise EventTypeError(f"{path.name}: row {line} needs a word and a metric")
            key = text_key(word)
            if seen.get(key, code) != code:
                raise EventTypeError(f"{path.name}: row {line}: '{word}' already counts into '{seen[key]}'")
            seen[key] = code
            rows.append((word, code))
    return rows


@lru_cache(maxsize=1)
def _seed_words() -> tuple[tuple[str, str], ...]:
    return tuple((text_key(word), code) for word, code in read_seed())


def event_type_seed() -> dict[str, str]:
    """The seed's words, ``text_key(word)`` -> metric code: what a reader uses without a store."""
    return dict(_seed_words())


def event_types(engine: Engine) -> dict[str, str]:
    """The store's event types, ``text_key(word)`` -> metric code."""
    t = event_types_table.c
    with engine.connect() as conn:
        return {key: code for key, code in conn.execute(select(t.word_key, t.metric).order_by(t.word_key))}


def seed_event_types(engine: Engine, path: Path = SEED_FILE) -> int:
    """Add the seed's words the store does not have yet (a word already stored keeps its metric), for
    the metrics the store's catalog sums; returns how many were added."""
    seed = read_seed(path)
    t = event_types_table.c
    with engine.begin() as conn:
        catalog = metric_catalog_on(conn)
        stored = set(conn.execute(select(t.word_key)).scalars())
        rows, keys = [], set()
        for word, code in seed:
            key = text_key(word)
            metric = catalog.get(code)
            if key in stored or key in keys or metric is None or metric.aggregation != "sum":
                continue
            keys.add(key)
            rows.append({"word_key": key, "word": word, "metric": code})
        if rows:  # a word a concurrent writer without the startup lock stored first is kept as it is
            dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
            conn.execute(dialect.insert(event_types_table).on_conflict_do_nothing(index_elements=["word_key"]), rows)
    return len(rows)

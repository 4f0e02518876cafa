"""Open the database and bring its schema up to date with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its folder, WAL and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Apply every Alembic migration up to ``revision`` not yet applied (safe with replicas
    starting at once). Tests pass an older revision to build a store as it once was."""
    cfg = _alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def ensure_ready(engine: Engine) -> None:
    """Migrate, then write the seed files (districts, the metric catalog, the event-type words)
    into the store, which is the one source of them at run time. Replicas preparing one database
    at once take turns (``startup_lock``), so none meets a seed row another one is writing."""
    from monitoring.store.events import seed_event_types
    from monitoring.store.writes import seed_reference

    with startup_lock(engine):
        migrate(engine)
        seed_reference(engine)
        seed_event_types(engine)  # once the catalog is there


def short_reason(exc: BaseException) -> str:
    """One line saying why the database failed, without SQLAlchemy's background links."""
    inner = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    text = lines[0] if lines else type(inner).__name__
    return text[:300]


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock shared by every replica while one of them prepares a new store.

    On PostgreSQL a session advisory lock, so two replicas starting at once do not both load
    the sample data; SQLite serves one machine, whose writers its own file lock already queues.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(7304002)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(7304002)"))
            conn.commit()

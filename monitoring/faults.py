"""Telling a database fault (down, unreachable, busy, damaged) from a fault in our own code.

A database that cannot be reached or is locked by another program is the operator's business
and gets a message saying what to do; anything else (a ``ProgrammingError`` from a query we
wrote, an ``IntegrityError``, a ``KeyError`` in the sample generator) is a bug and goes through
``monitoring.logs.report_unexpected``. No SQL here; only exception types and codes.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from monitoring.message import Message

# PostgreSQL SQLSTATEs that mean "someone else holds what you need; try again"
_PG_BUSY_STATES = {"55P03", "40P01", "40001"}  # lock not available, deadlock, serialization failure
_SQLITE_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
# SQLite raises OperationalError for its file's troubles and for our SQL's ("no such column",
# "syntax error") alike; only these words say the file is the trouble
_SQLITE_FILE_WORDS = (
    "unable to open",
    "disk i/o error",
    "readonly database",
    "read-only",
    "database or disk is full",
    "file is not a database",
    "malformed",
    "out of memory",
    "not authorized",
)


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the DBAPI error it wraps and its causes, each once."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def is_database_busy(exc: BaseException) -> bool:
    """True when the database refused because another program holds a lock (SQLite's "database is
    locked", PostgreSQL's lock-not-available or deadlock): trying again later is the fix."""
    for item in _chain(exc):
        if isinstance(item, sa_exc.SQLAlchemyError):
            continue
        state = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if state in _PG_BUSY_STATES:
            return True
        if type(item).__module__.startswith("sqlite3") and any(w in str(item).lower() for w in _SQLITE_BUSY_WORDS):
            return True
    return False


def is_database_fault(exc: BaseException) -> bool:
    """True for a fault of the database itself or of the way to it: unreachable server, refused
    login, dropped connection, pool timeout, unreadable or damaged file, busy. False for errors our
    code causes (bad SQL, a broken constraint, wrong parameters) and for everything else."""
    if is_database_busy(exc):
        return True
    if is_sqlite_fault(exc) and isinstance(exc, sa_exc.DatabaseError):
        reason = str(getattr(exc, "orig", None) or exc).lower()
        return any(word in reason for word in _SQLITE_FILE_WORDS)
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    if isinstance(exc, (sa_exc.DisconnectionError, sa_exc.TimeoutError)):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    # a server's other DatabaseErrors (ProgrammingError, IntegrityError, DataError...) are ours to fix
    return False


def is_sqlite_fault(exc: BaseException) -> bool:
    return any(type(item).__module__.startswith("sqlite3") for item in _chain(exc))


def database_busy_message(exc: BaseException | None = None) -> Message:
    """ "The database file is busy; try again" (SQLite), or the same for a server's lock."""
    if exc is None or is_sqlite_fault(exc):
        return Message(
            fa="فایل پایگاه داده مشغول است (برنامهٔ دیگری آن را قفل کرده)؛ کمی بعد دوباره تلاش کنید",
            en="the database file is busy (locked by another program); try again in a moment",
        )
    return Message(
        fa="پایگاه داده مشغول است (برنامهٔ دیگری قفلی روی داده‌ها دارد)؛ کمی بعد دوباره تلاش کنید",
        en="the database is busy (another program holds a lock on the data); try again in a moment",
    )


# PostgreSQL SQLSTATEs after which the whole transaction may simply run again
_PG_RETRY_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def is_retryable_conflict(exc: BaseException) -> bool:
    """True when PostgreSQL aborted a transaction because it met another one (a deadlock or a
    serialization failure): running the same transaction again is the fix."""
    for item in _chain(exc):
        if isinstance(item, sa_exc.SQLAlchemyError):
            continue
        state = getattr(item, "sqlstate", None) or getattr(item, "pgcode", None)
        if state in _PG_RETRY_STATES:
            return True
    return False

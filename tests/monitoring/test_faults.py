"""A database fault is told apart from a fault in our own code, and a lock from an outage."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from monitoring import faults


def _raised(engine, sql: str) -> Exception:
    with pytest.raises(Exception) as caught, engine.connect() as conn:
        conn.execute(text(sql))
    return caught.value


@pytest.fixture
def locked_sqlite(tmp_path):
    """A SQLite file that another program holds an exclusive lock on, and an engine that waits 0.1 s."""
    path = tmp_path / "busy.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE t (x INTEGER)")
    other.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    yield engine
    engine.dispose()
    other.execute("ROLLBACK")
    other.close()


def test_a_locked_sqlite_file_is_busy_and_a_database_fault(locked_sqlite):
    exc = _raised(locked_sqlite, "SELECT * FROM t")
    assert isinstance(exc, OperationalError)
    assert faults.is_database_busy(exc) and faults.is_database_fault(exc)
    assert faults.database_busy_message(exc).en.startswith("the database file is busy (locked by another program)")


def test_an_unopenable_sqlite_file_is_a_database_fault_but_not_busy(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.sqlite'}")
    exc = _raised(engine, "SELECT 1")
    assert faults.is_database_fault(exc) and not faults.is_database_busy(exc)


def test_our_own_bad_sql_on_sqlite_is_not_a_database_fault(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'ok.sqlite'}")
    exc = _raised(engine, "SELECT no_such_column FROM no_such_table")
    assert isinstance(exc, OperationalError)  # SQLite's class for everything
    assert not faults.is_database_fault(exc)


@pytest.mark.parametrize(
    "exc",
    [
        KeyError("metric"),
        ZeroDivisionError("division by zero"),
        ProgrammingError("SELECT", {}, Exception("syntax error")),
        IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")),
    ],
)
def test_errors_of_our_own_code_are_not_database_faults(exc):
    assert not faults.is_database_fault(exc)


def test_a_postgres_lock_timeout_is_busy():
    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    exc = OperationalError("UPDATE", {}, LockNotAvailable("could not obtain lock"))
    assert faults.is_database_busy(exc)
    assert "database is busy" in faults.database_busy_message(exc).en

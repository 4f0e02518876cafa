"""One place that builds the test databases, for unit, page and browser tests."""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_loaders import sample  # noqa: E402
from monitoring import store  # noqa: E402

# CI explores the same examples on every run (HYPOTHESIS_PROFILE=ci in .ci/run): a failure there is
# reproducible; a developer's runs keep drawing new examples
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# the sample data is generated as if today were this day: last complete month is Aban 1405
SAMPLE_TODAY = dt.date(2026, 11, 26)
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def engine(tmp_path):
    """A fresh, migrated, empty SQLite store."""
    eng = store.make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.ensure_ready(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory) -> Path:
    """A SQLite file holding the sample data, built once a session."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    eng = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(eng)
    sample.load_sample(eng, today=SAMPLE_TODAY)
    eng.dispose()
    return path


@pytest.fixture
def sample_engine(sample_db_path):
    eng = store.make_engine(f"sqlite:///{sample_db_path}")
    yield eng
    eng.dispose()


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """The address of a new, empty PostgreSQL database on the test server, dropped afterwards
    (whoever is still connected)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine():
    """A fresh PostgreSQL database on the real server, migrated and seeded, dropped afterwards."""
    with scratch_postgres_database("dash_test") as url:
        eng = store.make_engine(url)
        store.ensure_ready(eng)
        yield eng
        eng.dispose()

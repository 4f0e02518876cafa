"""The suite's shared fixtures, and its tiers.

One place builds the test databases (unit, page and browser tests), the page tests' AppTest, the
served dashboard and the Chromium the browser tests drive. Tiers come from what a test uses: a test
that asks for a browser or a served dashboard is marked ``browser``, one that asks for a PostgreSQL
database (``pg_engine``, ``any_engine[postgres]``...) ``postgres``; ``libreoffice`` and ``nginx`` tests
are ``slow`` too. ``make test-fast`` deselects browser, postgres and slow, and then refuses to start a
child process: a test that runs one (a command line, a server, LibreOffice) fails there, naming the
marker it lacks, instead of quietly slowing the fast tier down.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing.popen_spawn_posix as popen_spawn_posix
import os
import re
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from data_loaders import sample
from monitoring import config, store
from tests.access import accounts_env

# pytest puts the project's root on sys.path (tests/ is a package), and `pip install -e .` installs it
ROOT = Path(__file__).resolve().parent.parent

# CI explores the same examples on every run (HYPOTHESIS_PROFILE=ci in .ci/run): a failure there is
# reproducible; a developer's runs keep drawing new examples
settings.register_profile("ci", derandomize=True, deadline=None)
# make test-fast draws fewer examples of each property (make test and CI draw the full number)
settings.register_profile("fast", max_examples=25)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# the sample data is generated as if today were this day: last complete month is Aban 1405
SAMPLE_TODAY = dt.date(2026, 11, 26)
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DASHBOARD = str(ROOT / "dashboard.py")

# ---------------------------------------------------------------- tiers

# a test that asks for one of these fixtures (directly or through another) gets these markers
MARKS_BY_FIXTURE: dict[str, tuple[str, ...]] = {
    "browser": ("browser",),
    "dashboard": ("browser",),
    "served": ("browser",),
    "live_dashboard": ("browser",),
    "pg_engine": ("postgres",),
    "blank_postgres": ("postgres",),
    "blank_pg_url": ("postgres",),
    "replicas": ("postgres", "nginx", "browser"),
}
# a parameter with this value (``any_engine[postgres]``, ``blank_engine[postgres]``) needs PostgreSQL
POSTGRES_PARAM = "postgres"
# these need a program that is slow to start: the fast tier leaves them out
SLOW_MARKERS = {"libreoffice", "nginx"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        wanted: set[str] = set()
        for name in getattr(item, "fixturenames", ()):
            wanted.update(MARKS_BY_FIXTURE.get(name, ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None and any(isinstance(v, str) and v == POSTGRES_PARAM for v in callspec.params.values()):
            wanted.add("postgres")
        if SLOW_MARKERS & {m.name for m in item.iter_markers()} or SLOW_MARKERS & wanted:
            wanted.add("slow")
        for name in sorted(wanted - {m.name for m in item.iter_markers()}):
            item.add_marker(name)


def _fast_tier(config: pytest.Config) -> bool:
    """True when slow tests are deselected (``make test-fast``)."""
    return re.search(r"\bnot\s+slow\b", config.getoption("markexpr") or "") is not None


class _NoChildProcess(subprocess.Popen):
    """What ``subprocess.Popen`` is in the fast tier: starting a process fails the test."""

    def __init__(self, args, *more, **kwargs) -> None:
        self._child_created = False  # for Popen.__del__
        raise pytest.fail.Exception(
            f"this test starts a child process ({args!r}): mark it slow (or browser, postgres, libreoffice) "
            "so that make test-fast leaves it out",
            pytrace=False,
        )


_POPEN = pytest.StashKey[type]()
_SPAWN = pytest.StashKey[object]()


def pytest_configure(config: pytest.Config) -> None:
    # no test reaches the checkout's own store (data/dashboard.sqlite): a test that names no store of
    # its own gets a scratch file (the workers of pytest-xdist inherit the controller's)
    if not os.environ.get("DASHBOARD_DB_PATH"):
        scratch = Path(tempfile.mkdtemp(prefix="dashboard-tests-")) / "dashboard.sqlite"
        os.environ["DASHBOARD_DB_PATH"] = str(scratch)
    # from the start, so that a module or session fixture that starts a server is caught as well
    if _fast_tier(config):
        if "HYPOTHESIS_PROFILE" not in os.environ:
            settings.load_profile("fast")
        # with pytest-xdist (make test-fast runs two workers) the controlling process starts the workers as
        # child processes and a worker describes its platform at its session's start: a worker refuses them
        # from then on (pytest_sessionstart below), the controller never
        if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
            return
        _refuse_child_processes(config)


def _refuse_child_processes(config: pytest.Config) -> None:
    config.stash[_POPEN] = subprocess.Popen
    subprocess.Popen = _NoChildProcess  # type: ignore[misc]
    # multiprocessing's spawn starts a fresh interpreter without subprocess.Popen (a fork is cheap and allowed)
    config.stash[_SPAWN] = popen_spawn_posix.Popen._launch
    popen_spawn_posix.Popen._launch = _no_spawn  # type: ignore[method-assign]


def _no_spawn(self, process_obj) -> None:
    raise pytest.fail.Exception(
        "this test starts a Python interpreter (multiprocessing's spawn): mark it slow so that make test-fast "
        "leaves it out",
        pytrace=False,
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if _fast_tier(config) and hasattr(config, "workerinput") and _POPEN not in config.stash:
        _refuse_child_processes(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _POPEN in config.stash:
        subprocess.Popen = config.stash[_POPEN]  # type: ignore[misc]
    if _SPAWN in config.stash:
        popen_spawn_posix.Popen._launch = config.stash[_SPAWN]  # type: ignore[method-assign]


# ---------------------------------------------------------------- settings

# monitoring.config.settings() reads the environment once a process; a test that changes the environment
# (monkeypatch.setenv / delenv, and the undoing of them) makes the next call read it again


def _settings_follow(method):
    def changed(self, *args, **kwargs):
        out = method(self, *args, **kwargs)
        config.settings.cache_clear()
        return out

    return changed


for _name in ("setenv", "delenv", "undo"):
    setattr(pytest.MonkeyPatch, _name, _settings_follow(getattr(pytest.MonkeyPatch, _name)))


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    config.settings.cache_clear()
    yield
    config.settings.cache_clear()


# ---------------------------------------------------------------- stores


@pytest.fixture(scope="session")
def empty_store_path(tmp_path_factory) -> Path:
    """A SQLite file migrated and seeded as a first start leaves it, built once a session (a worker):
    ``engine`` copies it rather than running the migrations for every test."""
    path = tmp_path_factory.mktemp("empty-store") / "store.sqlite"
    eng = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(eng)
    eng.dispose()
    return path


@pytest.fixture
def engine(tmp_path, empty_store_path):
    """A fresh, migrated, empty SQLite store (a copy of ``empty_store_path``)."""
    import shutil

    path = tmp_path / "store.sqlite"
    shutil.copyfile(empty_store_path, path)
    eng = store.make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def sample_db_path(tmp_path_factory) -> Path:
    """A SQLite file holding the sample figures (without the sample's reviews: the tests of the review
    pages add the actions, meetings and commitments they read; ``sample_reviews_db_path`` has them),
    built once a session."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    eng = store.make_engine(f"sqlite:///{path}")
    store.ensure_ready(eng)
    sample.load_sample(eng, today=SAMPLE_TODAY, reviews=False)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def sample_reviews_db_path(sample_db_path, tmp_path_factory) -> Path:
    """A copy of the sample store with the sample's actions, meetings and commitments added, as a fresh
    ``make run`` has them, built once a session."""
    import shutil

    from data_loaders import sample_reviews

    path = tmp_path_factory.mktemp("sample-reviews") / "sample.sqlite"
    shutil.copyfile(sample_db_path, path)
    eng = store.make_engine(f"sqlite:///{path}")
    sample_reviews.seed(eng, today=SAMPLE_TODAY)
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


@pytest.fixture(params=["sqlite", pytest.param(POSTGRES_PARAM, marks=pytest.mark.postgres)])
def any_engine(request):
    """The same test on a fresh SQLite store and on a fresh PostgreSQL database."""
    return request.getfixturevalue("engine" if request.param == "sqlite" else "pg_engine")


# ---------------------------------------------------------------- pages under AppTest

# Streamlit 1.67's AppTest scans the metadata of every installed distribution for custom components
# (streamlit.components.v2.manifest_scanner.scan_component_manifests) on each new AppTest: ~0.4 s, a
# third of a short page test. The installed packages do not change during a session, so each test
# process scans once. tests/test_tiers.py fails when AppTest stops calling the scanner (this patch is
# then dead weight: remove it) and an upgrade that renames it fails here, at the suite's start.
SCANS = {"scanned": 0, "asked": 0}


def _scan_components_once() -> None:
    from streamlit.components.v2 import manifest_scanner

    from ui import seam

    # registered in ui/seam.py's PRIVATE_APIS (make check-streamlit-upgrade lists it when it is gone)
    assert any(api.attribute == "scan_component_manifests" for api in seam.PRIVATE_APIS)
    scan = manifest_scanner.scan_component_manifests
    found: dict[object, list] = {}

    def once(*args, **kwargs):
        SCANS["asked"] += 1
        key = (args, tuple(sorted(kwargs.items())))
        if key not in found:
            SCANS["scanned"] += 1
            found[key] = scan(*args, **kwargs)
        return list(found[key])

    manifest_scanner.scan_component_manifests = once


_scan_components_once()


@pytest.fixture
def app(sample_db_path, monkeypatch):
    """dashboard.py under AppTest on the sample store (not yet run)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB_PATH", str(sample_db_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return AppTest.from_file(DASHBOARD, default_timeout=60)


# ---------------------------------------------------------------- a served dashboard and Chromium


@contextmanager
def _serve_dashboard(store_path: Path, accounts: bool = True, timeout: float = 120, **env: str) -> Iterator[str]:
    """dashboard.py on a free port against the SQLite file ``store_path`` (a first start migrates it and
    loads the sample data); with ``accounts``, the test accounts file beside it (the upload page needs a
    signed-in administrator). ``env`` adds settings. Yields the base URL."""
    from tools.streamlit_server import serve

    environ = {"DASHBOARD_DB_PATH": str(store_path), "DATABASE_URL": "", "DASHBOARD_SAMPLE": "1", **env}
    if accounts:
        environ.update(accounts_env(store_path.parent))
    with serve("dashboard.py", env=environ, timeout=timeout) as url:
        yield url


@pytest.fixture(scope="session")
def serve_dashboard():
    """``with serve_dashboard(store_path, accounts=True, timeout=120, **env) as url``: for a module whose
    served dashboard needs a store or settings of its own."""
    return _serve_dashboard


@pytest.fixture(scope="module")
def dashboard_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's served dashboard keeps its SQLite store (empty until the server starts)."""
    return tmp_path_factory.mktemp("dashboard-store") / "dashboard.sqlite"


@pytest.fixture(scope="module")
def dashboard(dashboard_store: Path, serve_dashboard) -> Iterator[str]:
    """dashboard.py served on a free port on a fresh SQLite store of the module's own, with the sample
    data and the test accounts; a module that needs another store overrides this with serve_dashboard."""
    with serve_dashboard(dashboard_store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for the module's tests (each opens its own page); closed before the next module,
    whose tests may launch their own."""
    from tools.browser import launch

    with launch() as b:
        yield b


@pytest.fixture
def menu(monkeypatch) -> list[str]:
    """The url paths of the pages the last run put in the menu (the hidden ones left out)."""
    import streamlit

    shown: list[str] = []
    navigation = streamlit.navigation

    def spy(pages, **kwargs):
        shown[:] = [p.url_path for p in pages if p.visibility == "visible"]
        return navigation(pages, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", spy)
    return shown

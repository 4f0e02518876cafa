"""The suite's tiers hold: what a test needs gives it its markers, and the fast tier runs nothing it
should not (``make test-fast``: no browser, PostgreSQL, LibreOffice, nginx or child process)."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

import pytest

from tests import conftest

BROWSER_FOLDERS = ("tests/browser/", "tests/replicas/")


def _path(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def test_every_collected_test_carries_the_markers_of_the_fixtures_it_uses(request):
    missing = [
        (item.nodeid, marker)
        for item in request.session.items
        for name in getattr(item, "fixturenames", ())
        for marker in conftest.MARKS_BY_FIXTURE.get(name, ())
        if item.get_closest_marker(marker) is None
    ]
    assert missing == []


def test_every_test_in_the_browser_folders_is_marked_browser(request):
    unmarked = [
        item.nodeid
        for item in request.session.items
        if _path(item).startswith(BROWSER_FOLDERS) and item.get_closest_marker("browser") is None
    ]
    assert unmarked == []


def test_a_test_on_postgresql_is_marked_postgres_and_libreoffice_or_nginx_is_slow(request):
    wrong = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec else ()
        if any(isinstance(v, str) and v == "postgres" for v in params) and not item.get_closest_marker("postgres"):
            wrong.append((item.nodeid, "postgres"))
        if conftest.SLOW_MARKERS & {m.name for m in item.iter_markers()} and not item.get_closest_marker("slow"):
            wrong.append((item.nodeid, "slow"))
    assert wrong == []


def test_the_fast_tier_holds_no_test_it_deselects(request):
    if not conftest._fast_tier(request.config):
        pytest.skip("only the fast tier deselects")
    kept = [
        item.nodeid
        for item in request.session.items
        if {m.name for m in item.iter_markers()} & {"browser", "postgres", "slow", "libreoffice", "nginx"}
    ]
    assert kept == []


@pytest.mark.parametrize(
    ("expression", "fast"),
    [
        ("not browser and not postgres and not slow", True),
        ("not slow", True),
        ("not browser and not postgres", False),
        ("slow", False),
        ("", False),
    ],
)
def test_the_fast_tier_is_the_one_that_leaves_slow_tests_out(expression, fast):
    config = type("Config", (), {"getoption": lambda self, name: expression})()
    assert conftest._fast_tier(config) is fast


def test_a_child_process_in_the_fast_tier_fails_naming_the_marker_to_add():
    with pytest.raises(pytest.fail.Exception, match="mark it slow"):
        conftest._NoChildProcess([sys.executable, "-c", "pass"])


def test_the_fast_tier_refuses_a_child_process_started_through_subprocess_run(request):
    if not conftest._fast_tier(request.config):
        pytest.skip("child processes are refused only in the fast tier")
    with pytest.raises(pytest.fail.Exception, match="mark it slow"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


def _nothing() -> None:
    return None


def test_the_fast_tier_refuses_a_python_interpreter_started_by_multiprocessing_spawn(request):
    if not conftest._fast_tier(request.config):
        pytest.skip("child processes are refused only in the fast tier")
    process = multiprocessing.get_context("spawn").Process(target=_nothing)
    with pytest.raises(pytest.fail.Exception, match="mark it slow"):
        process.start()


def test_a_fresh_engine_is_a_migrated_empty_store_of_its_own(engine, empty_store_path):
    from sqlalchemy import inspect

    assert "observations" in inspect(engine).get_table_names()
    assert engine.url.database != str(empty_store_path)


def test_apptest_still_asks_the_component_scanner_that_the_suite_runs_once(app):
    """The conftest patch of Streamlit 1.67's component scan (one scan a test process) still reaches
    what AppTest calls: two fresh AppTests ask for it, at most one scan is made."""
    from streamlit.testing.v1 import AppTest

    asked, scanned = conftest.SCANS["asked"], conftest.SCANS["scanned"]
    app.run()
    AppTest.from_file(conftest.DASHBOARD, default_timeout=60).run()
    assert conftest.SCANS["asked"] >= asked + 2
    assert conftest.SCANS["scanned"] <= max(scanned, 1)


def test_no_test_names_the_checkouts_own_store_unless_it_sets_one():
    from monitoring import config

    assert config.settings().database_url != f"sqlite:///{config.DEFAULT_DB_PATH}"

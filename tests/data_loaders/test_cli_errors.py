"""The command line when something goes wrong: a bug in our code is logged with its traceback under a
reference the user can quote; a database fault is told as one, and a locked file as busy."""

from __future__ import annotations

import logging
import os
import pty
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from data_loaders import cli, sample
from monitoring import logs, store

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"E-[0-9A-F]{8}")


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    """A store file of the test's own, and the root logger left as it was found."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DASHBOARD_LOG_FILE", raising=False)
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "store.sqlite"))
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield tmp_path / "store.sqlite"
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:], root.level = saved[0][:], saved[1]


def _broken_generate(*args, **kwargs):
    raise ZeroDivisionError("a bug in the sample generator")


def test_fault_in_the_sample_generator_exits_2_with_a_reference_not_a_database_error(monkeypatch, capsys, caplog):
    monkeypatch.setattr(sample, "generate", _broken_generate)
    code = cli.main(["sample"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE
    [user_line] = [line for line in err.splitlines() if "quote this reference" in line]
    [reference] = set(REFERENCE.findall(user_line))
    assert user_line.startswith(f"خطای پیش‌بینی‌نشده‌ای رخ داد؛ این کد را به پشتیبانی بدهید: {reference} / ")
    assert "database" not in user_line.lower() and "DATABASE_URL" not in err
    assert "Traceback" not in out
    [record] = [r for r in caplog.records if r.exc_info]
    assert reference in record.getMessage() and "python -m data_loaders sample" in record.getMessage()
    assert "Traceback" in caplog.text and "_broken_generate" in caplog.text


def test_fault_in_our_code_while_loading_a_file_is_reported_in_that_files_result(tmp_path, monkeypatch, capsys, caplog):
    def broken_load_path(*args, **kwargs):
        raise KeyError("catalog")

    monkeypatch.setattr(cli, "load_path", broken_load_path)
    path = tmp_path / "any.csv"
    path.write_text("district,metric,period,value\n1,news_published,1404/07,5\n", encoding="utf-8")
    code = cli.main(["load", "--json", str(path)])
    out, _ = capsys.readouterr()
    assert code == cli.EXIT_USAGE
    [reference] = set(REFERENCE.findall(out))
    assert "quote this reference" in out and "Traceback" not in out
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_locked_sqlite_file_is_reported_as_busy_not_as_a_wrong_database_url(own_store, monkeypatch, capsys):
    engine = store.make_engine(f"sqlite:///{own_store}")
    store.ensure_ready(engine)
    engine.dispose()
    # the store waits 30 s for a lock; the test waits a tenth of a second
    monkeypatch.setattr(store, "make_engine", lambda url: create_engine(url, connect_args={"timeout": 0.1}))
    other = sqlite3.connect(own_store, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code = cli.main(["sample"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    _, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE
    assert "the database file is busy (locked by another program); try again" in err
    assert "فایل پایگاه داده مشغول است" in err
    assert "DATABASE_URL" not in err and "Traceback" not in err


@pytest.mark.slow
def test_on_a_terminal_the_traceback_goes_to_the_log_file_and_the_screen_gets_the_reference(tmp_path):
    script = (
        "import sys\n"
        "from data_loaders import cli, sample\n"
        "def _broken_generate(*a, **k):\n"
        "    raise ZeroDivisionError('a bug in the sample generator')\n"
        "sample.generate = _broken_generate\n"
        "sys.exit(cli.main(['sample']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DASHBOARD_LOG_FILE")}
    env.update(
        PYTHONPATH=str(ROOT), DASHBOARD_DB_PATH=str(tmp_path / "store.sqlite"), XDG_STATE_HOME=str(tmp_path / "state")
    )
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=env, stderr=follower, stdout=subprocess.PIPE, timeout=120
        )
        os.close(follower)
        screen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            screen += chunk
    finally:
        os.close(leader)
    screen_text = screen.decode("utf-8")
    assert done.returncode == cli.EXIT_USAGE
    [reference] = set(REFERENCE.findall(screen_text))
    assert "quote this reference to support" in screen_text
    assert "Traceback" not in screen_text + done.stdout.decode("utf-8")
    log = (tmp_path / "state" / "tehran-dashboard" / "data_loaders.log").read_text(encoding="utf-8")
    assert reference in log and "Traceback (most recent call last)" in log and "_broken_generate" in log
    assert str(tmp_path / "state") in screen_text  # the user is told where the details are


def test_default_log_file_follows_xdg_state_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert cli.default_log_file() == tmp_path / "tehran-dashboard" / "data_loaders.log"


def test_report_unexpected_is_what_the_command_line_uses():
    # the command line and the screens share one way of reporting; keep it that way
    assert cli.report_unexpected is logs.report_unexpected

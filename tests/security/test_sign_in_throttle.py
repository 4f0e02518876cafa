"""Guessing passwords: the tries are counted in the store, per account and per client address, so a
new session per try, another process or another replica gets no fresh tries; the count is exact when
tries arrive at once; a lock-out is lifted from the command line; a typed name that is no account is
never kept; the client's address is the socket's peer unless the peer is a trusted proxy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import multiprocessing

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from monitoring import cli, store
from monitoring.store.schema import audit_log
from tests.access import ADMIN, ADMIN_PASSWORD, use_test_accounts
from tests.conftest import scratch_postgres_database
from tests.views.test_pages_apptest import DASHBOARD, notes
from ui import auth

POLICY = store.ThrottlePolicy(free_tries=3, first_wait=10, longest_wait=300, lockout_after=6, lockout_minutes=60)
T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """The address of a fresh, migrated store of each kind, without the sample data."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
        eng = store.make_engine(url)
        store.ensure_ready(eng)
        eng.dispose()
        yield url
        return
    with scratch_postgres_database("dash_sec") as url:
        eng = store.make_engine(url)
        store.ensure_ready(eng)
        eng.dispose()
        yield url


@pytest.fixture
def dashboard_env(store_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    monkeypatch.delenv("DASHBOARD_DB_PATH", raising=False)
    monkeypatch.delenv("DASHBOARD_TRUSTED_PROXIES", raising=False)
    use_test_accounts(monkeypatch, tmp_path)
    return store_url


def _fresh_session_try(name: str, password: str) -> AppTest:
    """A new browser session (a new AppTest) that opens /upload and tries once."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.switch_page("views/upload.py").run()
    at.text_input(key="auth_gate_name").input(name)
    at.text_input(key="auth_gate_password").input(password)
    return at.button(key="auth_gate_submit").click().run()


def _signed_in(at: AppTest) -> bool:
    return len(list(at.get("file_uploader"))) >= 1


def test_the_try_after_the_free_ones_is_refused_whatever_the_session(dashboard_env):
    for _ in range(POLICY.free_tries):
        at = _fresh_session_try(ADMIN, "wrong-password")
        assert not at.exception and not _signed_in(at)
    at = _fresh_session_try(ADMIN, ADMIN_PASSWORD)  # the right password, in a brand-new session
    assert not at.exception and not _signed_in(at)
    (error,) = notes(at, "error")
    assert "ثانیهٔ دیگر دوباره تلاش کنید" in error and "try again in" in error


def test_the_right_password_after_a_wait_signs_in_and_gives_its_count_back(store_url):
    eng = store.make_engine(store_url)
    try:
        keys = [store.account_key("boss"), store.address_key("10.0.0.9")]
        for i in range(POLICY.free_tries):
            assert store.claim_sign_in(eng, keys, POLICY, T0 + dt.timedelta(seconds=i)).allowed
        refused = store.claim_sign_in(eng, keys, POLICY, T0 + dt.timedelta(seconds=5))
        assert not refused.allowed and not refused.locked and 0 < refused.wait_seconds <= 10
        later = T0 + dt.timedelta(seconds=20)
        assert store.claim_sign_in(eng, keys, POLICY, later).allowed
        store.sign_in_succeeded(eng, keys[0], [keys[1]])
        rows = store.throttled(eng, later).set_index("key")
        assert keys[0] not in rows.index and int(rows.loc[keys[1], "failures"]) == POLICY.free_tries
    finally:
        eng.dispose()


def _claim_many(url: str, count: int, queue) -> None:
    eng = store.make_engine(url)
    allowed = 0
    for _ in range(count):
        allowed += store.claim_sign_in(eng, [store.account_key("boss")], POLICY).allowed
    eng.dispose()
    queue.put(allowed)


@pytest.mark.slow  # two fresh interpreters (multiprocessing's spawn)
def test_two_processes_trying_at_once_get_the_free_tries_once_between_them(store_url):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_claim_many, args=(store_url, 6, queue)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    assert queue.get(timeout=5) + queue.get(timeout=5) == POLICY.free_tries


def test_a_lock_out_holds_until_an_administrator_lifts_it_from_the_command_line(dashboard_env, capsys):
    eng = store.make_engine(dashboard_env)
    try:
        keys = [store.account_key("boss")]
        now = T0
        for _ in range(POLICY.lockout_after):
            assert store.claim_sign_in(eng, keys, POLICY, now).allowed
            now += dt.timedelta(seconds=POLICY.longest_wait + 1)
        verdict = store.claim_sign_in(eng, keys, POLICY, now)
        assert not verdict.allowed and verdict.locked
        assert cli.main(["accounts", "locked"]) == 0
        assert "account:boss" in capsys.readouterr().out
        assert cli.main(["accounts", "unlock", ADMIN]) == 0
        assert "unlocked" in capsys.readouterr().out
        assert store.claim_sign_in(eng, keys, POLICY, now).allowed
    finally:
        eng.dispose()


def test_a_typed_name_that_is_no_account_is_never_kept_and_the_failure_is_logged_with_its_source(dashboard_env, caplog):
    typed = "my-secret-password-typed-as-name"
    with caplog.at_level(logging.INFO, logger="dashboard.audit"):
        at = _fresh_session_try(typed, "whatever-it-is")
    assert not at.exception and not _signed_in(at)
    (error,) = notes(at, "error")
    assert "No account" not in error and "accounts add" not in error  # nothing said about the accounts
    eng = store.make_engine(dashboard_env)
    try:
        keys = list(store.throttled(eng)["key"])
        with eng.connect() as conn:
            rows = conn.execute(select(audit_log.c.actor, audit_log.c.detail)).all()
    finally:
        eng.dispose()
    assert keys == [store.address_key("127.0.0.1")]  # AppTest has no socket: loopback
    assert [r.actor for r in rows] == ["-"] and typed not in json.dumps([r.detail for r in rows])
    failed = [r.getMessage() for r in caplog.records if "failed sign-in" in r.getMessage()]
    assert len(failed) == 1 and "from 127.0.0.1" in failed[0] and typed not in failed[0]


def test_a_flood_of_failures_leaves_only_a_few_rows_in_the_audit_log():
    kept = [n for n in range(1, 101) if auth._audit_failure_kept(n)]
    assert kept == [1, 2, 3, 4, 5, 8, 16, 32, 64]


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.7", "10.9.9.9", (), "203.0.113.7"),  # no trusted proxy: a client's header is ignored
        ("203.0.113.7", "10.9.9.9", ("127.0.0.1",), "203.0.113.7"),  # not from the proxy: ignored
        ("127.0.0.1", "10.1.2.3", ("127.0.0.1",), "10.1.2.3"),  # from the proxy: its word is taken
        ("127.0.0.1", "6.6.6.6, 10.1.2.3", ("127.0.0.1",), "10.1.2.3"),  # a forged first hop is skipped
        ("127.0.0.1", "", ("127.0.0.1",), "127.0.0.1"),
        ("10.0.0.2", "10.1.2.3, 10.0.0.1", ("10.0.0.1", "10.0.0.2"), "10.1.2.3"),  # two proxies in a row
    ],
)
def test_the_client_address_comes_from_x_forwarded_for_only_through_a_trusted_proxy(peer, forwarded, trusted, client):
    assert auth.forwarded_client(peer, forwarded, trusted) == client


def test_keys_quiet_for_a_day_are_forgotten_but_a_running_lock_out_is_kept(store_url):
    eng = store.make_engine(store_url)
    try:
        quiet, locked = store.address_key("10.0.0.1"), store.account_key("boss")
        store.claim_sign_in(eng, [quiet], POLICY, T0)
        long_lock = dataclasses.replace(POLICY, lockout_minutes=3 * 24 * 60)
        for i in range(POLICY.lockout_after):
            store.claim_sign_in(eng, [locked], long_lock, T0 + dt.timedelta(seconds=301 * i))
        later = T0 + dt.timedelta(days=2)
        store.claim_sign_in(eng, [store.address_key("10.0.0.2")], POLICY, later)
        keys = set(store.throttled(eng, later)["key"])
        assert quiet not in keys and locked in keys
    finally:
        eng.dispose()

"""Failed sign-ins, counted in the store so every session and every replica sees the same count.

One row a key: ``account:<name key>`` (only for an account that exists: a typed name is never
stored) and ``address:<client address>``. A try first *claims* its keys in one transaction: a key
still waiting or locked out refuses it without the password being checked; otherwise each key's
count goes up before the password is checked (so tries sent at once from many sessions are all
counted), and a try that succeeds gives its count back. After ``free_tries`` failures in a row a key
waits ``first_wait`` seconds, doubling up to ``longest_wait``; after ``lockout_after`` it is locked
out for ``lockout_minutes`` or until an administrator runs ``python -m monitoring accounts unlock``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Column, Engine, Integer, String, Table, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from monitoring.store.schema import UtcDateTime, as_utc, metadata

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_failure_at", UtcDateTime()),
    Column("blocked_until", UtcDateTime()),
    Column("locked_until", UtcDateTime()),
)

FORGET_AFTER = dt.timedelta(days=1)  # a key with no failure for this long starts again from nothing


@dataclass(frozen=True)
class ThrottlePolicy:
    free_tries: int = 3
    first_wait: float = 10.0  # seconds
    longest_wait: float = 300.0
    lockout_after: int = 10
    lockout_minutes: float = 60.0

    def wait_after(self, failures: int) -> float:
        """Seconds the next try waits after ``failures`` in a row."""
        if failures < self.free_tries:
            return 0.0
        return min(self.first_wait * 2 ** min(failures - self.free_tries, 30), self.longest_wait)


@dataclass(frozen=True)
class Verdict:
    allowed: bool  # the password may be checked
    wait_seconds: float = 0.0  # refused: how long until the next try may be checked
    locked: bool = False  # refused by a lock-out (an administrator may lift it)
    failures: int = 0  # the highest count of the keys, this try included


def account_key(name_key: str) -> str:
    return f"account:{name_key}"[:200]


def address_key(address: str) -> str:
    return f"address:{address}"[:200]


def _now(now: dt.datetime | None) -> dt.datetime:
    return as_utc(now) if now is not None else dt.datetime.now(dt.UTC)


def _insert(conn):
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(sign_in_throttle)


def claim_sign_in(
    engine: Engine, keys: Sequence[str], policy: ThrottlePolicy, now: dt.datetime | None = None
) -> Verdict:
    """Whether a try on ``keys`` may be checked now; if so it is counted as a failure until
    :func:`sign_in_succeeded` gives it back. Keys of one try are taken in one transaction (rows
    locked on PostgreSQL, the write lock on SQLite), so concurrent tries are counted one by one."""
    now = _now(now)
    keys = sorted(set(keys))
    t = sign_in_throttle.c
    with engine.begin() as conn:
        conn.execute(
            _insert(conn).on_conflict_do_nothing(index_elements=["key"]), [{"key": k, "failures": 0} for k in keys]
        )
        # keys with no failure for a day and no lock-out running are forgotten: the table stays small
        conn.execute(
            delete(sign_in_throttle).where(
                t.last_failure_at < now - FORGET_AFTER,
                or_(t.locked_until.is_(None), t.locked_until < now),
                t.key.not_in(keys),
            )
        )
        rows = conn.execute(
            select(t.key, t.failures, t.last_failure_at, t.blocked_until, t.locked_until)
            .where(t.key.in_(keys))
            .order_by(t.key)
            .with_for_update()
        ).all()
        wait, locked = 0.0, False
        for row in rows:
            for until, is_lock in ((row.locked_until, True), (row.blocked_until, False)):
                if until is not None and until > now:
                    wait = max(wait, (until - now).total_seconds())
                    locked = locked or is_lock
        if wait > 0:
            return Verdict(False, wait, locked, max((r.failures for r in rows), default=0))
        most = 0
        for row in rows:
            last = row.last_failure_at
            failures = (0 if last is None or now - last > FORGET_AFTER else int(row.failures)) + 1
            most = max(most, failures)
            blocked = now + dt.timedelta(seconds=policy.wait_after(failures)) if failures >= policy.free_tries else None
            lock = now + dt.timedelta(minutes=policy.lockout_minutes) if failures >= policy.lockout_after else None
            conn.execute(
                update(sign_in_throttle)
                .where(t.key == row.key)
                .values(failures=failures, last_failure_at=now, blocked_until=blocked, locked_until=lock)
            )
        return Verdict(True, 0.0, False, most)


def sign_in_succeeded(engine: Engine, account: str | None, others: Iterable[str] = ()) -> None:
    """The try claimed on ``account`` and ``others`` was right: the account starts again from nothing;
    each other key (the address) gets this try's count back, so a person who signs in from an address
    does not wipe out the failures others made from it."""
    t = sign_in_throttle.c
    with engine.begin() as conn:
        if account:
            conn.execute(delete(sign_in_throttle).where(t.key == account))
        for key in others:
            row = conn.execute(select(t.failures).where(t.key == key).with_for_update()).first()
            if row is None:
                continue
            conn.execute(
                update(sign_in_throttle)
                .where(t.key == key)
                .values(failures=max(int(row.failures) - 1, 0), blocked_until=None, locked_until=None)
            )


def unlock(engine: Engine, keys: Iterable[str]) -> int:
    """Forget the failures and lift the lock-out of ``keys``; returns how many keys had any."""
    keys = list(keys)
    with engine.begin() as conn:
        return conn.execute(delete(sign_in_throttle).where(sign_in_throttle.c.key.in_(keys))).rowcount or 0


def throttled(engine: Engine, now: dt.datetime | None = None) -> pd.DataFrame:
    """Every key with failures: key, failures, last_failure_at, blocked_until, locked_until, locked (now)."""
    now = _now(now)
    t = sign_in_throttle.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.key, t.failures, t.last_failure_at, t.blocked_until, t.locked_until)
            .where(t.failures > 0)
            .order_by(t.key)
        ).all()
    df = pd.DataFrame(
        [tuple(r) for r in rows], columns=["key", "failures", "last_failure_at", "blocked_until", "locked_until"]
    )
    for column in ("last_failure_at", "blocked_until", "locked_until"):  # UTC-aware, None where unset
        df[column] = [v if isinstance(v, dt.datetime) else None for v in df[column]]
    df["locked"] = [bool(v is not None and v > now) for v in df["locked_until"]]
    return df

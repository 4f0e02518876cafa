"""Settings read once from the environment, as a frozen dataclass."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = PROJECT_ROOT / "sample_data"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite"


@dataclass(frozen=True)
class Settings:
    database_url: str
    load_sample_when_empty: bool = True
    anomaly_z: float = 3.5  # a robust z-score beyond this is an anomaly (monitoring.alerts)
    anomaly_min_months: int = 6  # fewer months of history than this: no anomaly is judged
    target_green: float = 1.0  # attainment at or above: green
    target_amber: float = 0.9  # attainment at or above (below green): amber; below: red
    due_day: int = 5  # a month's report is due by the end of this day of the following Jalali month
    mover_min_change: float = 0.25  # a change smaller than this (relative) is not a «تغییر بزرگ»
    mover_min_base: float = 20.0  # a count's base below this is too small for a percentage change
    # sign-in and sessions (ui/auth.py, monitoring/store/throttle.py)
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For names the client; none: the socket peer
    signin_free_tries: int = 3  # failures in a row (per account, per address) before each try waits
    signin_lockout_after: int = 10  # failures in a row before the account or address is locked out
    signin_lockout_minutes: float = 60.0  # how long a lock-out lasts unless lifted: accounts unlock
    admin_idle_minutes: float = 30.0  # a signed-in session with no run for this long is signed out

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """``DATABASE_URL`` picks the database (PostgreSQL with ``postgresql+psycopg://``);
    otherwise a SQLite file at ``DASHBOARD_DB_PATH`` (default ``data/dashboard.sqlite``).
    ``DASHBOARD_SAMPLE=0`` keeps a first start from loading the sample data.
    Alerts: ``DASHBOARD_ANOMALY_Z`` (robust z-score threshold, 3.5), ``DASHBOARD_ANOMALY_MIN_MONTHS``
    (history needed, 6), ``DASHBOARD_TARGET_GREEN`` and ``DASHBOARD_TARGET_AMBER`` (attainment in
    percent for a green and an amber light, 100 and 90).
    Reporting: ``DASHBOARD_DUE_DAY`` (the day of the following Jalali month a report is due by, 1–31, 5;
    a day past the month's end means its last day).
    Movers: ``DASHBOARD_MOVER_MIN_CHANGE`` (the smallest change listed, in percent, 25) and
    ``DASHBOARD_MOVER_MIN_BASE`` (a count's smallest base, 20).
    Sign-in: ``DASHBOARD_TRUSTED_PROXIES`` (comma-separated addresses of proxies whose X-Forwarded-For is
    believed; unset: the socket's peer is the client), ``DASHBOARD_SIGNIN_FREE_TRIES`` (3),
    ``DASHBOARD_SIGNIN_LOCKOUT_AFTER`` (10), ``DASHBOARD_SIGNIN_LOCKOUT_MINUTES`` (60),
    ``DASHBOARD_SESSION_IDLE_MINUTES`` (30: a signed-in session idle this long is signed out)."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        path = Path(env.get("DASHBOARD_DB_PATH", "") or DEFAULT_DB_PATH)
        url = f"sqlite:///{path}"
    elif url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    sample = env.get("DASHBOARD_SAMPLE", "1").strip().lower() not in {"0", "false", "no", "off"}
    amber = _env_number(env, "DASHBOARD_TARGET_AMBER", 90.0, 0.0, 1000.0) / 100
    return Settings(
        database_url=url,
        load_sample_when_empty=sample,
        anomaly_z=_env_number(env, "DASHBOARD_ANOMALY_Z", 3.5, 0.5, 100.0),
        anomaly_min_months=int(_env_number(env, "DASHBOARD_ANOMALY_MIN_MONTHS", 6, 2, 12)),
        target_green=max(_env_number(env, "DASHBOARD_TARGET_GREEN", 100.0, 1.0, 1000.0) / 100, amber),
        target_amber=amber,
        due_day=int(_env_number(env, "DASHBOARD_DUE_DAY", 5, 1, 31)),
        mover_min_change=_env_number(env, "DASHBOARD_MOVER_MIN_CHANGE", 25.0, 1.0, 1000.0) / 100,
        mover_min_base=_env_number(env, "DASHBOARD_MOVER_MIN_BASE", 20.0, 0.0, 1e9),
        trusted_proxies=tuple(p.strip() for p in env.get("DASHBOARD_TRUSTED_PROXIES", "").split(",") if p.strip()),
        signin_free_tries=int(_env_number(env, "DASHBOARD_SIGNIN_FREE_TRIES", 3, 1, 100)),
        signin_lockout_after=int(_env_number(env, "DASHBOARD_SIGNIN_LOCKOUT_AFTER", 10, 2, 10_000)),
        signin_lockout_minutes=_env_number(env, "DASHBOARD_SIGNIN_LOCKOUT_MINUTES", 60.0, 1.0, 10_080.0),
        admin_idle_minutes=_env_number(env, "DASHBOARD_SESSION_IDLE_MINUTES", 30.0, 1.0, 1440.0),
    )


def _env_number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number from the environment; unset, unreadable or outside [low, high] gives ``default``
    (a typo in a setting must not keep the dashboard from starting)."""
    try:
        value = float(env.get(name, "").strip())
    except ValueError:
        return default
    return value if low <= value <= high else default

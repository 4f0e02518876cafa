"""Every setting of the dashboard, its loader and its command lines, in one declarative list.

``SETTINGS`` names each environment variable with its type, default, bounds and meaning; nothing
else in the project reads a ``DASHBOARD_*`` variable or ``DATABASE_URL``. ``settings()`` reads them all
at once into the frozen ``Settings``, once a process (the first call; ``settings.cache_clear()`` makes
the next call read them again); ``settings_from_env(environ)`` reads a given environment. A value that cannot be read, or lies outside its
bounds, keeps the default with a warning in the log: a typo in a setting must not keep the dashboard
from starting. The README's Configuration table is ``markdown_table()`` (``python -m monitoring.config``
prints it; tests/test_docs.py fails when the two disagree).

To add a setting: a ``Setting`` below, a field of the same name (lower case, without ``DASHBOARD_``)
on ``Settings``, then ``python -m monitoring.config`` into the README's table.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = PROJECT_ROOT / "sample_data"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite"

logger = logging.getLogger(__name__)

SettingValue = str | bool | int | float
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_WARNED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Setting:
    """One environment variable: its ``type`` (str, bool, int or float), its ``default``, what it means
    (``help``) and, for a number, the ``bounds`` a value must lie within. ``shown`` is the default as
    the README writes it, where that is not the value itself."""

    name: str
    type: type
    default: SettingValue
    help: str
    bounds: tuple[float, float] | None = None
    shown: str | None = None
    choices: tuple[str, ...] = ()  # for a word: the values it may take (lower case); any other keeps the default

    @property
    def field(self) -> str:
        """Its attribute on ``Settings``: ``DASHBOARD_DUE_DAY`` -> ``due_day``."""
        return self.name.removeprefix("DASHBOARD_").lower()

    def parse(self, raw: str | None) -> SettingValue:
        """The value of the variable given its text (None or blank: the default)."""
        text = (raw or "").strip()
        if not text:
            return self.default
        if self.type is str:
            if self.choices and text.lower() not in self.choices:
                return self._rejected(text, f"is not one of {', '.join(self.choices)}")
            return text.lower() if self.choices else text
        if self.type is bool:
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            return self._rejected(text, "is not 1/0, true/false, yes/no or on/off")
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return self._rejected(text, "is not a number")
        low, high = self.bounds or (-math.inf, math.inf)
        if not low <= number <= high:  # NaN too
            return self._rejected(text, f"is not between {low:g} and {high:g}")
        if not math.isfinite(number):  # an infinite limit would be no limit at all
            return self._rejected(text, "is not a finite number")
        return int(number) if self.type is int else number

    def _rejected(self, text: str, why: str) -> SettingValue:
        if (self.name, text) not in _WARNED:  # once a process: the settings are read on every page run
            _WARNED.add((self.name, text))
            logger.warning("%s=%r %s; using the default %r", self.name, text, why, self.default)
        return self.default

    @property
    def default_text(self) -> str:
        if self.shown is not None:
            return self.shown
        if self.type is bool:
            return "1" if self.default else "0"
        return str(self.default) if self.default != "" else "—"


INF = math.inf

SETTINGS: tuple[Setting, ...] = (
    # ---- the store
    Setting(
        "DATABASE_URL",
        str,
        "",
        "another database, e.g. `postgresql+psycopg://user@host/db`; the schema is migrated with Alembic at "
        "start (replicas wait on an advisory lock)",
    ),
    Setting(
        "DASHBOARD_DB_PATH",
        str,
        "",
        "the embedded SQLite file when `DATABASE_URL` is not set",
        shown="`data/dashboard.sqlite`",
    ),
    Setting("DASHBOARD_SAMPLE", bool, True, "`0` keeps a first start from loading the sample data"),
    # ---- the pages
    Setting(
        "DASHBOARD_MODE",
        str,
        "internal",
        "`internal`: the whole dashboard for the centre's staff; `public`: only the citizens' page (`/public`, "
        "Persian and English), with no route, link or websocket path to anything internal (see *The public page*)",
        shown="`internal`",
        choices=("internal", "public"),
    ),
    Setting(
        "DASHBOARD_PUBLIC_URL",
        str,
        "",
        "the public site's address as citizens reach it (e.g. `https://report.example.ir`): signed-in staff get "
        "«پیش‌نمایش صفحهٔ عمومی» on the review pack and the district page, opening it at the same district and "
        "month in a new tab; unset (or not `http(s)://`), they get a note instead. The internal dashboard "
        "never serves the public page itself",
    ),
    Setting(
        "DASHBOARD_LIVE_SECONDS",
        float,
        30.0,
        "how often (seconds) an open page asks the store for a new batch, and redraws when one has landed",
        bounds=(1, 7 * 86400),
        shown="`30`",
    ),
    Setting(
        "DASHBOARD_ANOMALY_Z",
        float,
        3.5,
        "robust z-score beyond which a district's month is an anomaly",
        bounds=(0.5, 100),
    ),
    Setting(
        "DASHBOARD_ANOMALY_MIN_MONTHS",
        int,
        6,
        "months of history (of the last 12) a district needs before its anomalies are judged",
        bounds=(2, 12),
    ),
    Setting(
        "DASHBOARD_DUE_DAY",
        int,
        5,
        "a month's report is due by the end of this day (1–31) of the following Jalali month, Tehran time; "
        "a day past that month's end means its last day",
        bounds=(1, 31),
    ),
    Setting(
        "DASHBOARD_TARGET_GREEN",
        float,
        100.0,
        "attainment, in percent, for a green light (never below the amber one)",
        bounds=(1, 1000),
        shown="`100`",
    ),
    Setting(
        "DASHBOARD_TARGET_AMBER",
        float,
        90.0,
        "attainment, in percent, for an amber light (below it: red)",
        bounds=(0, 1000),
        shown="`90`",
    ),
    Setting(
        "DASHBOARD_MOVER_MIN_CHANGE",
        float,
        25.0,
        "the smallest relative change, in percent, listed as a mover («تغییر بزرگ»)",
        bounds=(1, 1000),
        shown="`25`",
    ),
    Setting(
        "DASHBOARD_MOVER_MIN_BASE",
        float,
        20.0,
        "a count's smallest base for a mover's percentage",
        bounds=(0, INF),
        shown="`20`",
    ),
    Setting(
        "DASHBOARD_REVIEW_GAP_MONTHS",
        int,
        3,
        "a district with no review meeting held in this many Jalali months is flagged in the attention panel",
        bounds=(1, 24),
    ),
    # ---- who may load
    Setting(
        "DASHBOARD_ACCOUNTS_FILE",
        str,
        "",
        "the sign-in accounts file (see Accounts), outside the repository",
        shown="`~/.config/tehran-dashboard/accounts.json`",
    ),
    Setting(
        "DASHBOARD_ADMIN_EMAILS",
        str,
        "",
        "comma-separated e-mail addresses that are administrators when signed in with the organisation's "
        "account (OpenID Connect)",
    ),
    Setting(
        "DASHBOARD_ADMIN_OPEN",
        bool,
        False,
        "`1` makes everyone an administrator: for local development only, never on a shared server",
    ),
    Setting(
        "DASHBOARD_TRUSTED_PROXIES",
        str,
        "",
        "comma-separated addresses of proxies whose `X-Forwarded-For` names the client (sign-in counts and "
        "logs); unset, the socket's peer is the client and the header is ignored; `deploy/replicas.sh` sets "
        "`127.0.0.1`. Behind any other proxy, set it to the proxy's address, or every user shares the proxy's "
        "address (and its sign-in count)",
    ),
    Setting(
        "DASHBOARD_SIGNIN_FREE_TRIES",
        int,
        3,
        "failed sign-ins in a row (per account, per address) before each further try waits 10 s, doubling to 5 minutes",
        bounds=(1, 100),
    ),
    Setting(
        "DASHBOARD_SIGNIN_LOCKOUT_AFTER",
        int,
        10,
        "failed sign-ins in a row before the account or address is locked out",
        bounds=(2, 10_000),
    ),
    Setting(
        "DASHBOARD_SIGNIN_LOCKOUT_MINUTES",
        float,
        60.0,
        "how long a lock-out lasts unless `python -m monitoring accounts unlock` lifts it sooner",
        bounds=(1, 10_080),
        shown="`60`",
    ),
    Setting(
        "DASHBOARD_SESSION_IDLE_MINUTES",
        float,
        30.0,
        "a signed-in session that has not run for this long is signed out",
        bounds=(1, 1440),
        shown="`30`",
    ),
    # ---- the log
    Setting(
        "DASHBOARD_LOG_LEVEL",
        str,
        "INFO",
        "level of the dashboard's own log (`DEBUG`, `INFO`, `WARNING`, `ERROR`); the log goes to stderr",
        shown="`INFO`",
    ),
    Setting(
        "DASHBOARD_LOG_FILE",
        str,
        "",
        "also append the log to this file; the command line on a terminal uses "
        "`~/.local/state/tehran-dashboard/data_loaders.log` when unset",
    ),
    # ---- what a loaded file may be (data_loaders.guard)
    Setting(
        "DASHBOARD_MAX_FILE_MB",
        float,
        64.0,
        "the largest file the loader takes, in megabytes",
        bounds=(0.001, INF),
        shown="`64`",
    ),
    Setting("DASHBOARD_MAX_ROWS", int, 2_000_000, "the most rows a file may hold", bounds=(1, INF)),
    Setting(
        "DASHBOARD_MAX_XLSX_INFLATED_MB",
        float,
        400.0,
        "the most a workbook's parts may unpack to, together, in megabytes",
        bounds=(0.001, INF),
        shown="`400`",
    ),
    Setting("DASHBOARD_MAX_ZIP_ENTRIES", int, 2000, "the most parts a workbook may hold", bounds=(1, INF)),
    Setting(
        "DASHBOARD_MAX_ZIP_RATIO",
        float,
        200.0,
        "the most a workbook's part above 1 MB may unpack to, as a multiple of its packed size",
        bounds=(1, INF),
        shown="`200`",
    ),
    Setting(
        "DASHBOARD_MAX_ERRORS", int, 500, "rejected cells listed in a report; the rest are counted", bounds=(1, INF)
    ),
    Setting("DASHBOARD_MAX_SHEETS", int, 200, "the most sheets a workbook may list", bounds=(1, INF)),
    Setting(
        "DASHBOARD_MAX_SHARED_STRINGS",
        int,
        1_000_000,
        "the most distinct texts a workbook may hold (counted before they are read)",
        bounds=(1, INF),
    ),
    Setting(
        "DASHBOARD_MAX_CELLS",
        int,
        10_000_000,
        "the most cells one sheet may hold (counted in its XML before it is parsed)",
        bounds=(1, INF),
    ),
    Setting("DASHBOARD_MAX_COLUMNS", int, 1000, "the most filled columns one sheet may hold", bounds=(1, INF)),
    Setting(
        "DASHBOARD_MAX_VERTICES",
        int,
        1_000_000,
        "the most points a boundaries file may hold (counted before any is checked)",
        bounds=(1, INF),
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Every setting, read once (``settings_from_env``). ``database_url`` is derived from
    ``DATABASE_URL`` and ``DASHBOARD_DB_PATH``; the targets are fractions (1.0 = 100%)."""

    database_url: str
    db_path: str = ""
    sample: bool = True
    mode: str = "internal"  # "public": the process serves the citizens' page only (ui/public_site.py)
    public_url: str = ""  # the public site's address, for the internal pages' preview link (``public_site_url``)
    live_seconds: float = 30.0
    anomaly_z: float = 3.5  # a robust z-score beyond this is an anomaly (monitoring.alerts)
    anomaly_min_months: int = 6  # fewer months of history than this: no anomaly is judged
    due_day: int = 5  # a month's report is due by the end of this day of the following Jalali month
    target_green: float = 1.0  # attainment at or above: green
    target_amber: float = 0.9  # attainment at or above (below green): amber; below: red
    accounts_file: str = ""
    admin_emails: str = ""
    admin_open: bool = False
    log_level: str = "INFO"
    log_file: str = ""
    max_file_mb: float = 64.0
    max_rows: int = 2_000_000
    max_xlsx_inflated_mb: float = 400.0
    max_zip_entries: int = 2000
    max_zip_ratio: float = 200.0
    max_errors: int = 500
    max_sheets: int = 200
    max_shared_strings: int = 1_000_000
    max_cells: int = 10_000_000
    max_columns: int = 1000
    max_vertices: int = 1_000_000
    mover_min_change: float = (
        0.25  # a change smaller than this (relative) is not a «تغییر بزرگ» (percent in the variable)
    )
    mover_min_base: float = 20.0  # a count's base below this is too small for a percentage change
    review_gap_months: int = 3  # a district not reviewed in this many Jalali months is flagged
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For names the client; none: the socket peer
    signin_free_tries: int = 3  # failures in a row (per account, per address) before each try waits
    signin_lockout_after: int = 10  # failures in a row before the account or address is locked out
    signin_lockout_minutes: float = 60.0  # how long a lock-out lasts unless lifted: accounts unlock
    session_idle_minutes: float = 30.0  # a signed-in session with no run for this long is signed out

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def public(self) -> bool:
        """``DASHBOARD_MODE=public``: this process serves the public page and nothing else."""
        return self.mode == "public"

    @property
    def public_site_url(self) -> str | None:
        """``DASHBOARD_PUBLIC_URL`` without its trailing ``/`` when it is an ``http(s)://`` address with no
        space, quote or angle bracket in it; None otherwise (no link is drawn from it)."""
        url = self.public_url.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s<>\"'`?#]+", url, flags=re.IGNORECASE):
            return None
        return url

    @property
    def admin_idle_minutes(self) -> float:
        """``DASHBOARD_SESSION_IDLE_MINUTES``: an administrator's session idle this long is signed out."""
        return self.session_idle_minutes

    @property
    def load_sample_when_empty(self) -> bool:
        """``DASHBOARD_SAMPLE``: a first start on an empty store loads the sample data."""
        return self.sample


@functools.cache
def settings() -> Settings:
    """This process's settings, read from its environment at the first call and kept."""
    return _read(os.environ)


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Every setting in ``SETTINGS`` read from ``environ``; without one, this process's (:func:`settings`)."""
    return settings() if environ is None else _read(environ)


def _read(environ: Mapping[str, str]) -> Settings:
    """Every setting in ``SETTINGS`` read from ``environ``.

    ``DATABASE_URL`` picks the database (``postgresql://`` becomes ``postgresql+psycopg://``);
    otherwise a SQLite file at ``DASHBOARD_DB_PATH`` (default ``data/dashboard.sqlite``). The targets
    are read in percent and kept as fractions; green is never below amber."""
    values = {s.field: s.parse(environ.get(s.name)) for s in SETTINGS}
    url = str(values.pop("database_url"))
    if not url:
        url = f"sqlite:///{Path(str(values['db_path']) or DEFAULT_DB_PATH)}"
    elif url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    amber = float(values["target_amber"]) / 100
    values["target_amber"] = amber
    values["target_green"] = max(float(values["target_green"]) / 100, amber)
    values["mover_min_change"] = float(values["mover_min_change"]) / 100
    proxies = tuple(p.strip() for p in str(values.pop("trusted_proxies")).split(",") if p.strip())
    return Settings(database_url=url, trusted_proxies=proxies, **values)  # type: ignore[arg-type]


def markdown_table() -> str:
    """The README's Configuration table: one row a setting, in the registry's order."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = s.default_text if s.default_text.startswith("`") or s.default_text == "—" else f"`{s.default_text}`"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())

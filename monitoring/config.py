"""Settings read once from the environment, as a frozen dataclass."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = PROJECT_ROOT / "sample_data"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite"


@dataclass(frozen=True)
class Settings:
    database_url: str
    load_sample_when_empty: bool = True

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """``DATABASE_URL`` picks the database (PostgreSQL with ``postgresql+psycopg://``);
    otherwise a SQLite file at ``DASHBOARD_DB_PATH`` (default ``data/dashboard.sqlite``).
    ``DASHBOARD_SAMPLE=0`` keeps a first start from loading the sample data."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        path = Path(env.get("DASHBOARD_DB_PATH", "") or DEFAULT_DB_PATH)
        url = f"sqlite:///{path}"
    elif url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    sample = env.get("DASHBOARD_SAMPLE", "1").strip().lower() not in {"0", "false", "no", "off"}
    return Settings(database_url=url, load_sample_when_empty=sample)

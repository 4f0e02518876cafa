"""Connection exhaustion: any websocket client may send ``clear_cache``; the dashboard's engine lives
outside Streamlit's resource cache (``ui/data.py``), so however many such messages arrive, the
PostgreSQL connections the server holds stay where they were."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import create_engine, text
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks.loadtest.client import Session
from tests.conftest import POSTGRES_ADMIN_URL, scratch_postgres_database
from tools.streamlit_server import serve

pytestmark = pytest.mark.postgres

MESSAGES = 10


def _connections(database: str) -> int:
    admin = create_engine(POSTGRES_ADMIN_URL)
    try:
        with admin.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"), {"name": database}
                ).scalar_one()
            )
    finally:
        admin.dispose()


async def _flood(base_url: str, times: int) -> list[str]:
    """Open the page, then send ``clear_cache`` and a rerun ``times`` times without waiting for the
    runs, as a hostile client would; then one run more, waited for."""
    session = Session(base_url, timeout=90)
    await session.connect()
    try:
        statuses = [(await session.open()).status]
        for _ in range(times):
            clear, rerun = BackMsg(), BackMsg()
            clear.clear_cache = True
            rerun.rerun_script.query_string = ""
            await session._ws.send(clear.SerializeToString())
            await session._ws.send(rerun.SerializeToString())
            await asyncio.sleep(0.3)
        await asyncio.sleep(2)
        statuses.append((await session.open()).status)
    finally:
        await session.close()
    return statuses


def test_clear_cache_from_a_client_does_not_add_database_connections(tmp_path):
    with scratch_postgres_database("dash_sec_cc") as url:
        database = url.rsplit("/", 1)[1]
        env = {"DATABASE_URL": url, "DASHBOARD_SAMPLE": "0", "DASHBOARD_ACCOUNTS_FILE": str(tmp_path / "a.json")}
        with serve("dashboard.py", env=env, timeout=90) as base_url:
            statuses = asyncio.run(_flood(base_url, 1))
            before = _connections(database)
            statuses += asyncio.run(_flood(base_url, MESSAGES))
            after = _connections(database)
        assert set(statuses) == {"ok"}, statuses
        assert 1 <= before and after <= before + 1, (before, after)

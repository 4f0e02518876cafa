"""A database that goes away under an open page: the page says so in Persian with the English beside
it in its own lang="en" element and a reference, never a traceback, and comes back by itself, without
a reload, when the database returns. The database is reached through a TCP forwarder the test stops
and starts again (the shared PostgreSQL server is never touched). A store that cannot be opened at
start (read-only, say) recovers the same way, without a restart."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from monitoring import store
from tests.conftest import scratch_postgres_database
from tests.security.tcp_proxy import TcpProxy
from tests.views.test_pages_apptest import DASHBOARD, html_bodies
from tools.browser import goto_settled, launch, new_page
from tools.streamlit_server import serve
from ui import data, outage

OUTAGE = "[data-testid=stMain] h1[data-testid=dash-outage]"
TRACEBACK = re.compile(r"Traceback|File \"|sqlalchemy|psycopg|OperationalError|/work/|\.py\b")


@pytest.mark.postgres
@pytest.mark.browser
def test_an_open_page_shows_the_outage_and_comes_back_when_the_database_returns(tmp_path):
    with scratch_postgres_database("dash_sec_out") as url:
        proxy = TcpProxy(("127.0.0.1", 5432)).start()
        proxied = url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")
        env = {
            "DATABASE_URL": proxied,
            "DASHBOARD_SAMPLE": "0",
            "DASHBOARD_LIVE_SECONDS": "2",
            "DASHBOARD_ACCOUNTS_FILE": str(tmp_path / "accounts.json"),
        }
        try:
            with serve("dashboard.py", env=env, timeout=90) as base_url, launch() as browser, new_page(browser) as page:
                goto_settled(page, base_url + "/")
                assert page.locator(OUTAGE).count() == 0
                proxy.stop()  # the database goes away under the open page
                page.locator(OUTAGE).wait_for(timeout=30_000)
                main = page.locator("[data-testid=stMain]").inner_text()
                english = page.locator("[data-testid=stMain] [lang=en]").all_inner_texts()
                assert "پایگاه داده در دسترس نیست" in main
                assert any("cannot reach its database" in t for t in english)
                assert re.search(r"E-[0-9A-F]{8}", main)
                assert not TRACEBACK.search(main), main
                assert page.locator("[data-testid=stException]").count() == 0
                proxy.start()  # the database is back: no reload
                page.locator(OUTAGE).wait_for(state="detached", timeout=45_000)
                assert page.locator("[data-testid=stException]").count() == 0
        finally:
            proxy.stop()


def test_a_store_that_cannot_be_opened_at_start_recovers_without_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(tmp_path / "store.sqlite"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")
    monkeypatch.setenv("DASHBOARD_ACCOUNTS_FILE", str(tmp_path / "accounts.json"))
    monkeypatch.setattr(data, "RETRY_SECONDS", 0.2)
    ready = store.ensure_ready

    def read_only(engine):
        raise OperationalError("UPDATE alembic_version", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(store, "ensure_ready", read_only)
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    page = "\n".join(html_bodies(at))
    assert outage.TITLE_FA in page and 'lang="en"' in page and re.search(r"E-[0-9A-F]{8}", page)
    assert "readonly" not in page and "UPDATE" not in page
    monkeypatch.setattr(store, "ensure_ready", ready)  # the operator fixed the file
    time.sleep(0.3)
    at.run()
    assert not at.exception
    assert outage.TITLE_FA not in "\n".join(html_bodies(at))

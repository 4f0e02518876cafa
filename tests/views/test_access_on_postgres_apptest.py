"""The administrators' gate on the real PostgreSQL: a viewer who opens any administrators' page by its
address gets the notice and nothing of the page; an administrator who signs in gets it, and the failed
sign-in is an audit row in the shared store."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from monitoring import accounts
from tests.access import ADMIN, ADMIN_ONLY, ADMIN_PASSWORD, sign_in, uploaders, use_test_accounts
from tests.views.helpers import DASHBOARD

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", pg_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_SAMPLE", "0")  # the gate does not need the sample data
    monkeypatch.delenv("DASHBOARD_DB_PATH", raising=False)
    monkeypatch.delenv(accounts.ADMIN_EMAILS_ENV, raising=False)
    use_test_accounts(monkeypatch, tmp_path)
    return AppTest.from_file(DASHBOARD, default_timeout=60)


@pytest.mark.parametrize("page", ["views/upload.py", "views/batches.py", "views/catalog.py"])
def test_a_viewer_opening_an_administrators_page_gets_the_notice_only(app, page):
    at = app
    at.switch_page(page).run()
    assert not at.exception
    assert [t.value for t in at.title] == [ADMIN_ONLY]
    assert uploaders(at) == []
    assert not [b for b in at.button if b.key in ("batches_rollback", "upload_preview_go")]


def test_an_administrator_signs_in_on_postgres_and_a_failed_attempt_is_audited(app, pg_engine):
    at = app
    at.switch_page("views/upload.py").run()
    sign_in(at, ADMIN, "not-the-password")
    assert uploaders(at) == []
    sign_in(at, ADMIN, ADMIN_PASSWORD)
    assert not at.exception
    assert len(uploaders(at)) >= 1 and ADMIN_ONLY not in [t.value for t in at.title]
    with pg_engine.connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_log ORDER BY id"))]
    assert "login_failed" in actions

"""The audit view under a flood of failed sign-ins: the administrators' actions stay in their own
part, never pushed off by failures, which have a part of their own; both filter and page; and the
sign-in code keeps only a few failure rows a key however many come."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from monitoring import store
from tests.access import sign_in_apptest
from tests.views.test_pages_apptest import DASHBOARD, html_bodies

FAILURES = 120


@pytest.fixture
def flooded(sample_db_path, tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    shutil.copy(sample_db_path, path)
    eng = store.make_engine(f"sqlite:///{path}")
    store.record_audit(eng, "boss", "rollback", {"batch": 1})
    for n in range(FAILURES):
        store.record_audit(eng, "-", "login_failed", {"client": f"10.0.0.{n % 7}", "failures_in_a_row": n + 1})
    monkeypatch.setenv("DASHBOARD_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    yield eng
    eng.dispose()


def test_the_store_pages_and_filters_the_audit_log(flooded):
    admin = store.audit_entries(flooded, 50, 0, exclude=store.SIGN_IN_FAILURES)
    assert "login_failed" not in set(admin["action"]) and {"rollback", "sample"} <= set(admin["action"])
    assert store.audit_count(flooded, actions=store.SIGN_IN_FAILURES) == FAILURES
    second = store.audit_entries(flooded, 50, 50, actions=store.SIGN_IN_FAILURES)
    first = store.audit_entries(flooded, 50, 0, actions=store.SIGN_IN_FAILURES)
    assert len(second) == 50 and set(first["id"]).isdisjoint(second["id"])
    assert list(store.audit_entries(flooded, 10, actor="boss")["action"]) == ["rollback"]


def test_the_batches_page_keeps_administrators_actions_apart_from_failed_sign_ins(flooded, monkeypatch, tmp_path):
    at = sign_in_apptest(AppTest.from_file(DASHBOARD, default_timeout=120), monkeypatch, tmp_path)
    at.switch_page("views/batches.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["کارهای مدیران", "ورودهای ناموفق"]
    actions, failures = at.tabs
    actions_html = "".join(e.proto.body for e in actions.get("html"))
    failures_html = "".join(e.proto.body for e in failures.get("html"))
    assert "برگرداندن" in actions_html and "ورود ناموفق" not in actions_html  # the rollback is not pushed off
    assert "10.0.0." in failures_html
    assert failures_html.count("10.0.0.") == 10  # the latest ten; a phone's screen is not filled by the log
    assert any("۱۰ مورد از ۱۲۰" in c.value for c in at.caption)
    more = [b for b in at.button if b.key == "more_audit_failures__login_failed"]
    assert more and more[0].label == "نمایش ۲۵ مورد دیگر"
    more[0].click().run()
    assert not at.exception
    failures_html = "".join(e.proto.body for e in at.tabs[1].get("html"))
    assert failures_html.count("10.0.0.") == 35 and any("۳۵ مورد از ۱۲۰" in c.value for c in at.caption)
    at.selectbox(key="audit_actions_action").set_value("rollback").run()
    assert not at.exception
    actions_html = "".join(e.proto.body for e in at.tabs[0].get("html"))
    assert actions_html.count("<tr>") == 2 and "برگرداندن" in actions_html  # the header and the one rollback
    assert html_bodies(at)

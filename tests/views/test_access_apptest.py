"""Who may load, under AppTest: a viewer reads every monitoring page but gets neither the uploader nor
its menu entry; an administrator signs in through the form and gets the uploader; a wrong name or
password gets one bilingual message that does not say which was wrong; repeated failures must wait."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from monitoring import accounts
from tests.access import (
    ADMIN,
    ADMIN_DISPLAY,
    ADMIN_ONLY,
    ADMIN_PASSWORD,
    VIEWER,
    VIEWER_PASSWORD,
    sign_in,
    sign_in_apptest,
    uploaders,
    use_test_accounts,
)
from tests.views.helpers import html_bodies, notes, text_of
from ui import auth

WRONG = "نام کاربری یا گذرواژه درست نیست"


@pytest.fixture
def app(app, tmp_path, monkeypatch, sample_db_path):
    """The sample store's dashboard with the test accounts (and no administrator e-mails)."""
    monkeypatch.delenv(accounts.ADMIN_EMAILS_ENV, raising=False)
    use_test_accounts(monkeypatch, tmp_path)
    from monitoring import store

    # sign-in events would be audit rows in the shared sample store: kept out of it here
    monkeypatch.setattr(store, "record_audit", lambda *args, **kwargs: None, raising=False)
    # failed tries are counted in the shared store, as by every session: each test starts and ends with none
    eng = store.make_engine(f"sqlite:///{sample_db_path}")
    store.unlock(eng, store.throttled(eng)["key"])
    yield app
    store.unlock(eng, store.throttled(eng)["key"])
    eng.dispose()


def test_a_viewer_reads_the_monitoring_pages_but_gets_no_upload_in_the_menu(app, menu):
    at = app.run()
    assert not at.exception
    assert "upload" not in menu
    assert {"", "rankings", "district", "reporting", "export"} <= set(menu)
    assert any('data-role="viewer"' in b for b in html_bodies(at))
    at.switch_page("views/rankings.py").run()
    assert not at.exception and not notes(at, "error") and ADMIN_ONLY not in text_of(at)


def test_the_sidebar_sign_in_box_is_titled_for_all_staff_and_goes_once_signed_in(app):
    at = app.run()
    assert [e.label for e in at.sidebar.expander] == ["ورود کارکنان"]
    assert "مدیران" not in at.sidebar.expander[0].label  # editors and viewers with accounts sign in there too
    sign_in(at, VIEWER, VIEWER_PASSWORD, form="auth_sidebar")
    assert not at.exception and [e.label for e in at.sidebar.expander] == []


def test_a_viewer_opening_upload_gets_the_admin_only_page_and_the_sign_in_form_not_the_uploader(app):
    at = app
    at.switch_page("views/upload.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == [ADMIN_ONLY]
    assert uploaders(at) == []
    warning = next(b for b in html_bodies(at) if "dash-note-warning" in b)
    assert "فقط برای مدیران" in warning and 'lang="en"' in warning and "administrators only" in warning
    assert [t.label for t in at.main.text_input] == ["نام کاربری", "گذرواژه"]
    assert at.text_input(key="auth_gate_password").proto.type == at.text_input(key="auth_gate_password").proto.PASSWORD


def test_a_signed_in_viewer_account_still_gets_the_admin_only_page(app, tmp_path, monkeypatch, menu):
    at = app
    at.run()
    sign_in(at, VIEWER, VIEWER_PASSWORD, form="auth_sidebar")
    assert not at.exception and "upload" not in menu
    at.switch_page("views/upload.py").run()
    assert [t.value for t in at.title] == [ADMIN_ONLY] and uploaders(at) == []
    assert "Your account is not an administrator" in text_of(at)


def test_an_admin_signs_in_through_the_form_and_gets_the_uploader(app, menu, caplog):
    at = app
    at.switch_page("views/upload.py").run()
    with caplog.at_level(logging.INFO, logger="dashboard.audit"):
        sign_in(at, ADMIN, ADMIN_PASSWORD)
    assert not at.exception
    assert len(uploaders(at)) >= 1 and ADMIN_ONLY not in [t.value for t in at.title]
    assert "upload" in menu
    user = next(b for b in html_bodies(at) if "dash-user" in b)
    assert 'data-role="admin"' in user and ADMIN_DISPLAY in user
    assert any("signed in" in r.getMessage() and ADMIN in r.getMessage() for r in caplog.records)
    assert not any(ADMIN_PASSWORD in r.getMessage() for r in caplog.records)


def test_the_name_recorded_with_a_batch_is_the_signed_in_account(app, monkeypatch):
    from ui import identity

    seen: list[str] = []
    sidebar = auth.sidebar

    def spy(user):
        seen.append(identity.current_user())
        sidebar(user)

    monkeypatch.setattr(auth, "sidebar", spy)
    at = app.run()
    assert seen[-1] == identity.LOCAL_USER
    sign_in(at, ADMIN, ADMIN_PASSWORD, form="auth_sidebar")
    assert seen[-1] == ADMIN


@pytest.mark.parametrize(("name", "password"), [(ADMIN, "wrong-password"), ("nobody", ADMIN_PASSWORD)])
def test_a_wrong_name_or_password_gets_one_bilingual_message_that_does_not_say_which(app, caplog, name, password):
    at = app
    at.switch_page("views/upload.py").run()
    with caplog.at_level(logging.INFO, logger="dashboard.audit"):
        sign_in(at, name, password)
    assert not at.exception
    (error,) = notes(at, "error")
    assert WRONG in error and "The name or the password is not right" in error
    assert uploaders(at) == [] and [t.value for t in at.title] == [ADMIN_ONLY]
    failed = [r for r in caplog.records if "failed sign-in" in r.getMessage()]
    assert len(failed) == 1 and failed[0].levelno == logging.WARNING
    # an account's name is logged; a typed name that is no account is not (it may be a password)
    assert (repr(name) in failed[0].getMessage()) == (name == ADMIN)
    assert not any(password in r.getMessage() for r in caplog.records)


def test_after_repeated_failures_the_session_must_wait_even_with_the_right_password(app):
    at = app
    at.switch_page("views/upload.py").run()
    for _ in range(auth.throttle_policy().free_tries):
        sign_in(at, ADMIN, "wrong-password")
    sign_in(at, ADMIN, ADMIN_PASSWORD)
    (error,) = notes(at, "error")
    assert "دوباره تلاش کنید" in error and "try again in" in error
    assert uploaders(at) == []


def test_signing_out_takes_the_uploader_away(app, tmp_path, monkeypatch, menu):
    at = sign_in_apptest(app, monkeypatch, tmp_path)
    at.switch_page("views/upload.py").run()
    assert len(uploaders(at)) >= 1
    at.button(key="auth_sign_out").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == [ADMIN_ONLY] and uploaders(at) == [] and "upload" not in menu


def test_an_account_removed_from_the_file_loses_its_rights_at_the_next_run(app, tmp_path, monkeypatch):
    at = sign_in_apptest(app, monkeypatch, tmp_path)
    at.switch_page("views/upload.py").run()
    assert len(uploaders(at)) >= 1
    accounts.remove_account(ADMIN)
    at.run()
    assert [t.value for t in at.title] == [ADMIN_ONLY] and uploaders(at) == []


def test_a_corrupt_accounts_file_lets_nobody_in_and_says_so_in_both_languages(app, tmp_path, caplog):
    accounts.accounts_path().write_text("{oops", encoding="utf-8")
    at = app
    at.switch_page("views/upload.py").run()
    assert not at.exception
    sign_in(at, ADMIN, ADMIN_PASSWORD)
    (error,) = notes(at, "error")
    # an anonymous visitor is told nothing about the accounts; the log says what is wrong
    assert "کسی نمی‌تواند وارد شود" in error and "Nobody can sign in now" in error and "accounts" not in error
    assert uploaders(at) == []
    assert any("bad JSON" in r.getMessage() for r in caplog.records)


def test_admin_open_makes_everyone_an_administrator_for_local_development(app, monkeypatch, menu):
    monkeypatch.setenv(accounts.ADMIN_OPEN_ENV, "1")
    at = app
    at.switch_page("views/upload.py").run()
    assert not at.exception and len(uploaders(at)) >= 1 and "upload" in menu


def test_an_unknown_path_still_gets_the_not_found_page_without_admin_pages_for_a_viewer(app):
    at = app
    at.session_state["_unknown_path"] = "nope"  # what notfound.install's hook leaves for an unknown path
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["این صفحه پیدا نشد"]
    links = next(b for b in html_bodies(at) if "dash-links" in b)
    assert "./rankings" in links and "./upload" not in links


def test_without_an_auth_section_there_is_no_organisation_sign_in_button(app):
    at = app.run()
    assert not auth.oidc_configured()
    assert "ورود با حساب سازمانی" not in [b.label for b in at.button]


def test_sign_in_events_go_to_the_store_audit_log_where_the_store_keeps_one(app, monkeypatch):
    from monitoring import store

    rows: list[tuple[str, str, dict]] = []
    monkeypatch.setattr(
        store,
        "record_audit",
        lambda engine, actor, action, detail=None: rows.append((action, actor, detail)),
        raising=False,
    )
    at = app
    at.switch_page("views/upload.py").run()
    sign_in(at, ADMIN, "wrong-password")
    sign_in(at, ADMIN, ADMIN_PASSWORD)
    at.button(key="auth_sign_out").click().run()
    assert [(action, actor) for action, actor, _ in rows] == [
        ("login_failed", ADMIN),
        ("login", ADMIN),
        ("logout", ADMIN),
    ]
    assert rows[0][2]["failures_in_a_row"] == 1 and not any("password" in str(d) for _, _, d in rows)


def test_a_store_that_cannot_take_the_audit_row_does_not_stop_a_sign_in(app, monkeypatch, caplog):
    from monitoring import store

    def broken(*args, **kwargs):
        raise store.StoreError("database is locked") if hasattr(store, "StoreError") else RuntimeError("locked")

    monkeypatch.setattr(store, "record_audit", broken, raising=False)
    at = app
    at.switch_page("views/upload.py").run()
    sign_in(at, ADMIN, ADMIN_PASSWORD)
    assert not at.exception and len(uploaders(at)) >= 1
    assert any("audit row 'login' not stored" in r.getMessage() for r in caplog.records)


def test_with_an_auth_section_the_form_offers_the_organisation_sign_in(app):
    at = app
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-secret",
        "client_id": "dashboard",
        "client_secret": "x",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
    at.switch_page("views/upload.py").run()
    assert not at.exception
    assert "ورود با حساب سازمانی" in [b.label for b in at.main.button]


@pytest.mark.parametrize(
    ("email", "listed", "admin"),
    [("chief@tehran.ir", "chief@tehran.ir", True), ("clerk@tehran.ir", "chief@tehran.ir", False)],
)
def test_an_organisation_user_is_an_administrator_only_when_their_email_is_listed(
    app, monkeypatch, menu, email, listed, admin
):
    monkeypatch.setenv(accounts.ADMIN_EMAILS_ENV, listed)
    monkeypatch.setattr(auth, "_oidc_user", lambda: {"is_logged_in": True, "email": email, "name": "کاربر سازمان"})
    at = app
    at.switch_page("views/upload.py").run()
    assert not at.exception
    assert (len(uploaders(at)) >= 1) is admin and ("upload" in menu) is admin
    assert any("کاربر سازمان" in b for b in html_bodies(at))


def _admin_page() -> None:
    import streamlit as st

    from ui import auth

    auth.require_admin()
    st.file_uploader("فایل")


def test_require_admin_at_the_top_of_a_page_stops_it_for_anyone_else(app, tmp_path, monkeypatch):
    page = AppTest.from_function(_admin_page, default_timeout=30).run()
    assert [t.value for t in page.title] == [ADMIN_ONLY] and uploaders(page) == []
    page = sign_in_apptest(AppTest.from_function(_admin_page, default_timeout=30), monkeypatch, tmp_path).run()
    assert not page.exception and page.title.len == 0 and len(uploaders(page)) == 1

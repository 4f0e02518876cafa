"""Who is signed in, and the gate in front of the administrators' pages.

Everyone, signed in or not, reads the monitoring pages. Only an administrator loads data: the entry
script lists the administrators' pages once (``dashboard.ADMIN_PAGES``), shows them in the menu only
to an administrator, and runs :func:`admin_only_page` instead of such a page for anyone else, so a
viewer who opens ``/upload`` by its address gets a Persian «for administrators only» page with the
sign-in form, never the uploader.

Three ways to be somebody:

- the built-in accounts (``monitoring.accounts``: ``python -m monitoring accounts add NAME --admin``),
  through the sign-in form; the session keeps the account's name and reads its role from the file on
  every run, so a removed or demoted account loses its rights at once;
- the organisation's OpenID Connect sign-in, when ``.streamlit/secrets.toml`` has an ``[auth]``
  section (Streamlit's ``st.login``); such a user is an administrator when their e-mail address is in
  ``DASHBOARD_ADMIN_EMAILS`` or is the name of an admin account;
- ``DASHBOARD_ADMIN_OPEN=1``: everyone is an administrator. For local development only; never set it
  on a server.

A failed sign-in says only that the name or the password is wrong, is logged (never the password),
and after a few in a row the session must wait before it may try again.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import time
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from monitoring import accounts, store
from monitoring.calendar import to_persian_digits
from ui import data, identity, messages

Source = Literal["account", "oidc", "open", "proxy", "local"]

SIGNED_IN_KEY = "_auth_account"  # the signed-in account's name key
FAILURES_KEY = "_auth_failures"
LOCKED_UNTIL_KEY = "_auth_locked_until"
FREE_TRIES = 3  # failures in a row before the session must wait
FIRST_WAIT_SECONDS = 10
LONGEST_WAIT_SECONDS = 300

ADMIN_ONLY_TITLE = "این صفحه فقط برای مدیران است"
WRONG_FA = "نام کاربری یا گذرواژه درست نیست. دوباره تلاش کنید."
WRONG_EN = "The name or the password is not right. Try again."

logger = logging.getLogger(__name__)
audit_logger = logging.getLogger("dashboard.audit")


@dataclass(frozen=True)
class User:
    """The person using this session."""

    name: str  # recorded as ``loaded_by``
    display: str  # shown in the sidebar
    role: accounts.Role
    source: Source

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def signed_in(self) -> bool:
        return self.source in ("account", "oidc")


# ---------------------------------------------------------------- who is this


def _accounts() -> dict[str, accounts.Account]:
    """The accounts file as it is now; an unreadable file counts as no accounts (and is logged)."""
    try:
        return accounts.read_accounts()
    except accounts.AccountsError as exc:
        logger.error("the accounts file cannot be used: %s", exc.en)
        return {}


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or the server's secrets) has an ``[auth]`` section."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # no secrets at all, or a file Streamlit cannot parse: no organisation sign-in
        return False


def _oidc_user() -> dict | None:
    try:
        info = st.user
        if info.get("is_logged_in"):
            return dict(info)
    except Exception:  # st.user outside a session (scripts) or without auth configured
        return None
    return None


def current_user() -> User:
    """The person using this session, with their role (never an administrator without a reason)."""
    key = st.session_state.get(SIGNED_IN_KEY)
    if key:
        account = _accounts().get(key)
        if account is not None:
            role = "admin" if accounts.admin_open() else account.role
            return User(account.name, account.display, role, "account")
        st.session_state.pop(SIGNED_IN_KEY, None)  # removed from the file since: signed out
        audit_logger.warning("signed-in account %r is no longer in the accounts file; signed out", key)
    info = _oidc_user()
    if info is not None:
        email = str(info.get("email") or info.get("sub") or "")
        role: accounts.Role = "admin" if accounts.email_is_admin(email, _accounts()) else "viewer"
        return User(email, str(info.get("name") or email), role, "oidc")
    proxy = identity.proxy_user()
    if accounts.admin_open():
        _warn_admin_open()
        name = proxy or identity.LOCAL_USER
        return User(name, name, "admin", "open")
    if proxy:
        return User(proxy, proxy, "viewer", "proxy")
    return User(identity.LOCAL_USER, identity.LOCAL_USER, "viewer", "local")


@functools.cache
def _warn_admin_open() -> None:
    logger.warning("%s=1: everyone is an administrator (for local development only)", accounts.ADMIN_OPEN_ENV)


def is_admin() -> bool:
    return current_user().is_admin


def _audit(action: str, actor: str, level: int, message: str, *args: object, **detail: object) -> None:
    """Log a sign-in event, and add it to the store's audit log where the store has one (a store that
    cannot take it never stops a sign-in: the log line is there)."""
    audit_logger.log(level, message, *args)
    record = getattr(store, "record_audit", None)
    if record is None:
        return
    try:
        record(data.engine(), actor, action, {**detail, "client": _client()})
    except Exception as exc:  # the database is down or busy: the log line above is the record
        logger.warning("audit row %r not stored: %s: %s", action, type(exc).__name__, exc)


def _client() -> str:
    try:
        return st.context.ip_address or "-"
    except Exception:
        return "-"


# ---------------------------------------------------------------- signing in and out


def _wait_left(now: float) -> float:
    return max(0.0, float(st.session_state.get(LOCKED_UNTIL_KEY, 0.0)) - now)


def _seconds_fa(seconds: float) -> str:
    return to_persian_digits(max(1, round(seconds)))


def attempt_sign_in(name: str, password: str, now: float | None = None) -> tuple[bool, str, str]:
    """Check ``name`` and ``password`` for this session: (signed in, Persian message, English message).

    A wrong name and a wrong password get the same answer. After ``FREE_TRIES`` failures in a row the
    session waits (10 s, doubling to 5 minutes) before the next try is even checked."""
    now = time.monotonic() if now is None else now
    wait = _wait_left(now)
    if wait > 0:
        return (
            False,
            f"چند بار پیاپی ورود ناموفق بود؛ {_seconds_fa(wait)} ثانیهٔ دیگر دوباره تلاش کنید.",
            f"Several sign-ins in a row failed; try again in {max(1, round(wait))} seconds.",
        )
    try:
        known = accounts.read_accounts()
    except accounts.AccountsError as exc:
        logger.error("sign-in refused, the accounts file cannot be used: %s", exc.en)
        return (
            False,
            "فهرست حساب‌ها خوانا نیست، پس اکنون کسی نمی‌تواند وارد شود؛ به راهبر کارگزار خبر دهید.",
            "The accounts file cannot be read, so nobody can sign in now; tell the server's administrator.",
        )
    account = accounts.authenticate(known, name, password)
    if account is None:
        failures = int(st.session_state.get(FAILURES_KEY, 0)) + 1
        st.session_state[FAILURES_KEY] = failures
        if failures >= FREE_TRIES:
            wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - FREE_TRIES), LONGEST_WAIT_SECONDS)
            st.session_state[LOCKED_UNTIL_KEY] = now + wait
        _audit(
            "login_failed",
            name[:80],
            logging.WARNING,
            "failed sign-in as %r from %s (%d in a row in this session)",
            name[:80],
            _client(),
            failures,
            failures_in_a_row=failures,
        )
        if not known:
            return (
                False,
                f"{WRONG_FA} (هنوز حسابی ساخته نشده است: python -m monitoring accounts add NAME --admin)",
                f"{WRONG_EN} (No account exists yet: python -m monitoring accounts add NAME --admin)",
            )
        return False, WRONG_FA, WRONG_EN
    st.session_state[SIGNED_IN_KEY] = account.key
    st.session_state.pop(FAILURES_KEY, None)
    st.session_state.pop(LOCKED_UNTIL_KEY, None)
    _audit(
        "login",
        account.name,
        logging.INFO,
        "signed in: %r (%s) from %s",
        account.name,
        account.role,
        _client(),
        role=account.role,
    )
    return True, "", ""


def sign_out() -> None:
    """Forget the signed-in account (and leave the organisation's sign-in, if that is how they came)."""
    user = current_user()
    st.session_state.pop(SIGNED_IN_KEY, None)
    _audit("logout", user.name, logging.INFO, "signed out: %r (%s)", user.name, user.source, source=user.source)
    if user.source == "oidc":
        st.logout()


def sign_in_form(key: str, container=None) -> None:
    """The sign-in form: name, password, «ورود»; on success the script runs again as the new user."""
    where = container or st
    # cleared on submit: the password does not stay in the session after its try
    with where.form(key=f"{key}_form", clear_on_submit=True, border=True):
        name = st.text_input("نام کاربری", key=f"{key}_name", autocomplete="username", max_chars=200)
        password = st.text_input(
            "گذرواژه", key=f"{key}_password", type="password", autocomplete="current-password", max_chars=1024
        )
        pressed = st.form_submit_button("ورود", type="primary", key=f"{key}_submit")
    if pressed:
        ok, fa, en = attempt_sign_in(name, password)
        if ok:
            st.rerun()
        messages.error(fa, en, container=where)
    if oidc_configured():
        if where.button("ورود با حساب سازمانی", key=f"{key}_oidc", icon=":material/badge:"):
            try:
                st.login()
            except Exception as exc:  # Authlib missing, or an [auth] section Streamlit refuses
                logger.error("organisation sign-in failed to start: %s", exc, exc_info=True)
                messages.error(
                    "ورود با حساب سازمانی اکنون ممکن نیست؛ به راهبر کارگزار خبر دهید.",
                    f"Signing in with the organisation's account is not possible now ({type(exc).__name__}); "
                    "tell the server's administrator.",
                    container=where,
                )


# ---------------------------------------------------------------- what the pages show


def user_html(user: User) -> str:
    """The user's name for the sidebar (a Latin name read left to right) with their role."""
    shown = user.display or user.name
    if re.search(r"[A-Za-z]", shown):
        name = f'<code dir="ltr">{html.escape(shown)}</code>'
    else:
        name = html.escape(shown)
    role = " (مدیر)" if user.is_admin else ""
    return f'<span data-testid="dash-user" data-role="{user.role}">{name}{role}</span>'


def sidebar(user: User) -> None:
    """Who is using the dashboard, and the way in or out, for the sidebar."""
    st.html(f'<div class="dash-muted">کاربر: {user_html(user)}</div>')
    if user.signed_in:
        if st.button("خروج", key="auth_sign_out", icon=":material/logout:"):
            sign_out()
            st.rerun()
    elif not user.is_admin:
        with st.expander("ورود مدیران", icon=":material/login:"):
            sign_in_form("auth_sidebar")


def admin_only_page(user: User) -> None:
    """What anyone but an administrator gets at an administrators' page: the notice and the sign-in form."""
    audit_logger.info("administrators' page refused to %r (%s)", user.name, user.source)
    st.title(ADMIN_ONLY_TITLE)
    messages.warning(
        "بارگذاری و مدیریت داده‌ها فقط برای مدیران است. اگر حساب مدیر دارید، اینجا وارد شوید؛ "
        "صفحه‌های رصد برای همه باز است.",
        "This page is for administrators only. If you have an administrator's account, sign in here; "
        "the monitoring pages are open to everyone.",
    )
    if user.signed_in:
        st.html(
            '<p class="dash-muted">حساب شما مدیر نیست؛ برای دسترسی به راهبر داشبورد بگویید.</p>'
            '<p class="dash-muted en" lang="en" dir="ltr">Your account is not an administrator\'s; '
            "ask the dashboard's administrator for access.</p>"
        )
        return
    sign_in_form("auth_gate")


def require_admin() -> User:
    """One line for the top of an administrators' page, beside its entry in ``dashboard.ADMIN_PAGES``:
    anyone but an administrator gets :func:`admin_only_page` and the page's script stops there."""
    user = current_user()
    if not user.is_admin:
        admin_only_page(user)
        st.stop()
    return user

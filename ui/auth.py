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

A failed sign-in says only that the name or the password is wrong and is logged with the client's
real address (never the password, and the typed name only when it is an account's). Failures are
counted in the store per account and per address, shared by every session and replica: after a few
each try waits, after more the account or address is locked out (``accounts unlock`` lifts it).
A sign-in is bound to the browser's own cookies (``session_binding``): a session id read from a log and
resumed from another browser is signed out, and a session idle for ``DASHBOARD_SESSION_IDLE_MINUTES``
is signed out too.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st

from monitoring import accounts, config, logs, store
from monitoring.calendar import to_persian_digits
from monitoring.message import Message
from ui import data, messages
from ui.html import Markup, macro

Source = Literal["account", "oidc", "open", "proxy", "local"]

SIGNED_IN_KEY = "_auth_account"  # the signed-in account's name key
BOUND_KEY = "_auth_bound"  # the browser's cookies the sign-in is bound to (a keyed hash of them)
SEEN_KEY = "_auth_seen"  # when the signed-in session last ran (time.time())
FIRST_WAIT_SECONDS = 10
LONGEST_WAIT_SECONDS = 300
# the cookies a browser sends with its websocket that a proxy log or another browser does not hold:
# Streamlit's XSRF cookie (its token, not the mask that changes on every answer), the proxy's
# HttpOnly replica key, and the organisation sign-in's HttpOnly signed cookie
BOUND_COOKIES = ("_streamlit_xsrf", "dash_replica", "_streamlit_user")

LOCAL_USER = "کاربر محلی"
_HEADERS = ("X-Forwarded-User", "X-Remote-User", "X-Auth-Request-User", "Remote-User")


def proxy_user() -> str | None:
    """The user name a single sign-on proxy passed in a header, if any (a name, never a right to load)."""
    try:
        headers = st.context.headers
    except Exception:  # no browser session (tests, scripts)
        return None
    for name in _HEADERS:
        value = headers.get(name)
        if value:
            return value.strip()[:200]
    return None


ADMIN_ONLY_TITLE = "این صفحه فقط برای مدیران است"
WRONG = Message(
    "نام کاربری یا گذرواژه درست نیست. دوباره تلاش کنید.", "The name or the password is not right. Try again."
)

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
    def may_record(self) -> bool:
        """An administrator or an editor: may record review meetings, commitments and notable actions."""
        return accounts.may_record(self.role)

    @property
    def signed_in(self) -> bool:
        return self.source in ("account", "oidc")


# ---------------------------------------------------------------- who is this


@functools.cache
def _check_permissions_once(path: str) -> None:
    """At the first run of a process: a warning in the log when others may read the accounts file."""
    for warning in accounts.permission_warnings(Path(path)):
        logger.warning("%s", warning)


def _accounts() -> dict[str, accounts.Account]:
    """The accounts file as it is now; an unreadable file counts as no accounts (and is logged)."""
    _check_permissions_once(str(accounts.accounts_path()))
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
    if key and _session_still_yours(key):
        account = _accounts().get(key)
        if account is not None:
            role = "admin" if accounts.admin_open() else account.role
            return User(account.name, account.display, role, "account")
        _forget_sign_in()  # removed from the file since: signed out
        audit_logger.warning("signed-in account %r is no longer in the accounts file; signed out", key)
    info = _oidc_user()
    if info is not None:
        email = str(info.get("email") or info.get("sub") or "")
        role = accounts.email_role(email, _accounts())
        return User(email, str(info.get("name") or email), role, "oidc")
    proxy = proxy_user()
    if accounts.admin_open():
        _warn_admin_open()
        name = proxy or LOCAL_USER
        return User(name, name, "admin", "open")
    if proxy:
        return User(proxy, proxy, "viewer", "proxy")
    return User(LOCAL_USER, LOCAL_USER, "viewer", "local")


def _forget_sign_in() -> None:
    for name in (SIGNED_IN_KEY, BOUND_KEY, SEEN_KEY):
        st.session_state.pop(name, None)


def _text(value: object) -> str:
    """A header or cookie value as text; anything else (None, AppTest's stand-ins) is no value."""
    return value if isinstance(value, str) else ""


def _xsrf_token(raw: str) -> str:
    """The token inside Streamlit's XSRF cookie («2|mask|masked token|time»): the same for one browser
    however often the cookie is sent again with a new mask."""
    parts = raw.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return raw
        if mask:
            return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()
    return raw


def session_binding() -> str:
    """A keyed hash of the cookies this browser sent with its websocket (``BOUND_COOKIES``).

    A sign-in keeps it; a run whose connection brings other cookies (a session id read from a log and
    resumed from another browser) is signed out. The cookies never leave the browser and the proxy;
    the hash never leaves the server."""
    try:
        cookies = st.context.cookies
        values = [_text(cookies.get(name)) for name in BOUND_COOKIES]
    except Exception:  # no browser session (AppTest, scripts): nothing to bind to
        values = [""] * len(BOUND_COOKIES)
    values[0] = _xsrf_token(values[0])
    secret = str(st.get_option("server.cookieSecret") or "")
    return hmac.new(secret.encode("utf-8"), "\x1f".join(values).encode("utf-8"), hashlib.sha256).hexdigest()


def _session_still_yours(key: str, now: float | None = None) -> bool:
    """Whether the sign-in of this session still holds: the same browser, not idle too long."""
    now = time.time() if now is None else now
    bound = st.session_state.get(BOUND_KEY)
    if bound is None or not hmac.compare_digest(str(bound), session_binding()):
        _forget_sign_in()
        audit_logger.warning(
            "signed-in session of %r resumed by another browser from %s: signed out", key, client_address()
        )
        return False
    idle = config.settings().admin_idle_minutes * 60
    seen = float(st.session_state.get(SEEN_KEY, now))
    if now - seen > idle:
        _forget_sign_in()
        audit_logger.info("signed-in session of %r idle for %.0f minutes: signed out", key, (now - seen) / 60)
        return False
    st.session_state[SEEN_KEY] = now
    return True


@functools.cache
def _warn_admin_open() -> None:
    logger.warning("%s=1: everyone is an administrator (for local development only)", accounts.ADMIN_OPEN_ENV)


def is_admin() -> bool:
    return current_user().is_admin


def _audit(action: str, actor: str, level: int, message: str, *args: object, **detail: object) -> None:
    """Log a sign-in event, and add it to the store's audit log where the store has one (a store that
    cannot take it never stops a sign-in: the log line is there)."""
    audit_logger.log(level, message, *args)
    _audit_row(action, actor, **detail)


def _audit_row(action: str, actor: str, **detail: object) -> None:
    try:
        store.record_audit(data.engine(), actor, action, {**detail, "client": client_address()})
    except Exception as exc:  # the database is down or busy: the log line is the record
        logger.warning("audit row %r not stored: %s: %s", action, type(exc).__name__, exc)


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def client_address(trusted: tuple[str, ...] | None = None) -> str:
    """The address of the person at the other end: the socket's peer, or, only when that peer is one of
    ``DASHBOARD_TRUSTED_PROXIES``, the last address in ``X-Forwarded-For`` that is not a trusted proxy
    (a client-sent X-Forwarded-For is otherwise ignored)."""
    trusted = config.settings().trusted_proxies if trusted is None else trusted
    try:
        peer = _text(st.context.ip_address) or "127.0.0.1"  # Streamlit names a loopback peer None
        forwarded = ",".join(map(_text, st.context.headers.get_all("X-Forwarded-For")))
    except Exception:  # no browser session (AppTest, scripts)
        return "local"
    if forwarded and not trusted:
        _warn_forwarded_ignored()
    return forwarded_client(peer, forwarded, trusted)


@functools.cache
def _warn_forwarded_ignored() -> None:
    logger.warning(
        "a request came with X-Forwarded-For, which is ignored without DASHBOARD_TRUSTED_PROXIES: behind a proxy, "
        "set it to the proxy's address, or every user counts as the proxy's address for sign-in tries"
    )


def forwarded_client(peer: str, forwarded: str, trusted: tuple[str, ...]) -> str:
    """The client of a request from ``peer`` carrying ``X-Forwarded-For: forwarded``, trusting the
    proxies in ``trusted`` only (pure, for tests)."""
    trust = set(trusted)
    if trust & _LOOPBACK:
        trust |= _LOOPBACK

    def is_trusted(address: str) -> bool:
        return address in trust

    if not is_trusted(peer):
        return peer
    client = peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        client = hop[:64]
        if not is_trusted(hop):
            break
    return client


# ---------------------------------------------------------------- signing in and out


def _seconds_fa(seconds: float) -> str:
    return to_persian_digits(max(1, round(seconds)))


def throttle_policy() -> store.ThrottlePolicy:
    settings = config.settings()
    return store.ThrottlePolicy(
        free_tries=settings.signin_free_tries,
        first_wait=FIRST_WAIT_SECONDS,
        longest_wait=LONGEST_WAIT_SECONDS,
        lockout_after=max(settings.signin_lockout_after, settings.signin_free_tries + 1),
        lockout_minutes=settings.signin_lockout_minutes,
    )


def _audit_failure_kept(failures: int) -> bool:
    """Which failures of one key get a row in the store's audit log (each one is in the log file): the
    first five, then the 8th, 16th, 32nd... so a flood cannot fill the audit view."""
    return failures <= 5 or failures & (failures - 1) == 0


def attempt_sign_in(name: str, password: str, now: float | None = None) -> Message | None:
    """Check ``name`` and ``password``: None when they sign in, else what the person is told.

    A wrong name and a wrong password get the same answer. The tries are counted in the store per
    account and per client address (``monitoring.store.throttle``), so a new session, another tab or
    another replica does not start again from nothing: after a few failures each try waits (10 s,
    doubling to 5 minutes) before it is even checked, and after more the account or the address is
    locked out until the lock-out ends or an administrator lifts it."""
    del now  # the store's clock decides
    address = client_address()
    try:
        known = accounts.read_accounts()
    except accounts.AccountsError as exc:
        logger.error("sign-in refused, the accounts file cannot be used: %s", exc.en)
        return Message(
            "اکنون کسی نمی‌تواند وارد شود؛ به راهبر کارگزار خبر دهید.",
            "Nobody can sign in now; tell the server's administrator.",
        )
    account = known.get(accounts.name_key(name))
    account_key = store.account_key(account.key) if account is not None else None
    keys = [store.address_key(address)] + ([account_key] if account_key else [])
    try:
        verdict = store.claim_sign_in(data.engine(), keys, throttle_policy())
    except Exception as exc:  # the count cannot be kept: no password is checked uncounted
        reference = logs.report_unexpected(exc, "counting a sign-in try")
        return Message(
            f"ورود اکنون ممکن نیست؛ کمی بعد دوباره تلاش کنید (کد پیگیری: {reference}).",
            f"Signing in is not possible now; try again in a while (reference {reference}).",
        )
    shown = account.name if account is not None else "-"  # a typed name that is no account is never kept
    if not verdict.allowed:
        audit_logger.warning(
            "sign-in try as %r from %s refused: %s for %.0f s more",
            shown,
            address,
            "locked out" if verdict.locked else "waiting",
            verdict.wait_seconds,
        )
        if verdict.locked:
            return Message(
                "ورود از اینجا یا با این حساب به سبب تلاش‌های ناموفق پیاپی بسته شده است؛ "
                f"{_seconds_fa(verdict.wait_seconds / 60)} دقیقهٔ دیگر دوباره تلاش کنید یا از راهبر داشبورد بخواهید آن را باز کند.",
                "Signing in from here or to this account is locked after many failed tries; try again in "
                f"{max(1, round(verdict.wait_seconds / 60))} minutes or ask the dashboard's administrator to unlock it.",
            )
        return Message(
            f"چند بار پیاپی ورود ناموفق بود؛ {_seconds_fa(verdict.wait_seconds)} ثانیهٔ دیگر دوباره تلاش کنید.",
            f"Several sign-ins in a row failed; try again in {max(1, round(verdict.wait_seconds))} seconds.",
        )
    if accounts.authenticate(known, name, password) is None or account is None:
        audit_logger.warning(
            "failed sign-in as %s from %s (%d in a row)",
            repr(account.name) if account is not None else "an unknown name",
            address,
            verdict.failures,
        )
        if _audit_failure_kept(verdict.failures):
            _audit_row("login_failed", shown, failures_in_a_row=verdict.failures, known_account=account is not None)
        return WRONG
    try:  # a hash made with weaker parameters than today's is made again, now that the password is known
        if accounts.rehash_if_weaker(account, password):
            logger.info("the password hash of %r was made again with today's parameters", account.name)
    except (accounts.AccountsError, OSError) as exc:  # the old hash still works; the sign-in stands
        logger.warning("a password hash not made again: %s: %s", type(exc).__name__, exc)
    try:
        store.sign_in_succeeded(data.engine(), account_key, [store.address_key(address)])
    except Exception as exc:  # the count stays a little high; the sign-in stands
        logger.warning("a right sign-in's try not given back: %s: %s", type(exc).__name__, exc)
    st.session_state[SIGNED_IN_KEY] = account.key
    st.session_state[BOUND_KEY] = session_binding()
    st.session_state[SEEN_KEY] = time.time()
    _audit(
        "login",
        account.name,
        logging.INFO,
        "signed in: %r (%s) from %s",
        account.name,
        account.role,
        address,
        role=account.role,
    )
    return None


def sign_out() -> None:
    """Forget the signed-in account (and leave the organisation's sign-in, if that is how they came)."""
    user = current_user()
    _forget_sign_in()
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
        refused = attempt_sign_in(name, password)
        if refused is None:
            st.rerun()
        else:
            messages.error(refused, container=where)
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


def user_html(user: User) -> Markup:
    """The user's name for the sidebar (a Latin name read left to right) with their role."""
    shown = user.display or user.name
    role = f" ({accounts.ROLE_LABELS[user.role]})" if user.may_record else ""
    return macro("auth.html", "user")(shown, bool(re.search(r"[A-Za-z]", shown)), user.role, role)


# the sidebar's sign-in box: viewers with an account, editors and administrators all sign in through it
SIGN_IN_TITLE = "ورود کارکنان"


def sidebar(user: User) -> None:
    """Who is using the dashboard, and the way in or out, for the sidebar."""
    st.html(macro("auth.html", "sidebar_user")(user_html(user)))
    if user.signed_in:
        if st.button("خروج", key="auth_sign_out", icon=":material/logout:"):
            sign_out()
            st.rerun()
    elif not user.is_admin:
        with st.expander(SIGN_IN_TITLE, icon=":material/login:"):
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
        st.html(macro("auth.html", "not_an_administrator")())
        return
    sign_in_form("auth_gate")


RECORDERS_ONLY_TITLE = "این صفحه برای ویرایشگران و مدیران است"


def recorders_only_page(user: User) -> None:
    """What a viewer gets at a page that records reviews (``dashboard.EDITOR_PAGES``): the notice and the
    sign-in form."""
    audit_logger.info("editors' page refused to %r (%s)", user.name, user.source)
    st.title(RECORDERS_ONLY_TITLE)
    messages.warning(
        "ثبت جلسه‌های بازبینی، تعهدها و اقدامات شاخص با ویرایشگران و مدیران است. اگر چنین حسابی دارید، "
        "اینجا وارد شوید؛ بستهٔ بازبینی و صفحه‌های رصد برای همه باز است.",
        "Recording review meetings, commitments and notable actions is for editors and administrators. If "
        "you have such an account, sign in here; the review pack and the monitoring pages are open to everyone.",
    )
    if not user.signed_in:
        sign_in_form("auth_gate_editor")


def require_recorder() -> User:
    """The top line of a page that records reviews: anyone but an editor or an administrator gets
    :func:`recorders_only_page` and the page's script stops there."""
    user = current_user()
    if not user.may_record:
        recorders_only_page(user)
        st.stop()
    return user


def require_admin() -> User:
    """One line for the top of an administrators' page, beside its entry in ``dashboard.ADMIN_PAGES``:
    anyone but an administrator gets :func:`admin_only_page` and the page's script stops there."""
    user = current_user()
    if not user.is_admin:
        admin_only_page(user)
        st.stop()
    return user

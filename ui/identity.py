"""Who is using the dashboard: the signed-in account (``ui/auth.py``), else the single sign-on proxy's header."""

from __future__ import annotations

import streamlit as st

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


def current_user() -> str:
    """The name recorded with a batch (``loaded_by``): the signed-in account's name, the organisation
    sign-in's e-mail address, the proxy's user name, or «local user» when there is none."""
    from ui import auth  # ui.auth reads the proxy header from here

    return auth.current_user().name


def user_html() -> str:
    """The user's name for the page (a Latin name read left to right), with «(مدیر)» for an administrator."""
    from ui import auth

    return auth.user_html(auth.current_user())

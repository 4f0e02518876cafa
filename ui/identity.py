"""Who is using the dashboard: the single sign-on proxy in front of it tells us."""

from __future__ import annotations

import streamlit as st

LOCAL_USER = "کاربر محلی / local user"
_HEADERS = ("X-Forwarded-User", "X-Remote-User", "X-Auth-Request-User", "Remote-User")


def current_user() -> str:
    """The user name the proxy passed in a header, or «local user» when there is none."""
    try:
        headers = st.context.headers
    except Exception:  # no browser session (tests, scripts)
        return LOCAL_USER
    for name in _HEADERS:
        value = headers.get(name)
        if value:
            return value.strip()[:200]
    return LOCAL_USER

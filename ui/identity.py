"""Who is using the dashboard: the single sign-on proxy in front of it tells us."""

from __future__ import annotations

import html
import re

import streamlit as st

LOCAL_USER = "کاربر محلی"
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


def user_html() -> str:
    """The user's name for the page: a Latin sign-on name is shown as code, so it reads left to right."""
    name = current_user()
    if re.search(r"[A-Za-z]", name):
        return f'<code dir="ltr">{html.escape(name)}</code>'
    return html.escape(name)

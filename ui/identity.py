"""Who is using the dashboard, for a page to record or show: the signed-in account, the organisation's
sign-in, or the single sign-on proxy's header, all worked out by ``ui/auth.py``."""

from __future__ import annotations

from ui import auth
from ui.auth import LOCAL_USER, proxy_user

__all__ = ["LOCAL_USER", "current_user", "proxy_user", "user_html"]


def current_user() -> str:
    """The name recorded with a batch (``loaded_by``): the signed-in account's name, the organisation
    sign-in's e-mail address, the proxy's user name, or «local user» when there is none."""
    return auth.current_user().name


def user_html() -> str:
    """The user's name for the page (a Latin name read left to right), with «(مدیر)» for an administrator."""
    return auth.user_html(auth.current_user())

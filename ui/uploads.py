"""Who may send files to the server: only a session whose last run showed an uploader to an
administrator.

Streamlit accepts ``PUT /_stcore/upload_file/<session>/<file>`` from anyone holding the XSRF cookie
for any live session, and keeps each file in memory until the session ends. The dashboard wraps the
server's uploaded-file manager once a process (:func:`install_guard`): a file for a session that has
no uploader on screen for an administrator is refused (403) before it is kept. The upload page calls
:func:`allow_this_session` where it draws its uploaders; every full run of the page shell ends with
:func:`end_run`, which takes the permission away from a session whose run drew none. Once a file is
stored, :func:`consumed` drops it from the server's memory.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

import streamlit as st

from monitoring import config
from ui import seam

logger = logging.getLogger(__name__)

_SHOWN_KEY = "_uploads_shown"
_allowed: dict[str, float] = {}  # session id -> when its uploader was last drawn
_lock = threading.Lock()
FORGET_AFTER_SECONDS = 24 * 3600


class UploadRefused(PermissionError):
    """A file sent for a session with no administrator's uploader on screen."""


def _session_id() -> str | None:
    return seam.session_id()


def may_upload(session_id: str) -> bool:
    with _lock:
        return session_id in _allowed


def allow_this_session() -> None:
    """Called where the upload page draws an uploader (the page runs for administrators only)."""
    from ui import auth

    session = _session_id()
    if session is None or not auth.is_admin():
        return
    st.session_state[_SHOWN_KEY] = True
    with _lock:
        now = time.monotonic()
        _allowed[session] = now
        for old in [s for s, t in _allowed.items() if now - t > FORGET_AFTER_SECONDS]:
            del _allowed[old]


def begin_run() -> None:
    st.session_state[_SHOWN_KEY] = False


def end_run() -> None:
    """After a full run: a session whose run drew no administrator's uploader may upload nothing."""
    if st.session_state.get(_SHOWN_KEY):
        return
    session = _session_id()
    if session is not None:
        with _lock:
            _allowed.pop(session, None)


def consumed(uploaded) -> None:
    """Drop a stored file from the server's memory (the uploader then holds nothing)."""
    session = _session_id()
    if session is None or uploaded is None:
        return
    try:
        # a Streamlit 1.67 internal (ui/seam.py); tests/security/test_upload_endpoint.py fails when it stops freeing
        seam.release_upload(session, uploaded.file_id)
    except Exception as exc:  # no server runtime (AppTest): nothing held by a server
        logger.debug("uploaded file not released: %s", exc)


@functools.cache
def install_guard() -> None:
    """Once a process: refuse files for sessions that may not upload, and say in the log when
    Streamlit's own limit is above the loader's."""
    limit_mb = config.settings().max_file_mb
    if float(st.get_option("server.maxUploadSize")) > limit_mb:
        logger.warning(
            "server.maxUploadSize (%s MB) is above the loader's DASHBOARD_MAX_FILE_MB (%g MB): set it to the same",
            st.get_option("server.maxUploadSize"),
            limit_mb,
        )
    if not seam.server_running():
        return
    # a Streamlit 1.67 internal (ui/seam.py): the upload endpoint stores through the manager's add_file;
    # tests/security/test_upload_endpoint.py fails (the PUT is accepted) when this stops matching
    seam.guard_upload_store(_refusing)


def _refusing(original):
    def add_file(session_id, file, *args, **kwargs):
        if not may_upload(session_id):
            logger.warning(
                "a file sent for a session with no uploader on screen was refused (%d bytes)", len(file.data)
            )
            try:
                from starlette.exceptions import HTTPException
            except ImportError:  # pragma: no cover - the Tornado server
                raise UploadRefused("no uploader on screen for this session") from None
            raise HTTPException(status_code=403, detail="no uploader on screen for this session")
        return original(session_id, file, *args, **kwargs)

    return add_file
